import Foundation
import Logging
import SkiffAPI

/// Deleting a namespace deletes everything in it: the DELETE only marks the
/// namespace Terminating; this loop empties it, then removes it — the
/// namespace controller of kube-controller-manager, run inside the server.
struct NamespaceController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    private var namespaces: ResourceKind? {
        handler.registry.resource(group: "", version: "v1", plural: "namespaces")
    }

    func run() async {
        guard let namespaces else { return }
        while !Task.isCancelled {
            do {
                let page = try await handler.store.list(
                    namespaces, namespace: nil, limit: nil, continueAfter: nil, atRevision: nil)
                for (_, namespace) in page.objects where namespace.metadata.deletionTimestamp != nil {
                    try await finalize(namespace)
                }
                try await handler.waitForChange(of: namespaces, after: page.revision)
            } catch {
                if Task.isCancelled { return }
                logger.warning("namespace controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Deletes every namespaced object in the namespace; once none are left,
    /// deletes the namespace itself.
    private func finalize(_ namespace: JSONValue) async throws(APIStatus) {
        guard let name = namespace.metadata.name, let namespaces else { return }
        var remaining = 0
        for resource in handler.registry.resources where resource.namespaced {
            let page = try await handler.store.list(
                resource, namespace: name, limit: nil, continueAfter: nil, atRevision: nil)
            for (_, object) in page.objects {
                remaining += 1
                guard object.metadata.deletionTimestamp == nil, let objectName = object.metadata.name else { continue }
                var options = DeleteOptions.background
                options.gracePeriodSeconds = nil
                do {
                    _ = try await handler.deleteObject(
                        Scope(resource: resource, namespace: name), name: objectName, options: options)
                } catch where error.reason == .notFound {
                    continue
                }
            }
        }
        guard remaining == 0, let version = namespace.metadata.resourceVersion.flatMap(Int64.init) else { return }
        do {
            _ = try await handler.store.delete(
                namespaces, namespace: nil, name: name, expected: StorageRevision(version))
            logger.info("namespace deleted", metadata: ["namespace": "\(name)"])
        } catch where error.reason == .conflict || error.reason == .notFound {
            return
        }
    }
}

extension DeleteOptions {
    /// What controllers use: delete now, dependents collected in the background.
    static var background: DeleteOptions {
        DeleteOptions(propagation: .background, gracePeriodSeconds: nil, preconditionUID: nil, preconditionResourceVersion: nil)
    }

    init(propagation: Propagation?, gracePeriodSeconds: Int64?, preconditionUID: String?, preconditionResourceVersion: String?) {
        self.propagation = propagation
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
    }
}
