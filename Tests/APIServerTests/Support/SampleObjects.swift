import SkiffAPI

/// One small valid object per served resource, as a user would write it.
enum SampleObjects {
    static let template: JSONValue = [
        "metadata": ["labels": ["app": "sample"]],
        "spec": ["containers": [["name": "main", "image": "busybox:1.36"]]],
    ]

    /// (URL path of the collection, object body) for every resource of issue #4.
    static func all(namespace: String) -> [(collection: String, object: JSONValue)] {
        let ns = "/api/v1/namespaces/\(namespace)"
        let apps = "/apis/apps/v1/namespaces/\(namespace)"
        let selector: JSONValue = ["matchLabels": ["app": "sample"]]
        var jobTemplate = template
        jobTemplate["spec"]["restartPolicy"] = "Never"
        return [
            ("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "sample-ns"]]),
            ("\(ns)/pods", ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "sample"], "spec": template["spec"]]),
            ("\(ns)/services", ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "sample"],
                                "spec": ["selector": ["app": "sample"], "ports": [["port": 80, "targetPort": 8080]]]]),
            ("\(ns)/endpoints", ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "sample"],
                                 "subsets": [["addresses": [["ip": "10.42.0.5"]], "ports": [["port": 8080]]]]]),
            ("\(ns)/secrets", ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "sample"],
                               "data": ["username": "YWRtaW4="]]),
            ("\(ns)/configmaps", ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "sample"],
                                  "data": ["key": "value"]]),
            ("/api/v1/nodes", ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "sample-node"]]),
            ("\(ns)/events", ["apiVersion": "v1", "kind": "Event", "metadata": ["name": "sample.1"],
                              "involvedObject": ["kind": "Pod", "name": "sample", "namespace": .string(namespace)],
                              "reason": "Testing", "message": "a sample event", "type": "Normal",
                              "source": ["component": "tests"]]),
            ("/api/v1/persistentvolumes", ["apiVersion": "v1", "kind": "PersistentVolume", "metadata": ["name": "sample-pv"],
                                           "spec": ["capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"],
                                                    "hostPath": ["path": "/tmp/sample-pv"]]]),
            ("\(ns)/persistentvolumeclaims", ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "sample"],
                                              "spec": ["accessModes": ["ReadWriteOnce"],
                                                       "resources": ["requests": ["storage": "1Gi"]]]]),
            ("\(ns)/serviceaccounts", ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "sample"]]),
            ("\(apps)/deployments", ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "sample"],
                                     "spec": ["replicas": 2, "selector": selector, "template": template]]),
            ("\(apps)/replicasets", ["apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": "sample"],
                                     "spec": ["replicas": 1, "selector": selector, "template": template]]),
            ("\(apps)/daemonsets", ["apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": ["name": "sample"],
                                    "spec": ["selector": selector, "template": template]]),
            ("\(apps)/statefulsets", ["apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "sample"],
                                      "spec": ["serviceName": "sample", "replicas": 1, "selector": selector, "template": template]]),
            ("/apis/batch/v1/namespaces/\(namespace)/jobs", ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "sample"],
                                                             "spec": ["template": jobTemplate]]),
            ("/apis/discovery.k8s.io/v1/namespaces/\(namespace)/endpointslices",
             ["apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": ["name": "sample-abc"],
              "addressType": "IPv4", "endpoints": [["addresses": ["10.42.0.5"]]], "ports": [["port": 8080, "protocol": "TCP"]]]),
            ("/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases",
             ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "sample"],
              "spec": ["holderIdentity": "node-a", "leaseDurationSeconds": 40]]),
        ]
    }
}
