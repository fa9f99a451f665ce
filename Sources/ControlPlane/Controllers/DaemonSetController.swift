import Foundation
import Logging
import SkiffAPI

/// One pod of a DaemonSet on every node that should run it, as
/// kube-controller-manager's daemonset controller keeps them: a node that
/// joins gets its pod, a node that goes (or stops matching) loses it, and a
/// template change replaces the pods node by node (RollingUpdate,
/// `maxUnavailable`). The pods name their node through required node
/// affinity on `metadata.name`, so the default scheduler binds them.
struct DaemonSetController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    private var access: ControllerAccess { ControllerAccess(handler: handler, component: "daemonset-controller") }

    func run() async {
        guard let sets = access.resource("apps", "daemonsets"), let pods = access.pods,
            let nodes = access.resource("", "nodes")
        else { return }
        while !Task.isCancelled {
            let passStarted = ContinuousClock.now
            do {
                let (setList, revision) = try await access.list(sets)
                let live = setList.filter { $0.metadata.deletionTimestamp == nil }
                let podList = live.isEmpty ? [] : try await access.list(pods).objects
                let nodeList = live.isEmpty ? [] : try await access.list(nodes).objects
                let byOwner = Dictionary(grouping: podList) { $0.metadata.controllerReference?.uid ?? "" }
                var wake: Date?
                for daemonSet in live {
                    let sync = DaemonSetSync(
                        access: access, daemonSet: daemonSet, pods: byOwner[daemonSet.metadata.uid ?? "-"] ?? [],
                        nodes: nodeList, now: handler.now())
                    do {
                        if let next = try await sync.run(sets: sets) { wake = min(wake ?? next, next) }
                    } catch {
                        // One set the store refuses does not hold up the others; the next pass retries it.
                        logger.warning("daemonset controller: \(daemonSet.metadata.name ?? ""): \(error)")
                        wake = handler.now().addingTimeInterval(1)
                    }
                }
                try await handler.waitForChange(
                    ofAny: [sets, pods, nodes], after: revision, timeout: ControllerPacing.timeout(until: wake, now: handler.now(), cap: .seconds(30)), settle: ControllerPacing.settle(after: .now - passStarted))
            } catch {
                if Task.isCancelled { return }
                logger.warning("daemonset controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
