import SkiffAPI

/// Objects as the API server stores them after `kubectl apply` of the seed manifests
/// (defaults filled in, status written by controllers), and the manifests themselves.
enum PatchFixtures {
    static let deploymentGVK = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    static let serviceGVK = GroupVersionKind(group: "", version: "v1", kind: "Service")
    static let podGVK = GroupVersionKind(group: "", version: "v1", kind: "Pod")

    /// deployment.yaml as JSON: what kubectl keeps as last-applied configuration.
    static let deploymentManifest = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"notepad"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"mytest"}},
          "template":{"metadata":{"labels":{"app":"mytest"}},
           "spec":{"containers":[{"name":"notepad","image":"mengsixing/notepad","ports":[{"containerPort":8083}]}]}}}}
        """

    static let deploymentLive = """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"notepad","namespace":"default","uid":"0b6a","resourceVersion":"12","generation":1,
          "creationTimestamp":"2025-01-01T00:00:00Z","annotations":{"deployment.kubernetes.io/revision":"1"}},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"mytest"}},"progressDeadlineSeconds":600,
          "revisionHistoryLimit":10,
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
          "template":{"metadata":{"labels":{"app":"mytest"}},
           "spec":{"containers":[{"name":"notepad","image":"mengsixing/notepad","imagePullPolicy":"Always",
             "ports":[{"containerPort":8083,"protocol":"TCP"}],"resources":{},
             "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
            "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
            "securityContext":{},"terminationGracePeriodSeconds":30}}},
         "status":{"observedGeneration":1,"replicas":3,"readyReplicas":3,"updatedReplicas":3,"availableReplicas":3,
          "conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]}}
        """

    /// service.yaml as JSON.
    static let serviceManifest = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"my-service"},
         "spec":{"type":"NodePort","ports":[{"port":80,"targetPort":8083,"nodePort":30036}],"selector":{"app":"mytest"}}}
        """

    static let serviceLive = """
        {"apiVersion":"v1","kind":"Service",
         "metadata":{"name":"my-service","namespace":"default","uid":"7c1d","resourceVersion":"15"},
         "spec":{"type":"NodePort","clusterIP":"10.96.0.20","clusterIPs":["10.96.0.20"],
          "ports":[{"port":80,"targetPort":8083,"nodePort":30036,"protocol":"TCP"}],
          "selector":{"app":"mytest"},"sessionAffinity":"None","externalTrafficPolicy":"Cluster",
          "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack"},
         "status":{"loadBalancer":{}}}
        """

    static func json(_ text: String) throws -> JSONValue {
        try JSONValue(jsonString: text)
    }

    /// Every object key in the value, at any depth (to prove no `$` directive survived).
    static func allKeys(_ value: JSONValue) -> [String] {
        switch value {
        case .object(let object): return object.keys + object.values.flatMap(allKeys)
        case .array(let array): return array.flatMap(allKeys)
        default: return []
        }
    }
}
