import SkiffAPI

/// `logs`'s flags.
public struct LogsOptions: Sendable {
    public var container: String?
    public var follow = false
    public var previous = false
    public var tail: Int?
    public var timestamps = false
    public var sinceSeconds: Int?

    public init() {}

    /// The log subresource's query, in kubectl's order.
    func query(container: String) -> [(String, String)] {
        var query: [(String, String)] = [("container", container)]
        if follow { query.append(("follow", "true")) }
        if previous { query.append(("previous", "true")) }
        if let sinceSeconds { query.append(("sinceSeconds", String(sinceSeconds))) }
        if let tail, tail >= 0 { query.append(("tailLines", String(tail))) }
        if timestamps { query.append(("timestamps", "true")) }
        return query
    }
}

/// `logs POD [-c C] [-f]` or `logs TYPE/NAME`: `GET <pod>` (to pick the container: `-c`,
/// the `kubectl.kubernetes.io/default-container` annotation, else the first), then
/// `GET /api/v1/namespaces/NS/pods/POD/log?container=C[&follow=true][&previous=true][&tailLines=N]`,
/// streamed to standard output as it arrives.
public struct LogsAction: Sendable {
    public var session: KubeSession
    public var output: CtlOutput

    public init(session: KubeSession, output: CtlOutput) {
        self.session = session
        self.output = output
    }

    public func run(_ target: String, options: LogsOptions) async throws(CtlError) {
        let pods = try session.resource(named: "pods")
        let namespace = session.namespace
        let pod: JSONValue
        do {
            pod = try await resolvePod(target, pods: pods, namespace: namespace)
        } catch {
            // kubectl's logs words a missing object its own way.
            if case .server(let status, _) = error, status.reason == .notFound {
                throw .message("error from server (NotFound): \(status.message) in namespace \(GoQuote.quote(namespace))")
            }
            throw error
        }
        let podName = pod["metadata"]["name"].stringValue ?? ""
        let containers = (pod["spec"]["containers"].arrayValue ?? []).compactMap { $0["name"].stringValue }
        let container: String
        if let chosen = options.container, !chosen.isEmpty {
            container = chosen
        } else if let preferred = pod["metadata"]["annotations"]["kubectl.kubernetes.io/default-container"].stringValue,
            containers.contains(preferred)
        {
            container = preferred
        } else {
            guard let first = containers.first else { throw .message("pod \(podName) has no containers") }
            container = first
            if containers.count > 1 {
                output.err("Defaulted container \(GoQuote.quote(first)) out of: \(containers.joined(separator: ", "))\n")
            }
        }
        let path = pods.path(namespace: namespace, name: podName, subresource: "log")
        let query = options.query(container: container)
        guard options.follow else {
            let response = try await session.send("GET", path, query: query, accept: "application/json, */*")
            if let status = response.statusError { throw .server(status) }
            output.outBytes(response.body)
            return
        }
        let stream: (status: Int, headers: [(String, String)], body: AsyncThrowingStream<[UInt8], Error>)
        do {
            stream = try await session.transport.stream(path, query: query, accept: "application/json, */*")
        } catch {
            throw .connection(error)
        }
        var errorBody: [UInt8] = []
        do {
            for try await chunk in stream.body {
                if stream.status >= 400 { errorBody += chunk } else { output.outBytes(chunk) }
            }
        } catch let error as ClientError {
            throw .connection(error)
        } catch {
            throw .message("the log stream failed: \(error)")
        }
        if stream.status >= 400 {
            let status = APIResponse(status: stream.status, headers: stream.headers, body: errorBody).statusError
            throw .server(status ?? APIStatus(code: stream.status, reason: .internalError, message: "log request failed"))
        }
    }

    /// The pod a `logs` argument means: a pod name, `pod/NAME`, or a workload whose pods are
    /// listed by selector and the best one for logging is chosen (kubectl's `ByLogging` order).
    private func resolvePod(_ target: String, pods: ResourceKind, namespace: String) async throws(CtlError) -> JSONValue {
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return try await session.get(pods, name: target, namespace: namespace) }
        let kind = try session.resource(named: parts[0])
        if kind == pods { return try await session.get(pods, name: parts[1], namespace: namespace) }
        let owner = try await session.get(kind, name: parts[1], namespace: namespace)
        let selector = kind.kind == "Service"
            ? LabelFormat.format(owner["spec"]["selector"].stringMapValue ?? [:])
            : SelectorText.format(owner["spec"]["selector"])
        guard !selector.isEmpty, selector != "<none>" else {
            throw .message("cannot get logs of \(kind.displayKind)/\(parts[1]): it selects no pods")
        }
        let candidates = try await session.list(pods, namespace: namespace, labelSelector: selector).items
        guard let best = candidates.sorted(by: Self.betterForLogging).first else {
            throw .message("timed out waiting for the condition")
        }
        if candidates.count > 1 {
            output.err("Found \(candidates.count) pods, using pod/\(best["metadata"]["name"].stringValue ?? "")\n")
        }
        return best
    }

    /// Assigned before unassigned, running before unknown before pending, ready before not,
    /// more restarts first, older first.
    static func betterForLogging(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let assignedA = !(a["spec"]["nodeName"].stringValue ?? "").isEmpty
        let assignedB = !(b["spec"]["nodeName"].stringValue ?? "").isEmpty
        if assignedA != assignedB { return assignedA }
        let rank: [String: Int] = ["Running": 0, "Unknown": 1, "Pending": 2]
        let phaseA = rank[a["status"]["phase"].stringValue ?? ""] ?? 3
        let phaseB = rank[b["status"]["phase"].stringValue ?? ""] ?? 3
        if phaseA != phaseB { return phaseA < phaseB }
        func ready(_ pod: JSONValue) -> Bool {
            (pod["status"]["conditions"].arrayValue ?? []).contains {
                $0["type"].stringValue == "Ready" && $0["status"].stringValue == "True"
            }
        }
        if ready(a) != ready(b) { return ready(a) }
        func restarts(_ pod: JSONValue) -> Int64 {
            (pod["status"]["containerStatuses"].arrayValue ?? []).map { $0["restartCount"].int64Value ?? 0 }.max() ?? 0
        }
        if restarts(a) != restarts(b) { return restarts(a) > restarts(b) }
        let createdA = RFC3339.seconds(a["metadata"]["creationTimestamp"].stringValue ?? "") ?? .infinity
        let createdB = RFC3339.seconds(b["metadata"]["creationTimestamp"].stringValue ?? "") ?? .infinity
        return createdA < createdB
    }
}
