extension Admission.FieldSchema {
    static let httpGetAction = fields(["path", "port", "host", "scheme"], ["httpHeaders": .list(fields(["name", "value"]))])
    static let execAction = fields(["command"])
    static let tcpSocketAction = fields(["port", "host"])

    static let probe = fields(
        ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold",
         "terminationGracePeriodSeconds"],
        ["exec": execAction, "httpGet": httpGetAction, "tcpSocket": tcpSocketAction, "grpc": fields(["port", "service"])])

    static let lifecycleHandler = fields(
        [], ["exec": execAction, "httpGet": httpGetAction, "tcpSocket": tcpSocketAction, "sleep": fields(["seconds"])])

    static let objectFieldSelector = fields(["apiVersion", "fieldPath"])
    static let resourceFieldSelector = fields(["containerName", "resource", "divisor"])
    static let keySelector = fields(["name", "key", "optional"])

    static let envVar = fields(
        ["name", "value"],
        ["valueFrom": fields([], [
            "fieldRef": objectFieldSelector, "resourceFieldRef": resourceFieldSelector,
            "configMapKeyRef": keySelector, "secretKeyRef": keySelector,
        ])])

    static let envFromSource = fields(
        ["prefix"], ["configMapRef": fields(["name", "optional"]), "secretRef": fields(["name", "optional"])])

    static let resourceRequirements = fields(["limits", "requests"], ["claims": .list(fields(["name", "request"]))])

    static let container = fields(
        [
            "name", "image", "command", "args", "workingDir", "terminationMessagePath", "terminationMessagePolicy",
            "imagePullPolicy", "restartPolicy", "stdin", "stdinOnce", "tty",
            // Security contexts are open: their many options are passed to the runtime unchecked.
            "securityContext",
        ],
        [
            "ports": .list(fields(["name", "hostPort", "containerPort", "protocol", "hostIP"])),
            "envFrom": .list(envFromSource),
            "env": .list(envVar),
            "resources": resourceRequirements,
            "resizePolicy": .list(fields(["resourceName", "restartPolicy"])),
            "volumeMounts": .list(fields([
                "name", "readOnly", "recursiveReadOnly", "mountPath", "subPath", "mountPropagation", "subPathExpr",
            ])),
            "volumeDevices": .list(fields(["name", "devicePath"])),
            "livenessProbe": probe,
            "readinessProbe": probe,
            "startupProbe": probe,
            "lifecycle": fields([], ["postStart": lifecycleHandler, "preStop": lifecycleHandler]),
        ])

    static let ephemeralContainer = container.adding(["targetContainerName"])
}
