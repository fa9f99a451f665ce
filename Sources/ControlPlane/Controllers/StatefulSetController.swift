import Foundation
import Logging
import SkiffAPI

/// Pods with stable names and storage, as kube-controller-manager's
/// statefulset controller makes them: `<set>-0 … <set>-N-1`, each with its
/// own PersistentVolumeClaims from `volumeClaimTemplates` (created before the
/// pod, kept when the set shrinks or goes, unless the retention policy says
/// Delete), started in order and removed in reverse order (OrderedReady) or
/// all at once (Parallel), and replaced from the highest ordinal down when the
/// template changes (RollingUpdate, with `partition`). A pod deleted by hand
/// comes back under the same name with the same claims.
///
/// ControllerRevisions are not in our registry: a revision is only the hash
/// of the template (`<set>-<PodTemplateHash>`, in pod labels and status), so
/// a pod below the partition that is recreated gets the current template,
/// not the older one Kubernetes would restore from its ControllerRevision.
struct StatefulSetController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    private var access: ControllerAccess { ControllerAccess(handler: handler, component: "statefulset-controller") }

    func run() async {
        guard let sets = access.resource("apps", "statefulsets"), let pods = access.pods,
            let claims = access.resource("", "persistentvolumeclaims")
        else { return }
        while !Task.isCancelled {
            let passStarted = ContinuousClock.now
            do {
                let (setList, revision) = try await access.list(sets)
                let podList = setList.isEmpty ? [] : try await access.list(pods).objects
                let byOwner = Dictionary(grouping: podList) { $0.metadata.controllerReference?.uid ?? "" }
                var wake: Date?
                for statefulSet in setList where statefulSet.metadata.deletionTimestamp == nil {
                    let needsClaims = !(statefulSet["spec"]["volumeClaimTemplates"].arrayValue ?? []).isEmpty
                    let claimList = needsClaims ? try await access.list(claims, namespace: statefulSet.metadata.namespace).objects : []
                    let sync = StatefulSetSync(
                        access: access, statefulSet: statefulSet, pods: byOwner[statefulSet.metadata.uid ?? "-"] ?? [], claims: claimList,
                        claimResource: claims, now: handler.now())
                    do {
                        if let next = try await sync.run(sets: sets) { wake = min(wake ?? next, next) }
                    } catch {
                        // One set the store refuses does not hold up the others; the next pass retries it.
                        logger.warning("statefulset controller: \(statefulSet.metadata.name ?? ""): \(error)")
                        wake = handler.now().addingTimeInterval(1)
                    }
                }
                try await handler.waitForChange(ofAny: [sets, pods], after: revision, timeout: ControllerPacing.timeout(until: wake, now: handler.now(), cap: .seconds(30)), settle: ControllerPacing.settle(after: .now - passStarted))
            } catch {
                if Task.isCancelled { return }
                logger.warning("statefulset controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
