import SkiffAPI

/// `describe TYPE NAME` (or `TYPE/NAME`, or `TYPE` for all, `-l` to select): fetches the
/// object and what its section needs, then prints `ObjectDescriber`'s text; several objects
/// are separated by a blank line, as kubectl separates them.
///
/// Requests: `GET <object>`; events `GET /api/v1/namespaces/NS/events?fieldSelector=`
/// `involvedObject.name=X,involvedObject.namespace=NS,involvedObject.uid=UID` (kind added
/// for non-pods); a Deployment's ReplicaSets by its selector; a Service's EndpointSlices
/// (`labelSelector=kubernetes.io/service-name=X`); a Node's pods (`fieldSelector=spec.nodeName=X`).
/// A name that is not found is tried as a prefix of the names listed, as kubectl does.
public struct ResourceDescriber: Sendable {
    public var session: KubeSession
    public var output: CtlOutput
    public var showEvents: Bool

    public init(session: KubeSession, output: CtlOutput, showEvents: Bool = true) {
        self.session = session
        self.output = output
        self.showEvents = showEvents
    }

    public func run(_ arguments: ResourceArguments, labelSelector: String? = nil, allNamespaces: Bool = false)
        async throws(CtlError) -> Bool
    {
        var failures: [CtlError] = []
        var first = true
        for selection in arguments.selections {
            let kind = selection.kind
            let namespace = allNamespaces ? nil : session.namespace(for: kind)
            var objects: [JSONValue] = []
            if selection.names.isEmpty {
                objects = try await session.list(kind, namespace: namespace, labelSelector: labelSelector).items
                if objects.isEmpty {
                    failures.append(.message("No resources found in \(namespace ?? "all") namespace."))
                }
            }
            for name in selection.names {
                if let object = try await session.getIfExists(kind, name: name, namespace: namespace) {
                    objects.append(KubeSession.withKind(object, kind))
                    continue
                }
                let matches = try await session.list(kind, namespace: namespace).items.filter {
                    ($0["metadata"]["name"].stringValue ?? "").hasPrefix(name)
                }
                if matches.isEmpty {
                    let namespaceForMessage = kind.namespaced ? (namespace ?? session.namespace) : nil
                    failures.append(.server(Self.notFound(kind, name: name, namespace: namespaceForMessage)))
                }
                objects += matches
            }
            for object in objects {
                let text = ObjectDescriber.describe(object, context: try await context(for: object, kind: kind))
                output.out(first ? text : "\n\n" + text)
                first = false
            }
        }
        for failure in failures { output.err(failure.description + "\n") }
        return failures.isEmpty
    }

    private static func notFound(_ kind: ResourceKind, name: String, namespace: String?) -> APIStatus {
        APIStatus.notFound(kind.groupResource, name: name)
    }

    /// Events and the related objects the describer shows; failures here only leave sections out.
    private func context(for object: JSONValue, kind: ResourceKind) async throws(CtlError) -> DescribeContext {
        var context = DescribeContext(now: RFC3339.now())
        let name = object["metadata"]["name"].stringValue ?? ""
        let namespace = object["metadata"]["namespace"].stringValue
        if showEvents, kind.kind != "Secret", kind.kind != "Namespace" {
            context.events = await events(for: object, kind: kind)
        }
        switch (kind.group, kind.kind) {
        case ("apps", "Deployment"):
            if let replicaSets = session.registry.resource(for: GroupVersionKind(group: "apps", version: "v1", kind: "ReplicaSet")) {
                context.replicaSets = (try? await session.list(
                    replicaSets, namespace: namespace, labelSelector: SelectorText.format(object["spec"]["selector"])).items) ?? []
            }
        case ("apps", "ReplicaSet"):
            if let pods = session.registry.resource(named: "pods") {
                let uid = object["metadata"]["uid"].stringValue
                let listed = (try? await session.list(
                    pods, namespace: namespace, labelSelector: SelectorText.format(object["spec"]["selector"])).items) ?? []
                context.controlledPods = listed.filter { $0.metadata.controllerReference?.uid == uid }
            }
        case ("", "Service"):
            if let slices = session.registry.resource(
                for: GroupVersionKind(group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice"))
            {
                context.endpointSlices = (try? await session.list(
                    slices, namespace: namespace, labelSelector: "kubernetes.io/service-name=\(name)").items) ?? []
            }
        case ("", "Node"):
            if let leases = session.registry.resource(for: GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")) {
                let response = try? await session.send("GET", leases.path(namespace: "kube-node-lease", name: name))
                if let response, let status = response.statusError {
                    context.nodeLease = .failed(status.message)
                } else if let response, let lease = try? JSONValue(jsonBytes: response.body) {
                    context.nodeLease = .found(lease)
                }
            }
            if let pods = session.registry.resource(named: "pods") {
                context.nodePods = try? await session.list(
                    pods, namespace: nil,
                    fieldSelector: "spec.nodeName=\(name),status.phase!=Failed,status.phase!=Succeeded").items
            }
        default:
            break
        }
        return context
    }

    /// kubectl's event search: by name, namespace, uid (a Node's uid is its name), and kind
    /// except for pods; in all namespaces for cluster-scoped objects.
    private func events(for object: JSONValue, kind: ResourceKind) async -> [JSONValue]? {
        guard let events = session.registry.resource(named: "events") else { return nil }
        let name = object["metadata"]["name"].stringValue ?? ""
        let namespace = object["metadata"]["namespace"].stringValue ?? ""
        let uid = kind.kind == "Node" ? name : (object["metadata"]["uid"].stringValue ?? "")
        var fields: [String] = []
        if kind.kind != "Pod" { fields.append("involvedObject.kind=\(kind.kind)") }
        fields += ["involvedObject.name=\(name)", "involvedObject.namespace=\(namespace)", "involvedObject.uid=\(uid)"]
        let listed = try? await session.list(
            events, namespace: namespace.isEmpty ? nil : namespace, fieldSelector: fields.joined(separator: ","))
        return listed?.items ?? []
    }
}
