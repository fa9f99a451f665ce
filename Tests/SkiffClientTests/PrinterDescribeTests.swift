import SkiffAPI
import Testing

@testable import SkiffClient

/// `describe`'s text, block by block as kubectl's tabwriter aligns it.
@Suite struct PrinterDescribeTests {
    static let now = RFC3339.seconds("2026-11-28T01:00:00Z") ?? 0
    static let started = "2026-11-28T00:59:00Z"

    static let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": [
            "name": "notepad-abc", "namespace": "default", "uid": "p-1",
            "labels": ["app": "mytest", "pod-template-hash": "abc"],
            "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "notepad-abc", "uid": "r-1", "controller": true]],
        ],
        "spec": [
            "priority": 0, "serviceAccountName": "default", "nodeName": "node1",
            "containers": [["name": "notepad", "image": "mengsixing/notepad", "ports": [["containerPort": 8083, "protocol": "TCP"]]]],
        ],
        "status": [
            "phase": "Running", "hostIP": "10.0.0.1", "podIP": "10.244.0.5", "podIPs": [["ip": "10.244.0.5"]],
            "startTime": .string(started), "qosClass": "BestEffort",
            "conditions": [["type": "Initialized", "status": "True"], ["type": "Ready", "status": "True"]],
            "containerStatuses": [[
                "name": "notepad", "containerID": "skiff://123", "imageID": "sha256:abc", "ready": true, "restartCount": 0,
                "state": ["running": ["startedAt": .string(started)]],
            ]],
        ],
    ]

    static let scheduled: JSONValue = [
        "type": "Normal", "reason": "Scheduled", "message": "Successfully assigned default/notepad-abc to node1",
        "source": ["component": "default-scheduler"], "firstTimestamp": "2026-11-28T00:59:50Z",
        "lastTimestamp": "2026-11-28T00:59:50Z", "count": 1,
    ]

    @Test func podAsKubectlPrintsIt() {
        let time = DescribeWriter.time(Self.started)
        let text = ObjectDescriber.describe(Self.pod, context: DescribeContext(events: [Self.scheduled], now: Self.now))
        #expect(
            text == """
                Name:             notepad-abc
                Namespace:        default
                Priority:         0
                Service Account:  default
                Node:             node1/10.0.0.1
                Start Time:       \(time)
                Labels:           app=mytest
                                  pod-template-hash=abc
                Annotations:      <none>
                Status:           Running
                IP:               10.244.0.5
                IPs:
                  IP:           10.244.0.5
                Controlled By:  ReplicaSet/notepad-abc
                Containers:
                  notepad:
                    Container ID:   skiff://123
                    Image:          mengsixing/notepad
                    Image ID:       sha256:abc
                    Port:           8083/TCP
                    Host Port:      0/TCP
                    State:          Running
                      Started:      \(time)
                    Ready:          True
                    Restart Count:  0
                    Environment:    <none>
                    Mounts:         <none>
                Conditions:
                  Type           Status
                  Initialized    True 
                  Ready          True 
                Volumes:         <none>
                QoS Class:       BestEffort
                Node-Selectors:  <none>
                Tolerations:     <none>
                Events:
                  Type    Reason     Age   From               Message
                  ----    ------     ----  ----               -------
                  Normal  Scheduled  10s   default-scheduler  Successfully assigned default/notepad-abc to node1

                """)
    }

    @Test func repeatedEventsShowCountAndSpan() {
        var event = Self.scheduled
        event["count"] = 3
        event["firstTimestamp"] = "2026-11-28T00:50:00Z"
        event["lastTimestamp"] = "2026-11-28T00:58:00Z"
        #expect(EventsDescriber.interval(event, now: Self.now) == "2m (x3 over 10m)")
        let none = ObjectDescriber.describe(["kind": "ConfigMap", "apiVersion": "v1", "metadata": ["name": "c"]], context: DescribeContext(events: [], now: Self.now))
        #expect(none.hasSuffix("Events:  <none>\n"))
    }

    @Test func deploymentSections() {
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": [
                "name": "notepad", "namespace": "default", "uid": "d-1", "creationTimestamp": .string(Self.started),
                "annotations": ["deployment.kubernetes.io/revision": "1", ApplyPlan.lastAppliedAnnotation: "{}\n"],
            ],
            "spec": [
                "replicas": 3, "selector": ["matchLabels": ["app": "mytest"]],
                "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]],
                "template": [
                    "metadata": ["labels": ["app": "mytest"]],
                    "spec": ["containers": [["name": "notepad", "image": "mengsixing/notepad", "ports": [["containerPort": 8083, "protocol": "TCP"]]]]],
                ],
            ],
            "status": [
                "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3,
                "conditions": [["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"]],
            ],
        ]
        var replicaSet = PrinterRolloutTests.replicaSet("notepad-abc", revision: "1", image: "mengsixing/notepad")
        replicaSet[path: ["spec", "template"]] = [
            "metadata": ["labels": ["app": "mytest", "pod-template-hash": "abc"]],
            "spec": ["containers": [["name": "notepad", "image": "mengsixing/notepad", "ports": [["containerPort": 8083, "protocol": "TCP"]]]]],
        ]
        replicaSet[path: ["spec", "replicas"]] = 3
        replicaSet["status"] = ["replicas": 3]
        var context = DescribeContext(events: [], now: Self.now)
        context.replicaSets = [replicaSet]
        let text = ObjectDescriber.describe(deployment, context: context)
        #expect(
            text == """
                Name:                   notepad
                Namespace:              default
                CreationTimestamp:      \(DescribeWriter.time(Self.started))
                Labels:                 <none>
                Annotations:            deployment.kubernetes.io/revision: 1
                Selector:               app=mytest
                Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
                StrategyType:           RollingUpdate
                MinReadySeconds:        0
                RollingUpdateStrategy:  25% max unavailable, 25% max surge
                Pod Template:
                  Labels:  app=mytest
                  Containers:
                   notepad:
                    Image:         mengsixing/notepad
                    Port:          8083/TCP
                    Host Port:     0/TCP
                    Environment:   <none>
                    Mounts:        <none>
                  Volumes:         <none>
                  Node-Selectors:  <none>
                  Tolerations:     <none>
                Conditions:
                  Type           Status  Reason
                  ----           ------  ------
                  Available      True    MinimumReplicasAvailable
                OldReplicaSets:  <none>
                NewReplicaSet:   notepad-abc (3/3 replicas created)
                Events:          <none>

                """)
    }

    @Test func serviceEndpointsAndGenericLabels() {
        let slices: [JSONValue] = [[
            "ports": [["name": "", "port": 8083]],
            "endpoints": [
                ["addresses": ["10.244.0.5"], "conditions": ["ready": true]],
                ["addresses": ["10.244.0.6"], "conditions": ["ready": false]],
                ["addresses": ["10.244.0.7"]],
            ],
        ]]
        #expect(ObjectDescriber.endpoints(slices, portName: "") == "10.244.0.5:8083,10.244.0.7:8083")
        #expect(ObjectDescriber.endpoints([], portName: "") == "<none>")
        #expect(ObjectDescriber.smartLabel("creationTimestamp") == "Creation Timestamp")
        #expect(ObjectDescriber.smartLabel("apiVersion") == "API Version")
        #expect(ObjectDescriber.smartLabel("a.b") == "a.b")
    }

    /// kubectl prints a revision's template without aligning it (tabs stay), `describe` aligned.
    @Test func historyRevisionShowsThePodTemplate() {
        let template: JSONValue = [
            "metadata": ["labels": ["app": "mytest"], "annotations": ["kubernetes.io/change-cause": "v2"]],
            "spec": ["containers": [["name": "notepad", "image": "v2"]]],
        ]
        #expect(
            PodTemplateDescriber.describe(template, aligned: false)
                == "Pod Template:\n  Labels:\tapp=mytest\n  Annotations:\tkubernetes.io/change-cause: v2\n  Containers:\n   notepad:\n"
                + "    Image:\tv2\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n"
                + "  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n")
        #expect(
            PodTemplateDescriber.describe(template, aligned: true) == """
                Pod Template:
                  Labels:       app=mytest
                  Annotations:  kubernetes.io/change-cause: v2
                  Containers:
                   notepad:
                    Image:         v2
                    Port:          <none>
                    Host Port:     <none>
                    Environment:   <none>
                    Mounts:        <none>
                  Volumes:         <none>
                  Node-Selectors:  <none>
                  Tolerations:     <none>

                """)
    }
}
