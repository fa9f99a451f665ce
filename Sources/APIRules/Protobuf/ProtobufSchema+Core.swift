/// Field tables of `k8s.io/api/core/v1/generated.proto` (Kubernetes 1.32) for the kinds
/// `kubectl create` sends as protobuf, and the pod template a Deployment carries.
extension ProtobufSchema {
    static let secret = ProtobufSchema([
        1: .message("metadata", objectMeta),
        2: .map("data", .bytes),
        3: .string("type"),
        4: .map("stringData"),
        5: .bool("immutable", keepsZero: true),
    ])

    static let configMap = ProtobufSchema([
        1: .message("metadata", objectMeta),
        2: .map("data"),
        3: .map("binaryData", .bytes),
        4: .bool("immutable", keepsZero: true),
    ])

    static let namespace = ProtobufSchema([
        1: .message("metadata", objectMeta),
        2: .message("spec", ProtobufSchema([1: .strings("finalizers")])),
        3: .message(
            "status",
            ProtobufSchema([
                1: .string("phase"),
                2: .messages(
                    "conditions",
                    ProtobufSchema([
                        1: .string("type"), 2: .string("status"), 4: .time("lastTransitionTime"),
                        5: .string("reason"), 6: .string("message"),
                    ])),
            ])),
    ])

    static let serviceAccount = ProtobufSchema([
        1: .message("metadata", objectMeta),
        2: .messages("secrets", objectReference),
        3: .messages("imagePullSecrets", localObjectReference),
        4: .bool("automountServiceAccountToken", keepsZero: true),
    ])

    static let objectReference = ProtobufSchema([
        1: .string("kind"),
        2: .string("namespace"),
        3: .string("name"),
        4: .string("uid"),
        5: .string("apiVersion"),
        6: .string("resourceVersion"),
        7: .string("fieldPath"),
    ])

    static let localObjectReference = ProtobufSchema([1: .string("name")])

    static let service = ProtobufSchema([
        1: .message("metadata", objectMeta),
        2: .message("spec", serviceSpec),
        3: .message(
            "status",
            ProtobufSchema([
                1: .message(
                    "loadBalancer",
                    ProtobufSchema([
                        1: .messages(
                            "ingress",
                            ProtobufSchema([
                                1: .string("ip"), 2: .string("hostname"), 3: .string("ipMode", keepsZero: true),
                            ]))
                    ]))
            ])),
    ])

    static let serviceSpec = ProtobufSchema([
        1: .messages("ports", servicePort),
        2: .map("selector"),
        3: .string("clusterIP"),
        18: .strings("clusterIPs"),
        4: .string("type"),
        5: .strings("externalIPs"),
        7: .string("sessionAffinity"),
        8: .string("loadBalancerIP"),
        9: .strings("loadBalancerSourceRanges"),
        10: .string("externalName"),
        11: .string("externalTrafficPolicy"),
        12: .int("healthCheckNodePort"),
        13: .bool("publishNotReadyAddresses"),
        14: .message(
            "sessionAffinityConfig",
            ProtobufSchema([
                1: .message("clientIP", ProtobufSchema([1: .int("timeoutSeconds", keepsZero: true)]))
            ])),
        19: .strings("ipFamilies"),
        17: .string("ipFamilyPolicy", keepsZero: true),
        20: .bool("allocateLoadBalancerNodePorts", keepsZero: true),
        21: .string("loadBalancerClass", keepsZero: true),
        22: .string("internalTrafficPolicy", keepsZero: true),
        23: .string("trafficDistribution", keepsZero: true),
    ])

    static let servicePort = ProtobufSchema([
        1: .string("name"),
        2: .string("protocol"),
        6: .string("appProtocol", keepsZero: true),
        3: .int("port", keepsZero: true),
        4: .intOrString("targetPort"),
        5: .int("nodePort"),
    ])

    static let podTemplateSpec = ProtobufSchema([
        1: .message("metadata", objectMeta),
        2: .message("spec", podSpec),
    ])

    /// The pod spec fields a generated Deployment or a simple template uses; volumes, probes,
    /// security contexts and affinity are not decoded.
    static let podSpec = ProtobufSchema([
        20: .messages("initContainers", container),
        2: .messages("containers", container),
        3: .string("restartPolicy"),
        4: .int("terminationGracePeriodSeconds", keepsZero: true),
        5: .int("activeDeadlineSeconds", keepsZero: true),
        6: .string("dnsPolicy"),
        7: .map("nodeSelector"),
        8: .string("serviceAccountName"),
        9: .string("serviceAccount"),
        21: .bool("automountServiceAccountToken", keepsZero: true),
        10: .string("nodeName"),
        11: .bool("hostNetwork"),
        12: .bool("hostPID"),
        13: .bool("hostIPC"),
        27: .bool("shareProcessNamespace", keepsZero: true),
        15: .messages("imagePullSecrets", localObjectReference),
        16: .string("hostname"),
        17: .string("subdomain"),
        19: .string("schedulerName"),
        22: .messages(
            "tolerations",
            ProtobufSchema([
                1: .string("key"), 2: .string("operator"), 3: .string("value"), 4: .string("effect"),
                5: .int("tolerationSeconds", keepsZero: true),
            ])),
        24: .string("priorityClassName"),
        25: .int("priority", keepsZero: true),
        28: .messages("readinessGates", ProtobufSchema([1: .string("conditionType")])),
        29: .string("runtimeClassName", keepsZero: true),
        30: .bool("enableServiceLinks", keepsZero: true),
        31: .string("preemptionPolicy", keepsZero: true),
        35: .bool("setHostnameAsFQDN", keepsZero: true),
        37: .bool("hostUsers", keepsZero: true),
    ])

    static let container = ProtobufSchema([
        1: .string("name"),
        2: .string("image"),
        3: .strings("command"),
        4: .strings("args"),
        5: .string("workingDir"),
        6: .messages("ports", containerPort),
        7: .messages("env", ProtobufSchema([1: .string("name"), 2: .string("value")])),
        8: .message(
            "resources", ProtobufSchema([1: .map("limits", .quantity), 2: .map("requests", .quantity)])),
        24: .string("restartPolicy", keepsZero: true),
        9: .messages(
            "volumeMounts",
            ProtobufSchema([
                1: .string("name"), 2: .bool("readOnly"), 7: .string("recursiveReadOnly", keepsZero: true),
                3: .string("mountPath"), 4: .string("subPath"), 5: .string("mountPropagation", keepsZero: true),
                6: .string("subPathExpr"),
            ])),
        13: .string("terminationMessagePath"),
        20: .string("terminationMessagePolicy"),
        14: .string("imagePullPolicy"),
        16: .bool("stdin"),
        17: .bool("stdinOnce"),
        18: .bool("tty"),
    ])

    static let containerPort = ProtobufSchema([
        1: .string("name"),
        2: .int("hostPort"),
        3: .int("containerPort", keepsZero: true),
        4: .string("protocol"),
        5: .string("hostIP"),
    ])
}
