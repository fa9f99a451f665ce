import SkiffAPI

extension Admission {
    /// The built-in kinds whose rules this file set knows, found from a `ResourceKind` by group and kind
    /// so that every entry of `ResourceRegistry.builtin` maps to exactly one case.
    enum BuiltinKind: Sendable {
        case pod, service, endpoints, secret, configMap, namespace, node, event
        case persistentVolume, persistentVolumeClaim, serviceAccount
        case deployment, replicaSet, daemonSet, statefulSet, job
        case endpointSlice, lease

        init?(_ resource: ResourceKind) {
            switch (resource.group, resource.kind) {
            case ("", "Pod"): self = .pod
            case ("", "Service"): self = .service
            case ("", "Endpoints"): self = .endpoints
            case ("", "Secret"): self = .secret
            case ("", "ConfigMap"): self = .configMap
            case ("", "Namespace"): self = .namespace
            case ("", "Node"): self = .node
            case ("", "Event"): self = .event
            case ("", "PersistentVolume"): self = .persistentVolume
            case ("", "PersistentVolumeClaim"): self = .persistentVolumeClaim
            case ("", "ServiceAccount"): self = .serviceAccount
            case ("apps", "Deployment"): self = .deployment
            case ("apps", "ReplicaSet"): self = .replicaSet
            case ("apps", "DaemonSet"): self = .daemonSet
            case ("apps", "StatefulSet"): self = .statefulSet
            case ("batch", "Job"): self = .job
            case ("discovery.k8s.io", "EndpointSlice"): self = .endpointSlice
            case ("coordination.k8s.io", "Lease"): self = .lease
            default: return nil
            }
        }

        /// Cluster-scoped kinds carry no `metadata.namespace`.
        var isNamespaced: Bool {
            switch self {
            case .namespace, .node, .persistentVolume: return false
            default: return true
            }
        }

        func applyDefaults(_ object: inout JSONValue) {
            switch self {
            case .pod: PodDefaults.pod(&object)
            case .service: ServiceDefaults.service(&object)
            case .endpoints: ServiceDefaults.endpoints(&object)
            case .endpointSlice: ServiceDefaults.endpointSlice(&object)
            case .secret: CoreDefaults.secret(&object)
            case .namespace: CoreDefaults.namespace(&object)
            case .node: CoreDefaults.node(&object)
            case .persistentVolume: CoreDefaults.persistentVolume(&object)
            case .persistentVolumeClaim: CoreDefaults.persistentVolumeClaim(&object)
            case .deployment: WorkloadDefaults.deployment(&object)
            case .replicaSet: WorkloadDefaults.replicaSet(&object)
            case .daemonSet: WorkloadDefaults.daemonSet(&object)
            case .statefulSet: WorkloadDefaults.statefulSet(&object)
            case .job: JobDefaults.job(&object)
            case .configMap, .event, .serviceAccount, .lease: break
            }
        }

        /// The checks of a stored object; `creating` adds those Kubernetes makes only on create.
        func validate(_ object: JSONValue, creating: Bool) -> [FieldError] {
            switch self {
            case .pod: return PodValidation.pod(object, creating: creating)
            case .service: return ServiceValidation.service(object)
            case .secret: return ConfigDataValidation.secret(object)
            case .configMap: return ConfigDataValidation.configMap(object)
            case .deployment: return WorkloadValidation.deployment(object)
            case .replicaSet: return WorkloadValidation.replicaSet(object)
            case .daemonSet: return WorkloadValidation.daemonSet(object)
            case .statefulSet: return WorkloadValidation.statefulSet(object)
            case .job: return JobValidation.job(object)
            case .namespace: return MetaValidation.objectMeta(object, namespaced: false, name: .label)
            case .persistentVolumeClaim: return StorageValidation.persistentVolumeClaim(object)
            case .persistentVolume: return StorageValidation.persistentVolume(object)
            case .endpoints: return NetworkObjectValidation.endpoints(object)
            case .endpointSlice: return NetworkObjectValidation.endpointSlice(object)
            case .event: return NetworkObjectValidation.event(object)
            case .node, .serviceAccount, .lease:
                return MetaValidation.objectMeta(object, namespaced: isNamespaced, name: .subdomain)
            }
        }

        func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            switch self {
            case .pod: return PodUpdateValidation.pod(object, old: old)
            case .service: return ServiceValidation.update(object, old: old)
            case .secret: return ConfigDataValidation.secretUpdate(object, old: old)
            case .configMap: return ConfigDataValidation.configMapUpdate(object, old: old)
            case .deployment, .replicaSet, .daemonSet: return WorkloadValidation.selectorUpdate(object, old: old)
            case .statefulSet: return WorkloadValidation.statefulSetUpdate(object, old: old)
            case .job: return JobValidation.update(object, old: old)
            case .persistentVolumeClaim: return StorageValidation.persistentVolumeClaimUpdate(object, old: old)
            default: return []
            }
        }

        var schema: FieldSchema {
            switch self {
            case .pod: return FieldSchema.Kinds.pod
            case .service: return FieldSchema.Kinds.service
            case .endpoints: return FieldSchema.Kinds.endpoints
            case .secret: return FieldSchema.Kinds.secret
            case .configMap: return FieldSchema.Kinds.configMap
            case .namespace: return FieldSchema.Kinds.namespace
            case .node: return FieldSchema.Kinds.node
            case .event: return FieldSchema.Kinds.event
            case .persistentVolume: return FieldSchema.Kinds.persistentVolume
            case .persistentVolumeClaim: return FieldSchema.Kinds.persistentVolumeClaim
            case .serviceAccount: return FieldSchema.Kinds.serviceAccount
            case .deployment: return FieldSchema.Kinds.deployment
            case .replicaSet: return FieldSchema.Kinds.replicaSet
            case .daemonSet: return FieldSchema.Kinds.daemonSet
            case .statefulSet: return FieldSchema.Kinds.statefulSet
            case .job: return FieldSchema.Kinds.job
            case .endpointSlice: return FieldSchema.Kinds.endpointSlice
            case .lease: return FieldSchema.Kinds.lease
            }
        }
    }
}
