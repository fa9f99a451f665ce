extension ResourceRegistry {
    /// The resources of issue #4, with the names, scopes, verbs, subresources and
    /// field selectors of Kubernetes 1.32.
    public static let builtin = ResourceRegistry(BuiltinResources.all)
}

/// The table behind `ResourceRegistry.builtin`, kept apart so each entry reads as one row.
private enum BuiltinResources {
    static let getUpdate = ["get", "patch", "update"]
    static let namespaceVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"]

    static func gvk(_ group: String, _ version: String, _ kind: String) -> GroupVersionKind {
        GroupVersionKind(group: group, version: version, kind: kind)
    }

    /// `status` serves the parent kind with get/patch/update.
    static func status(_ parent: GroupVersionKind) -> Subresource {
        Subresource(name: "status", groupVersionKind: parent, verbs: getUpdate)
    }

    /// `scale` serves `autoscaling/v1 Scale`, which `kubectl scale` patches.
    static let scale = Subresource(name: "scale", groupVersionKind: gvk("autoscaling", "v1", "Scale"), verbs: getUpdate)

    static let pod = gvk("", "v1", "Pod")
    static let service = gvk("", "v1", "Service")
    static let namespace = gvk("", "v1", "Namespace")
    static let node = gvk("", "v1", "Node")
    static let persistentVolume = gvk("", "v1", "PersistentVolume")
    static let persistentVolumeClaim = gvk("", "v1", "PersistentVolumeClaim")
    static let deployment = gvk("apps", "v1", "Deployment")
    static let replicaSet = gvk("apps", "v1", "ReplicaSet")
    static let daemonSet = gvk("apps", "v1", "DaemonSet")
    static let statefulSet = gvk("apps", "v1", "StatefulSet")
    static let job = gvk("batch", "v1", "Job")

    static let all: [ResourceKind] = [
        ResourceKind(
            groupVersionKind: namespace, plural: "namespaces", singular: "namespace", shortNames: ["ns"],
            namespaced: false, verbs: namespaceVerbs,
            subresources: [
                status(namespace),
                Subresource(name: "finalize", groupVersionKind: namespace, verbs: ["update"]),
            ],
            selectableFields: ["status.phase": ["status", "phase"]]),
        ResourceKind(
            groupVersionKind: pod, plural: "pods", singular: "pod", shortNames: ["po"], namespaced: true,
            subresources: [
                status(pod),
                Subresource(name: "log", groupVersionKind: pod, verbs: ["get"]),
                Subresource(name: "exec", groupVersionKind: gvk("", "v1", "PodExecOptions"), verbs: ["create", "get"]),
                Subresource(name: "binding", groupVersionKind: gvk("", "v1", "Binding"), verbs: ["create"]),
            ],
            categories: ["all"],
            selectableFields: [
                "spec.nodeName": ["spec", "nodeName"],
                "spec.restartPolicy": ["spec", "restartPolicy"],
                "spec.schedulerName": ["spec", "schedulerName"],
                "spec.serviceAccountName": ["spec", "serviceAccountName"],
                "spec.hostNetwork": ["spec", "hostNetwork"],
                "status.phase": ["status", "phase"],
                "status.podIP": ["status", "podIP"],
                "status.nominatedNodeName": ["status", "nominatedNodeName"],
            ]),
        ResourceKind(
            groupVersionKind: service, plural: "services", singular: "service", shortNames: ["svc"], namespaced: true,
            subresources: [status(service)], categories: ["all"],
            selectableFields: ["spec.clusterIP": ["spec", "clusterIP"], "spec.type": ["spec", "type"]]),
        ResourceKind(
            groupVersionKind: gvk("", "v1", "Endpoints"), plural: "endpoints", singular: "endpoints",
            shortNames: ["ep"], namespaced: true),
        ResourceKind(
            groupVersionKind: gvk("", "v1", "Secret"), plural: "secrets", singular: "secret", namespaced: true,
            selectableFields: ["type": ["type"]]),
        ResourceKind(
            groupVersionKind: gvk("", "v1", "ConfigMap"), plural: "configmaps", singular: "configmap",
            shortNames: ["cm"], namespaced: true),
        ResourceKind(
            groupVersionKind: node, plural: "nodes", singular: "node", shortNames: ["no"], namespaced: false,
            subresources: [status(node)],
            selectableFields: ["spec.unschedulable": ["spec", "unschedulable"]]),
        ResourceKind(
            groupVersionKind: gvk("", "v1", "Event"), plural: "events", singular: "event", shortNames: ["ev"],
            namespaced: true,
            selectableFields: [
                "involvedObject.kind": ["involvedObject", "kind"],
                "involvedObject.namespace": ["involvedObject", "namespace"],
                "involvedObject.name": ["involvedObject", "name"],
                "involvedObject.uid": ["involvedObject", "uid"],
                "involvedObject.apiVersion": ["involvedObject", "apiVersion"],
                "involvedObject.resourceVersion": ["involvedObject", "resourceVersion"],
                "involvedObject.fieldPath": ["involvedObject", "fieldPath"],
                "reason": ["reason"],
                "reportingComponent": ["reportingComponent"],
                "source": ["source", "component"],
                "type": ["type"],
            ]),
        ResourceKind(
            groupVersionKind: persistentVolume, plural: "persistentvolumes", singular: "persistentvolume",
            shortNames: ["pv"], namespaced: false, subresources: [status(persistentVolume)]),
        ResourceKind(
            groupVersionKind: persistentVolumeClaim, plural: "persistentvolumeclaims",
            singular: "persistentvolumeclaim", shortNames: ["pvc"], namespaced: true,
            subresources: [status(persistentVolumeClaim)]),
        ResourceKind(
            groupVersionKind: gvk("", "v1", "ServiceAccount"), plural: "serviceaccounts", singular: "serviceaccount",
            shortNames: ["sa"], namespaced: true,
            subresources: [
                Subresource(
                    name: "token", groupVersionKind: gvk("authentication.k8s.io", "v1", "TokenRequest"),
                    verbs: ["create"])
            ]),
        ResourceKind(
            groupVersionKind: deployment, plural: "deployments", singular: "deployment", shortNames: ["deploy"],
            namespaced: true, subresources: [scale, status(deployment)], categories: ["all"]),
        ResourceKind(
            groupVersionKind: replicaSet, plural: "replicasets", singular: "replicaset", shortNames: ["rs"],
            namespaced: true, subresources: [scale, status(replicaSet)], categories: ["all"],
            selectableFields: ["status.replicas": ["status", "replicas"]]),
        ResourceKind(
            groupVersionKind: daemonSet, plural: "daemonsets", singular: "daemonset", shortNames: ["ds"],
            namespaced: true, subresources: [status(daemonSet)], categories: ["all"]),
        ResourceKind(
            groupVersionKind: statefulSet, plural: "statefulsets", singular: "statefulset", shortNames: ["sts"],
            namespaced: true, subresources: [scale, status(statefulSet)], categories: ["all"]),
        ResourceKind(
            groupVersionKind: job, plural: "jobs", singular: "job", namespaced: true,
            subresources: [status(job)], categories: ["all"],
            selectableFields: ["status.successful": ["status", "successful"]]),
        ResourceKind(
            groupVersionKind: gvk("discovery.k8s.io", "v1", "EndpointSlice"), plural: "endpointslices",
            singular: "endpointslice", namespaced: true),
        ResourceKind(
            groupVersionKind: gvk("coordination.k8s.io", "v1", "Lease"), plural: "leases", singular: "lease",
            namespaced: true),
    ]
}
