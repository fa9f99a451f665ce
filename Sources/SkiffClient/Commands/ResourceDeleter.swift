import Foundation
import SkiffAPI

/// `delete`'s flags.
public struct DeleteOptions: Sendable {
    /// `--wait` (default true): wait until each object is gone.
    public var wait = true
    /// `--timeout`: how long to wait; nil waits as long as it takes.
    public var timeout: Duration?
    public var ignoreNotFound = false
    public var labelSelector: String?
    public var fieldSelector: String?
    /// `--all`: every object of the named kinds.
    public var all = false
    /// `--grace-period`, sent as `gracePeriodSeconds`.
    public var gracePeriod: Int?
    /// How often to look whether a deleted object is gone.
    public var pollInterval: Duration = .milliseconds(200)

    public init() {}
}

/// `delete`: `DELETE <object>` with `{"propagationPolicy":"Background"}` (the API server's
/// garbage collector removes what the object owns), prints `deployment.apps "notepad" deleted`,
/// then polls `GET <object>` until 404 (or a new uid) unless `--wait=false`.
/// With `-l`/`--all`, the objects are listed first (`GET <collection>?labelSelector=`).
public struct ResourceDeleter: Sendable {
    public var session: KubeSession
    public var options: DeleteOptions
    public var output: CtlOutput

    public init(session: KubeSession, options: DeleteOptions, output: CtlOutput) {
        self.session = session
        self.options = options
        self.output = output
    }

    /// One object to delete, and where it came from for error messages.
    struct Target {
        var kind: ResourceKind
        var name: String
        var namespace: String?
        var source: String?
    }

    /// `delete TYPE NAME…`, `delete TYPE/NAME…`, `delete TYPE -l SEL`, `delete TYPE --all`.
    public func run(_ arguments: ResourceArguments) async throws(CtlError) -> Bool {
        var targets: [Target] = []
        var listedAny = false
        for selection in arguments.selections {
            let namespace = session.namespace(for: selection.kind)
            if selection.names.isEmpty {
                guard options.all || !(options.labelSelector ?? "").isEmpty || !(options.fieldSelector ?? "").isEmpty else {
                    throw .message("resource(s) were provided, but no name was specified")
                }
                listedAny = true
                let listed = try await session.list(
                    selection.kind, namespace: namespace, labelSelector: options.labelSelector,
                    fieldSelector: options.fieldSelector)
                for item in listed.items {
                    targets.append(
                        Target(
                            kind: selection.kind, name: item["metadata"]["name"].stringValue ?? "",
                            namespace: namespace, source: nil))
                }
            } else {
                targets += selection.names.map { Target(kind: selection.kind, name: $0, namespace: namespace, source: nil) }
            }
        }
        if targets.isEmpty && listedAny {
            output.out("No resources found\n")
            return true
        }
        return try await delete(targets)
    }

    /// `delete -f FILE`: the manifest's objects, by name.
    public func run(_ documents: [ManifestDocument]) async throws(CtlError) -> Bool {
        var targets: [Target] = []
        for document in documents {
            let kind = try session.resource(for: document.object, source: document.source)
            targets.append(
                Target(
                    kind: kind, name: document.object["metadata"]["name"].stringValue ?? "",
                    namespace: session.namespace(for: kind, object: document.object), source: document.source))
        }
        return try await delete(targets)
    }

    private var body: JSONValue {
        var body: JSONValue = ["propagationPolicy": "Background"]
        if let gracePeriod = options.gracePeriod, gracePeriod >= 0 { body["gracePeriodSeconds"] = .integer(Int64(gracePeriod)) }
        return body
    }

    private func delete(_ targets: [Target]) async throws(CtlError) -> Bool {
        var failures: [CtlError] = []
        var deleted: [(Target, String?)] = []
        for target in targets {
            let response = try await session.send(
                "DELETE", target.kind.path(namespace: target.namespace, name: target.name), body: body)
            if let status = response.statusError {
                if status.code == 404 && options.ignoreNotFound { continue }
                let context = target.source.map { "error when deleting \(GoQuote.quote($0)): " } ?? ""
                failures.append(.server(status, context: context))
                continue
            }
            let reply = try? JSONValue(jsonBytes: response.body)
            // A 200 with the object (finalizers pending) or a Status carrying its uid.
            let uid = reply?["metadata"]["uid"].stringValue ?? reply?["details"]["uid"].stringValue
            output.out("\(target.kind.displayKind) \(GoQuote.quote(target.name)) deleted\n")
            deleted.append((target, uid))
        }
        if options.wait {
            for (target, uid) in deleted {
                do {
                    try await waitUntilGone(target, uid: uid)
                } catch {
                    if case .connection = error { throw error }
                    failures.append(error)
                }
            }
        }
        for failure in failures { output.err(failure.description + "\n") }
        return failures.isEmpty
    }

    /// Polls until GET says 404, or the name now belongs to another object (new uid).
    private func waitUntilGone(_ target: Target, uid: String?) async throws(CtlError) {
        let clock = ContinuousClock()
        let deadline = options.timeout.map { clock.now + $0 }
        while true {
            guard let live = try await session.getIfExists(target.kind, name: target.name, namespace: target.namespace) else {
                return
            }
            if let uid, let liveUID = live["metadata"]["uid"].stringValue, liveUID != uid { return }
            if let deadline, clock.now >= deadline {
                throw .message("timed out waiting for the condition on \(target.kind.plural)/\(target.name)")
            }
            do {
                try await Task.sleep(for: options.pollInterval)
            } catch {
                throw .message("interrupted while waiting for \(target.kind.plural)/\(target.name) to be deleted")
            }
        }
    }
}
