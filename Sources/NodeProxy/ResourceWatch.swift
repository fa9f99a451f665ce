import Logging
import SkiffAPI

/// What the proxy learns of one kind (Services or EndpointSlices).
enum ResourceUpdate: Sendable {
    enum Kind: Sendable { case services, slices }

    /// A complete list: whatever was known of this kind and is not in it is gone.
    case listed(Kind, [JSONValue])
    case changed(Kind, JSONValue)
    case deleted(Kind, JSONValue)
}

/// List-then-watch of one kind across all namespaces, as client-go's
/// reflector does: a watch that ends or breaks resumes from the last
/// resourceVersion seen (bookmarks included), an expired one (410 Gone)
/// relists, and a failed list is retried after a second.
struct ResourceWatch: Sendable {
    let kind: ResourceUpdate.Kind
    let path: String
    let api: ProxyAPI
    let logger: Logger

    func run(_ deliver: @Sendable (ResourceUpdate) -> Void) async {
        while !Task.isCancelled {
            let version: String
            do {
                let list = try await api.list(path)
                deliver(.listed(kind, list.items))
                version = list.resourceVersion
            } catch {
                if Task.isCancelled { return }
                logger.warning("listing \(path) failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            await watch(from: version, deliver)
        }
    }

    /// Watches until the watch expires (410: the caller relists) or the task ends.
    private func watch(from start: String, _ deliver: @Sendable (ResourceUpdate) -> Void) async {
        var version = start
        while !Task.isCancelled {
            do {
                let events = try await api.watch(path, resourceVersion: version)
                for try await event in events {
                    if let next = event.object.metadata.resourceVersion { version = next }
                    switch event.type {
                    case "ADDED", "MODIFIED": deliver(.changed(kind, event.object))
                    case "DELETED": deliver(.deleted(kind, event.object))
                    default: continue
                    }
                }
            } catch let error as ProxyAPIError where error.isGone {
                logger.debug("watch of \(path) expired; relisting")
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("watch of \(path) failed; resuming", metadata: ["error": "\(error)", "resourceVersion": "\(version)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
