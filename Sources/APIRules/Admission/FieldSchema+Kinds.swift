extension Admission.FieldSchema {
    /// The top level of each built-in kind. `status` is always open: clients do not write it.
    enum Kinds {
        typealias Schema = Admission.FieldSchema

        static let pod = Schema.kind(["status"], ["spec": Schema.podSpec])
        static let deployment = Schema.kind(["status"], ["spec": Schema.deploymentSpec])
        static let replicaSet = Schema.kind(["status"], ["spec": Schema.replicaSetSpec])
        static let daemonSet = Schema.kind(["status"], ["spec": Schema.daemonSetSpec])
        static let statefulSet = Schema.kind(["status"], ["spec": Schema.statefulSetSpec])
        static let job = Schema.kind(["status"], ["spec": Schema.jobSpec])

        static let servicePort = Schema.fields(["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"])

        static let service = Schema.kind(["status"], [
            "spec": Schema.fields(
                [
                    "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP",
                    "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort",
                    "publishNotReadyAddresses", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts",
                    "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution",
                ],
                [
                    "ports": .list(servicePort),
                    "sessionAffinityConfig": Schema.fields([], ["clientIP": Schema.fields(["timeoutSeconds"])]),
                ])
        ])

        static let endpointAddress = Schema.fields(["ip", "hostname", "nodeName"], ["targetRef": Schema.objectReference])

        static let endpoints = Schema.kind([], [
            "subsets": .list(Schema.fields([], [
                "addresses": .list(endpointAddress),
                "notReadyAddresses": .list(endpointAddress),
                "ports": .list(Schema.fields(["name", "port", "protocol", "appProtocol"])),
            ]))
        ])

        static let endpointSlice = Schema.kind(["addressType"], [
            "endpoints": .list(Schema.fields(
                ["addresses", "hostname", "nodeName", "zone", "deprecatedTopology", "hints"],
                [
                    "conditions": Schema.fields(["ready", "serving", "terminating"]),
                    "targetRef": Schema.objectReference,
                ])),
            "ports": .list(Schema.fields(["name", "protocol", "port", "appProtocol"])),
        ])

        static let secret = Schema.kind(["data", "stringData", "type", "immutable"], [:])
        static let configMap = Schema.kind(["data", "binaryData", "immutable"], [:])
        static let namespace = Schema.kind(["status"], ["spec": Schema.fields(["finalizers"])])
        static let node = Schema.kind(["spec", "status"], [:])
        static let persistentVolume = Schema.kind(["spec", "status"], [:])
        static let persistentVolumeClaim = Schema.kind(["spec", "status"], [:])

        static let serviceAccount = Schema.kind(["automountServiceAccountToken"], [
            "secrets": .list(Schema.objectReference),
            "imagePullSecrets": .list(Schema.localObjectReference),
        ])

        static let event = Schema.kind(
            [
                "reason", "message", "firstTimestamp", "lastTimestamp", "count", "type", "eventTime", "action",
                "reportingComponent", "reportingInstance",
            ],
            [
                "involvedObject": Schema.objectReference,
                "related": Schema.objectReference,
                "source": Schema.fields(["component", "host"]),
                "series": Schema.fields(["count", "lastObservedTime"]),
            ])

        static let lease = Schema.kind([], [
            "spec": Schema.fields([
                "holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime", "leaseTransitions", "strategy",
                "preferredHolder",
            ])
        ])
    }
}
