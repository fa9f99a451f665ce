import APIRules
import SkiffAPI
import Testing

/// The seed's manifests as kubectl sends them (YAML converted to JSON), and small helpers
/// for running them through `Admission` the way the API server does.
enum AdmissionFixtures {
    /// /work/shared/seed/manifests/deployment.yaml, with the namespace the server fills in.
    static let seedDeployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"notepad","namespace":"default"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"mytest"}},
          "template":{"metadata":{"labels":{"app":"mytest"}},
           "spec":{"containers":[{"name":"notepad","image":"mengsixing/notepad","ports":[{"containerPort":8083}]}]}}}}
        """

    /// /work/shared/seed/manifests/service.yaml.
    static let seedService = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"my-service","namespace":"default"},
         "spec":{"type":"NodePort","ports":[{"port":80,"targetPort":8083,"nodePort":30036}],"selector":{"app":"mytest"}}}
        """

    /// /work/shared/seed/manifests/mypod.yaml: `volumeMounts` sits under the pod spec, not the container.
    static let seedBrokenPod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"mypod"},
         "spec":{"containers":[{"name":"mypod","image":"mengsixing/notepad"}],
          "volumeMounts":[{"name":"foo","mountPath":"etc/foo","readOnly":true}],
          "volumes":[{"name":"foo","secret":{"secretName":"mysecret"}}]}}
        """

    /// mypod.yaml with `volumeMounts` moved under the container, as its author meant; the mount
    /// path is still relative.
    static let seedPodMountMoved = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"mypod","namespace":"default"},
         "spec":{"containers":[{"name":"mypod","image":"mengsixing/notepad",
           "volumeMounts":[{"name":"foo","mountPath":"etc/foo","readOnly":true}]}],
          "volumes":[{"name":"foo","secret":{"secretName":"mysecret"}}]}}
        """

    static func resource(_ name: String) throws -> ResourceKind {
        try #require(ResourceRegistry.builtin.resource(named: name))
    }

    static func object(_ json: String) throws -> JSONValue {
        try JSONValue(jsonString: json)
    }

    /// The object after defaulting, as it would be stored.
    static func defaulted(_ json: String, _ resource: String) throws -> JSONValue {
        var object = try JSONValue(jsonString: json)
        Admission.applyDefaults(&object, resource: try self.resource(resource))
        return object
    }

    /// Defaults then validation, as on create (or on update when `old` is given), as messages.
    static func errors(_ json: String, _ resource: String, old: String? = nil) throws -> [String] {
        let object = try defaulted(json, resource)
        let stored = try old.map { try defaulted($0, resource) }
        return Admission.validate(object, old: stored, resource: try self.resource(resource)).map(\.description)
    }
}
