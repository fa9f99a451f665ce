import Foundation
import Logging
import SkiffAPI

/// Rolls Deployments out through ReplicaSets, as kube-controller-manager's
/// deployment controller does: one ReplicaSet per pod template
/// (`<name>-<pod-template-hash>`), numbered by revision; RollingUpdate within
/// maxSurge/maxUnavailable or Recreate; scaling, pausing, history pruning and
/// the `Available`/`Progressing` conditions `rollout status` reads.
///
/// Level-triggered and restart-safe: each pass lists Deployments,
/// ReplicaSets and pods once, and every decision comes from what the store
/// holds; a pass that loses a write to a conflict stops, and the next one
/// (woken by that very change) decides again.
struct DeploymentController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    var access: ControllerAccess { ControllerAccess(handler: handler, component: "deployment-controller") }

    func run() async {
        guard let deployments = access.resource("apps", "deployments"),
            let replicaSets = access.resource("apps", "replicasets"), let pods = access.pods
        else { return }
        let kinds = DeploymentSync.Kinds(deployments: deployments, replicaSets: replicaSets)
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let started = clock.now
            do {
                let deploymentList = try await access.list(deployments)
                let replicaSetList = try await access.list(replicaSets)
                let podList = try await access.list(pods)
                let podGroups = ReplicaSetPodGroups(podList.objects)
                let replicaSetsByNamespace = Dictionary(grouping: replicaSetList.objects) { $0.metadata.namespace ?? "" }
                // What each pass costs however little changed: reading and grouping everything.
                let readCost = clock.now - started
                var due: Date?
                for deployment in deploymentList.objects {
                    var sync = DeploymentSync(
                        access: access, kinds: kinds, deployment: deployment,
                        replicaSets: replicaSetsByNamespace[deployment.metadata.namespace ?? ""] ?? [], pods: podGroups,
                        now: handler.now())
                    do {
                        if let next = try await sync.run() { due = min(due ?? next, next) }
                    } catch {
                        logger.warning(
                            "deployment controller: \(deployment.metadata.namespace ?? "")/\(deployment.metadata.name ?? ""): \(error)")
                    }
                }
                try await handler.waitForChange(
                    of: [
                        (deployments, deploymentList.revision), (replicaSets, replicaSetList.revision),
                        (pods, podList.revision),
                    ],
                    timeout: ControllerPacing.timeout(until: due, now: handler.now()),
                    settle: ControllerPacing.settle(after: readCost))
            } catch {
                if Task.isCancelled { return }
                logger.warning("deployment controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
