import SkiffAPI

/// `exec`'s flags and command.
public struct ExecOptions: Sendable {
    public var container: String?
    public var command: [String]
    /// `-i`: pass standard input to the process.
    public var stdin: Bool
    /// `-t`, already dropped by the caller when standard input is not a terminal (as
    /// kubectl drops it).
    public var tty: Bool
    /// `-q`: no "Defaulted container" notice.
    public var quiet: Bool

    public init(container: String? = nil, command: [String], stdin: Bool = false, tty: Bool = false, quiet: Bool = false) {
        self.container = container
        self.command = command
        self.stdin = stdin
        self.tty = tty
        self.quiet = quiet
    }

    /// The exec subresource's query, in kubectl's (alphabetical) order.
    func query(container: String) -> [(String, String)] {
        var query = command.map { ("command", $0) }
        query.append(("container", container))
        if !tty { query.append(("stderr", "true")) }
        if stdin { query.append(("stdin", "true")) }
        query.append(("stdout", "true"))
        if tty { query.append(("tty", "true")) }
        return query
    }
}

/// A terminal size for channel 4.
public struct TerminalSize: Equatable, Sendable {
    public var columns: UInt16
    public var rows: UInt16

    public init(columns: UInt16, rows: UInt16) {
        self.columns = columns
        self.rows = rows
    }
}

/// The local ends of an exec: what goes to the process and where its output goes.
public struct ExecStreams: Sendable {
    /// Standard input, ending at end of file; nil without `-i`.
    public var stdin: AsyncStream<[UInt8]>?
    /// Terminal sizes, the current one first; nil without a tty.
    public var resizes: AsyncStream<TerminalSize>?
    public var stdout: @Sendable ([UInt8]) -> Void
    public var stderr: @Sendable ([UInt8]) -> Void

    public init(
        stdin: AsyncStream<[UInt8]>? = nil, resizes: AsyncStream<TerminalSize>? = nil,
        stdout: @escaping @Sendable ([UInt8]) -> Void, stderr: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.stdin = stdin
        self.resizes = resizes
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// `exec POD [-c C] [-i] [-t] -- COMMAND…` as kubectl 1.32 does it: `GET` the pod
/// (refusing a completed one, defaulting the container), then the `pods/exec`
/// websocket (`v5.channel.k8s.io`), relaying stdin, resizes and output until the
/// server sends the status and closes. When the upgrade is refused, the same request
/// is repeated without it to learn why (kubectl's SPDY fallback reaches the same
/// Status), so errors read `Error from server (BadRequest): …` as kubectl prints them.
public struct ExecAction: Sendable {
    public var session: KubeSession
    public var output: CtlOutput
    public var dialer: any ExecDialer

    public init(session: KubeSession, output: CtlOutput, dialer: any ExecDialer) {
        self.session = session
        self.output = output
        self.dialer = dialer
    }

    public func run(pod name: String, options: ExecOptions, streams: ExecStreams) async throws(CtlError) -> ExecOutcome {
        let pods = try session.resource(named: "pods")
        let namespace = session.namespace
        let pod = try await session.get(pods, name: name, namespace: namespace)
        let phase = pod["status"]["phase"].stringValue ?? ""
        if phase == "Succeeded" || phase == "Failed" {
            throw .message("cannot exec into a container in a completed pod; current phase is \(phase)")
        }
        let container: String
        if let chosen = options.container, !chosen.isEmpty {
            container = chosen
        } else {
            container = try defaultContainer(pod, quiet: options.quiet)
        }
        let path = pods.path(namespace: namespace, name: name, subresource: "exec")
        let query = options.query(container: container)
        let status = StatusCollector()
        do {
            try await dialer.openExec(path: path, query: query) { channel in
                try await Self.relay(channel, streams: streams, status: status)
            }
        } catch ExecDialError.upgradeRefused {
            throw await refusal(path: path, query: query)
        } catch let error as ClientError {
            throw .connection(error)
        } catch {
            throw .message("\(error)")
        }
        return ExecOutcome(status: status.bytes)
    }

    /// kubectl's `FindOrDefaultContainerByName`: the `kubectl.kubernetes.io/default-container`
    /// annotation, else the first container, with a notice when there was a choice.
    private func defaultContainer(_ pod: JSONValue, quiet: Bool) throws(CtlError) -> String {
        func names(_ field: String) -> [String] {
            (pod["spec"][field].arrayValue ?? []).compactMap { $0["name"].stringValue }
        }
        let containers = names("containers")
        if let preferred = pod["metadata"]["annotations"]["kubectl.kubernetes.io/default-container"].stringValue,
            containers.contains(preferred) || names("initContainers").contains(preferred)
        {
            return preferred
        }
        guard let first = containers.first else {
            throw .message("pod \(pod["metadata"]["name"].stringValue ?? "") does not have a container")
        }
        if containers.count > 1, !quiet {
            let all = containers + names("initContainers").map { "\($0) (init)" }
                + names("ephemeralContainers").map { "\($0) (ephem)" }
            output.err("Defaulted container \(GoQuote.quote(first)) out of: \(all.joined(separator: ", "))\n")
        }
        return first
    }

    /// Why the server refused the upgrade: the Status of the same request made plainly.
    private func refusal(path: String, query: [(String, String)]) async -> CtlError {
        let response: APIResponse
        do {
            response = try await session.send("POST", path, query: query)
        } catch {
            return error
        }
        if let status = response.statusError { return .server(status) }
        let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return .message("unable to upgrade connection: \(text.isEmpty ? "the server refused the websocket" : text)")
    }

    /// Copies stdin and resizes out and output in until the status arrives (or the server closes).
    static func relay(_ channel: any ExecChannel, streams: ExecStreams, status: StatusCollector) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let stdin = streams.stdin {
                group.addTask {
                    for await chunk in stdin where !chunk.isEmpty {
                        try? await channel.send(ExecFrame.stdin(chunk))
                    }
                    if !Task.isCancelled { try? await channel.send(ExecFrame.closeStdin) }
                }
            }
            if let resizes = streams.resizes {
                group.addTask {
                    for await size in resizes {
                        try? await channel.send(ExecFrame.resize(columns: size.columns, rows: size.rows))
                    }
                }
            }
            // The status is the server's last word: stop there and close the connection
            // ourselves, as kubectl does (the server waits for that close).
            receiving: while let message = try await channel.receive() {
                switch ExecFrame.decode(message) {
                case .stdout(let bytes): streams.stdout(bytes)
                case .stderr(let bytes): streams.stderr(bytes)
                case .status(let bytes):
                    status.append(bytes)
                    break receiving
                case .ignored: continue
                }
            }
            group.cancelAll()
        }
    }
}

/// Channel 3's bytes as they arrive; written by the one receiving task, read after it ends.
final class StatusCollector: @unchecked Sendable {
    private(set) var bytes: [UInt8] = []

    func append(_ more: [UInt8]) { bytes += more }
}
