import SkiffAPI

/// The strategic-merge patch `kubectl set image` sends: for each container list that
/// changes, `$setElementOrder/<list>` naming every container in order, and the changed
/// containers as `{image, name}`, at the pod spec of the object (`spec.template.spec` for
/// workloads, `spec` for a Pod, `spec.jobTemplate.spec.template.spec` for a CronJob).
public enum SetImagePatch {
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case noPodSpec(kind: String)
        case unknownContainer(String)

        public var description: String {
            switch self {
            case .noPodSpec(let kind): return "\(kind) has no pod template; cannot set its image"
            case .unknownContainer(let name): return "unable to find container named \(GoQuote.quote(name))"
            }
        }
    }

    /// Where the pod spec sits in an object of `kind`.
    public static func podSpecPath(kind: String) -> [String]? {
        switch kind {
        case "Pod": return ["spec"]
        case "PodTemplate": return ["template", "spec"]
        case "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController":
            return ["spec", "template", "spec"]
        case "CronJob": return ["spec", "jobTemplate", "spec", "template", "spec"]
        default: return nil
        }
    }

    /// The patch for `images` (container name → image, `*` for all); nil when nothing changes.
    public static func patch(for object: JSONValue, images: [(container: String, image: String)]) throws(Failure) -> JSONValue? {
        let kind = object["kind"].stringValue ?? ""
        guard let path = podSpecPath(kind: kind) else { throw .noPodSpec(kind: kind) }
        let podSpec = object[path: path]
        var matched: Set<String> = []
        var specPatch: [String: JSONValue] = [:]
        for list in ["initContainers", "containers"] {
            let containers = podSpec[list].arrayValue ?? []
            var changed: [JSONValue] = []
            for container in containers {
                let name = container["name"].stringValue ?? ""
                // The last mention wins when a container is named twice (as kubectl applies them in order).
                guard let image = images.last(where: { $0.container == name || $0.container == "*" })?.image else { continue }
                matched.insert(name)
                if container["image"].stringValue != image {
                    changed.append(["image": .string(image), "name": .string(name)])
                }
            }
            if !changed.isEmpty {
                specPatch["$setElementOrder/\(list)"] = .array(containers.map { ["name": $0["name"]] })
                specPatch[list] = .array(changed)
            }
        }
        for (container, _) in images where container != "*" && !matched.contains(container) {
            throw .unknownContainer(container)
        }
        guard !specPatch.isEmpty else { return nil }
        var patch = JSONValue.emptyObject
        patch[path: path] = .object(specPatch)
        return patch
    }

    /// `CONTAINER=IMAGE` arguments.
    public static func parse(_ arguments: [String]) throws(CtlError) -> [(container: String, image: String)] {
        var pairs: [(container: String, image: String)] = []
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex,
                argument.index(after: equals) != argument.endIndex
            else {
                throw .message("invalid image update: \(argument), expected CONTAINER_NAME=IMAGE")
            }
            pairs.append((String(argument[..<equals]), String(argument[argument.index(after: equals)...])))
        }
        if pairs.isEmpty { throw .message("at least one image update is required") }
        return pairs
    }
}

/// `set image TYPE/NAME CONTAINER=IMAGE…`: `GET <object>`, then
/// `PATCH <object>?fieldManager=kubectl-set` with the `SetImagePatch` (strategic merge);
/// prints `deployment.apps/notepad image updated` (nothing when the images already match).
public struct SetImageAction: Sendable {
    public var session: KubeSession
    public var output: CtlOutput

    public init(session: KubeSession, output: CtlOutput) {
        self.session = session
        self.output = output
    }

    public func run(_ arguments: ResourceArguments, images: [(container: String, image: String)]) async throws(CtlError) -> Bool {
        var failures: [CtlError] = []
        for selection in arguments.selections {
            for name in selection.names {
                do throws(CtlError) {
                    let namespace = session.namespace(for: selection.kind)
                    let live = KubeSession.withKind(try await session.get(selection.kind, name: name, namespace: namespace), selection.kind)
                    let patch: JSONValue?
                    do {
                        patch = try SetImagePatch.patch(for: live, images: images)
                    } catch {
                        throw .message(error.description)
                    }
                    guard let patch else { continue }
                    _ = try await session.request(
                        "PATCH", selection.kind.path(namespace: namespace, name: name),
                        query: [("fieldManager", "kubectl-set")], body: patch,
                        contentType: "application/strategic-merge-patch+json")
                    output.out("\(selection.kind.displayKind)/\(name) image updated\n")
                } catch {
                    if case .connection = error { throw error }
                    failures.append(error)
                }
            }
        }
        for failure in failures { output.err(failure.description + "\n") }
        return failures.isEmpty
    }
}
