import Foundation
import Logging
import SkiffAPI

/// Keeps the v1 Endpoints of every Service with a selector, as
/// kube-controller-manager's endpoints controller does: one object named
/// after the Service, whose subsets list the selected pods' addresses (ready
/// ones in `addresses`, the others in `notReadyAddresses`, all of them ready
/// with `publishNotReadyAddresses`) with the Service's ports resolved per pod.
/// Services without a selector keep whatever the user wrote; deleting a
/// Service deletes its Endpoints.
struct EndpointsController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    /// Kubernetes truncates an Endpoints object at 1000 addresses and says so
    /// in this annotation (EndpointSlices carry the rest).
    static let maxAddresses = 1000
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    static let managerName = "endpoint-controller"

    private var access: ControllerAccess { ControllerAccess(handler: handler, component: "endpoint-controller") }

    func run() async {
        guard let pods = access.pods, let services = access.resource("", "services"),
            let endpoints = access.resource("", "endpoints")
        else { return }
        // Services seen in the last pass: one gone since then takes its
        // Endpoints along even when they were the user's (as Kubernetes does
        // on the Service's delete event); after a restart, the managed-by
        // label finds the ones this controller wrote.
        var previous: Set<String> = []
        while !Task.isCancelled {
            let passStarted = ContinuousClock.now
            do {
                let podList = try await access.list(pods)
                let serviceList = try await access.list(services)
                let endpointsList = try await access.list(endpoints)
                previous = try await reconcile(
                    services: serviceList.objects, pods: podList.objects, existing: endpointsList.objects,
                    previous: previous, kind: endpoints)
                try await handler.waitForChange(
                    of: [(pods, podList.revision), (services, serviceList.revision), (endpoints, endpointsList.revision)],
                    timeout: .seconds(30), settle: ControllerPacing.settle(after: .now - passStarted))
            } catch {
                if Task.isCancelled { return }
                logger.warning("endpoints controller: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One pass; returns the keys of the Services that exist now.
    private func reconcile(
        services: [JSONValue], pods: [JSONValue], existing: [JSONValue], previous: Set<String>, kind: ResourceKind
    ) async throws(APIStatus) -> Set<String> {
        let selection = EndpointSelection(pods: pods)
        var current: [String: JSONValue] = [:]
        for object in existing { current[Self.key(object)] = object }
        var present: Set<String> = []
        for service in services {
            let key = Self.key(service)
            present.insert(key)
            guard service.metadata.deletionTimestamp == nil, let selector = EndpointSelection.selector(of: service) else { continue }
            let desired = Self.endpoints(for: service, backends: selection.backends(of: service, selector: selector))
            if let found = current[key] {
                let next = Self.merged(desired, into: found)
                if next != found { try await access.write(kind, current: found, next: next) }
            } else {
                try await access.create(kind, desired, namespace: service.metadata.namespace)
            }
        }
        for (key, object) in current where !present.contains(key) {
            let ours = object.metadata.labels[EndpointSelection.managedByLabel] == Self.managerName
            guard ours || previous.contains(key), let name = object.metadata.name else { continue }
            try await access.delete(kind, namespace: object.metadata.namespace, name: name, uid: object.metadata.uid)
        }
        return present
    }

    private static func key(_ object: JSONValue) -> String {
        "\(object.metadata.namespace ?? "default")/\(object.metadata.name ?? "")"
    }

    /// `desired`'s subsets, labels and capacity annotation over `existing`,
    /// whose other annotations and metadata stay.
    private static func merged(_ desired: JSONValue, into existing: JSONValue) -> JSONValue {
        var next = existing
        next["subsets"] = desired["subsets"]
        next["metadata"]["labels"] = desired["metadata"]["labels"]
        var annotations = existing.metadata.annotations
        annotations[overCapacityAnnotation] = desired.metadata.annotations[overCapacityAnnotation]
        next["metadata"]["annotations"] = annotations.isEmpty ? .null : JSONValue(stringMap: annotations)
        return next.removingNullFields()
    }

    /// The Endpoints object `service` should have with `backends`.
    static func endpoints(for service: JSONValue, backends: [EndpointSelection.Backend]) -> JSONValue {
        let publishNotReady = service["spec"]["publishNotReadyAddresses"].boolValue ?? false
        let servicePorts = service["spec"]["ports"].arrayValue ?? []
        // Addresses grouped by the exact set of ports they serve (RepackSubsets).
        var groups: [[EndpointPort]: (ready: [JSONValue], notReady: [JSONValue])] = [:]
        var order: [[EndpointPort]] = []
        var total = 0
        var truncated = false
        for backend in backends {
            // Terminating pods leave the Endpoints unless the Service publishes
            // everything (the EndpointSlices keep them, marked terminating).
            if backend.terminating && !publishNotReady { continue }
            let ports = EndpointPort.resolve(service: service, pod: backend.pod).sorted()
            // A pod that serves none of the Service's ports is no endpoint of it;
            // a headless Service without ports still lists its pods.
            guard !ports.isEmpty || (servicePorts.isEmpty && EndpointSelection.isHeadless(service)) else { continue }
            guard total < maxAddresses else {
                truncated = true
                continue
            }
            total += 1
            var address: JSONValue = ["ip": .string(backend.ip), "targetRef": backend.targetRef]
            if let node = backend.nodeName { address["nodeName"] = .string(node) }
            if let hostname = backend.hostname(for: service) { address["hostname"] = .string(hostname) }
            if groups[ports] == nil { order.append(ports) }
            if backend.ready || publishNotReady {
                groups[ports, default: ([], [])].ready.append(address)
            } else {
                groups[ports, default: ([], [])].notReady.append(address)
            }
        }
        let subsets: [JSONValue] = order.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { ports in
            guard let group = groups[ports] else { return nil }
            var subset: JSONValue = [:]
            if !group.ready.isEmpty { subset["addresses"] = .array(group.ready) }
            if !group.notReady.isEmpty { subset["notReadyAddresses"] = .array(group.notReady) }
            if !ports.isEmpty { subset["ports"] = .array(ports.map(\.endpointsJSON)) }
            return subset
        }
        var labels = EndpointSelection.labels(for: service, removing: [EndpointSelection.managedByLabel])
        labels[EndpointSelection.managedByLabel] = managerName
        var metadata: JSONValue = [
            "name": .string(service.metadata.name ?? ""), "namespace": .string(service.metadata.namespace ?? "default"),
            "labels": JSONValue(stringMap: labels),
        ]
        if truncated { metadata["annotations"] = [overCapacityAnnotation: "truncated"] }
        var object: JSONValue = ["apiVersion": "v1", "kind": "Endpoints", "metadata": metadata]
        if !subsets.isEmpty { object["subsets"] = .array(subsets) }
        return object
    }
}
