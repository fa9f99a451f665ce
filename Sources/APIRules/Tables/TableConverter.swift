import Foundation
import SkiffAPI

/// Server-side printing: the `meta.k8s.io/v1` Table the API server returns when kubectl asks
/// for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
///
/// kubectl prints these cells verbatim (it has no printers of its own for server tables), so
/// columns and cells follow Kubernetes 1.32's `pkg/printers/internalversion` exactly.
public enum TableConverter {
    /// The Table for `objects` (full stored objects, with kind/apiVersion/metadata).
    ///
    /// - Parameters:
    ///   - includeObject: `None` (rows carry no object), `Object` (the full object, which
    ///     `--sort-by` needs) or anything else, as `Metadata`, the default: a
    ///     `PartialObjectMetadata` with the object's metadata, from which kubectl reads the
    ///     namespace for `-A` and the labels for `--show-labels`.
    ///   - listMetadata: the list's `metadata` (`resourceVersion`, `continue`), which seeds a
    ///     following watch. For a single-object GET pass `[object]` and
    ///     `{"resourceVersion": <the object's>}`, as the API server does.
    public static func table(
        resource: ResourceKind, objects: [JSONValue], now: Date, includeObject: String, listMetadata: JSONValue
    ) -> JSONValue {
        let printer = printer(for: resource)
        let rows = objects.map { object -> JSONValue in
            var row: JSONValue = ["cells": .array(printer.cells(object, now: now))]
            let conditions = printer.conditions(object)
            if !conditions.isEmpty { row["conditions"] = .array(conditions) }
            row["object"] = rowObject(object, includeObject: includeObject)
            return row
        }
        return [
            "kind": "Table",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": listMetadata.objectValue == nil ? .emptyObject : listMetadata,
            "columnDefinitions": .array(printer.columns.map(\.json)),
            "rows": .array(rows),
        ]
    }

    private static func rowObject(_ object: JSONValue, includeObject: String) -> JSONValue {
        switch includeObject {
        case "None":
            return .null
        case "Object":
            return object
        default:
            return [
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": object["metadata"].objectValue == nil ? .emptyObject : object["metadata"],
            ]
        }
    }

    /// The printer Kubernetes registers for the resource, NAME AGE for any other.
    static func printer(for resource: ResourceKind) -> any TablePrinter.Type {
        switch (resource.group, resource.plural) {
        case ("", "pods"): PodTable.self
        case ("", "services"): ServiceTable.self
        case ("", "endpoints"): EndpointsTable.self
        case ("", "namespaces"): NamespaceTable.self
        case ("", "nodes"): NodeTable.self
        case ("", "secrets"): SecretTable.self
        case ("", "configmaps"): ConfigMapTable.self
        case ("", "events"): EventTable.self
        case ("", "serviceaccounts"): ServiceAccountTable.self
        case ("", "persistentvolumes"): PersistentVolumeTable.self
        case ("", "persistentvolumeclaims"): PersistentVolumeClaimTable.self
        case ("apps", "deployments"): DeploymentTable.self
        case ("apps", "replicasets"): ReplicaSetTable.self
        case ("apps", "daemonsets"): DaemonSetTable.self
        case ("apps", "statefulsets"): StatefulSetTable.self
        case ("batch", "jobs"): JobTable.self
        case ("discovery.k8s.io", "endpointslices"): EndpointSliceTable.self
        case ("coordination.k8s.io", "leases"): LeaseTable.self
        default: DefaultTable.self
        }
    }
}
