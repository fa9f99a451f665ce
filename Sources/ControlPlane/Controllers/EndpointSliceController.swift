import Foundation
import Logging
import SkiffAPI

/// Keeps the discovery.k8s.io/v1 EndpointSlices of every Service with a
/// selector, as kube-controller-manager's endpointslice controller does
/// (what kube-proxy and ours read): at most 100 endpoints per slice, each
/// with its ready/serving/terminating conditions, node and pod; slices
/// labelled with the Service's name and owned by it. Slices someone else
/// manages, and those of Services without a selector, are left alone; a
/// deleted Service's slices go with it.
struct EndpointSliceController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    private var access: ControllerAccess { ControllerAccess(handler: handler, component: "endpointslice-controller") }

    func run() async {
        guard let pods = access.pods, let services = access.resource("", "services"),
            let slices = access.resource("discovery.k8s.io", "endpointslices")
        else { return }
        while !Task.isCancelled {
            let passStarted = ContinuousClock.now
            do {
                let podList = try await access.list(pods)
                let serviceList = try await access.list(services)
                let sliceList = try await access.list(slices)
                try await reconcile(services: serviceList.objects, pods: podList.objects, slices: sliceList.objects, kind: slices)
                try await handler.waitForChange(
                    of: [(pods, podList.revision), (services, serviceList.revision), (slices, sliceList.revision)],
                    timeout: .seconds(30), settle: ControllerPacing.settle(after: .now - passStarted))
            } catch {
                if Task.isCancelled { return }
                logger.warning("endpointslice controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func reconcile(services: [JSONValue], pods: [JSONValue], slices: [JSONValue], kind: ResourceKind) async throws(APIStatus) {
        let selection = EndpointSelection(pods: pods)
        var ours: [String: [JSONValue]] = [:]
        for slice in slices
        where slice.metadata.labels[EndpointSlicePlan.managedByLabel] == EndpointSlicePlan.controllerName
            && slice.metadata.deletionTimestamp == nil
        {
            let service = slice.metadata.labels[EndpointSlicePlan.serviceNameLabel] ?? ""
            ours["\(slice.metadata.namespace ?? "default")/\(service)", default: []].append(slice)
        }
        var handled: Set<String> = []
        for service in services {
            let key = "\(service.metadata.namespace ?? "default")/\(service.metadata.name ?? "")"
            handled.insert(key)
            guard service.metadata.deletionTimestamp == nil, let selector = EndpointSelection.selector(of: service) else { continue }
            // A slice owned by an earlier Service of the same name is not this one's.
            var current: [JSONValue] = []
            for slice in ours[key] ?? [] {
                if let owner = slice.metadata.controllerReference?.uid, owner != service.metadata.uid {
                    try await delete(slice, kind: kind)
                } else {
                    current.append(slice)
                }
            }
            let plan = EndpointSlicePlan(
                service: service, backends: selection.backends(of: service, selector: selector), existing: current)
            for slice in plan.creates {
                try await access.create(kind, slice, namespace: service.metadata.namespace)
            }
            for (current, next) in plan.updates {
                try await access.write(kind, current: current, next: next)
            }
            for slice in plan.deletes {
                try await delete(slice, kind: kind)
            }
        }
        for (key, orphans) in ours where !handled.contains(key) {
            for slice in orphans { try await delete(slice, kind: kind) }
        }
    }

    private func delete(_ slice: JSONValue, kind: ResourceKind) async throws(APIStatus) {
        guard let name = slice.metadata.name else { return }
        try await access.delete(kind, namespace: slice.metadata.namespace, name: name, uid: slice.metadata.uid)
    }
}
