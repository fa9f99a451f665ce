extension Admission.FieldSchema {
    static let toleration = fields(["key", "operator", "value", "effect", "tolerationSeconds"])

    static let topologySpreadConstraint = fields(
        ["maxSkew", "topologyKey", "whenUnsatisfiable", "minDomains", "nodeAffinityPolicy", "nodeTaintsPolicy",
         "matchLabelKeys"],
        ["labelSelector": labelSelector])

    static let podSpec = fields(
        [
            "restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector",
            "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "nodeName", "hostNetwork",
            "hostPID", "hostIPC", "shareProcessNamespace", "hostname", "subdomain", "schedulerName",
            "priorityClassName", "priority", "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead",
            "setHostnameAsFQDN", "hostUsers",
            // Open: too many options to list, and nothing Skiff decides depends on their spelling.
            "securityContext", "affinity", "resourceClaims",
        ],
        [
            "volumes": .list(volume),
            "initContainers": .list(container),
            "containers": .list(container),
            "ephemeralContainers": .list(ephemeralContainer),
            "imagePullSecrets": .list(localObjectReference),
            "tolerations": .list(toleration),
            "hostAliases": .list(fields(["ip", "hostnames"])),
            "dnsConfig": fields(["nameservers", "searches"], ["options": .list(fields(["name", "value"]))]),
            "readinessGates": .list(fields(["conditionType"])),
            "topologySpreadConstraints": .list(topologySpreadConstraint),
            "os": fields(["name"]),
            "schedulingGates": .list(fields(["name"])),
            "resources": resourceRequirements,
        ])

    static let podTemplateSpec = fields([], ["metadata": objectMeta, "spec": podSpec])
}
