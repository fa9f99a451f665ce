import APIRules
import SkiffAPI
import Testing

@Suite struct AdmissionValidationTests {
    typealias Fixtures = AdmissionFixtures

    static let subdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

    static func pod(_ spec: String, name: String = "p") -> String {
        #"{"metadata":{"name":"\#(name)","namespace":"default"},"spec":\#(spec)}"#
    }

    static func deployment(selector: String, labels: String, podSpec: String? = nil) -> String {
        let spec = podSpec ?? #"{"containers":[{"name":"c","image":"nginx"}]}"#
        return """
            {"metadata":{"name":"d","namespace":"default"},"spec":{"selector":\(selector),
             "template":{"metadata":{"labels":\(labels)},"spec":\(spec)}}}
            """
    }

    @Test func seedManifestsAreValid() throws {
        #expect(try Fixtures.errors(Fixtures.seedDeployment, "deployments") == [])
        #expect(try Fixtures.errors(Fixtures.seedService, "services") == [])
    }

    @Test(arguments: [
        ("namespaces", #"{"metadata":{"name":"team-a"}}"#),
        ("nodes", #"{"metadata":{"name":"node-1"},"spec":{"podCIDR":"10.244.0.0/24"},"status":{"capacity":{"cpu":"2"}}}"#),
        ("configmaps", #"{"metadata":{"name":"cfg","namespace":"default"},"data":{"app.conf":"x=1"},"binaryData":{"blob":"AAE="}}"#),
        ("secrets", #"{"metadata":{"name":"s","namespace":"default"},"data":{"username":"YWRtaW4="}}"#),
        ("serviceaccounts", #"{"metadata":{"name":"default","namespace":"default"}}"#),
        ("leases", #"{"metadata":{"name":"node-1","namespace":"kube-node-lease"},"spec":{"holderIdentity":"node-1","leaseDurationSeconds":40}}"#),
        ("endpoints", #"{"metadata":{"name":"web","namespace":"default"},"subsets":[{"addresses":[{"ip":"10.244.0.5"}],"ports":[{"port":8083}]}]}"#),
        ("endpointslices", #"{"metadata":{"name":"web-abc","namespace":"default"},"addressType":"IPv4","endpoints":[{"addresses":["10.244.0.5"],"conditions":{"ready":true}}],"ports":[{"name":"","port":8083}]}"#),
        ("events", #"{"metadata":{"name":"p.1","namespace":"default"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},"reason":"Started","type":"Normal"}"#),
        ("persistentvolumes", #"{"metadata":{"name":"pv1"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/data"}}}"#),
        ("persistentvolumeclaims", #"{"metadata":{"name":"c","namespace":"default"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"#),
        ("replicasets", #"{"metadata":{"name":"r","namespace":"default"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}"#),
        ("daemonsets", #"{"metadata":{"name":"d","namespace":"default"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}"#),
        ("jobs", #"{"metadata":{"name":"j","namespace":"default","uid":"1f"},"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"i"}]}}}}"#),
        ("services", #"{"metadata":{"name":"lb","namespace":"default"},"spec":{"type":"LoadBalancer","ports":[{"name":"http","port":80},{"name":"https","port":443}]}}"#),
    ])
    func typicalObjectsOfEveryKindAreValid(resource: String, json: String) throws {
        #expect(try Fixtures.errors(json, resource) == [])
    }

    @Test func ephemeralContainersOnlyArriveByUpdate() throws {
        let pod = Self.pod(#"{"containers":[{"name":"c","image":"i"}]%@}"#)
        let debugged = pod.replacingFirst("%@", with: #","ephemeralContainers":[{"name":"debug","image":"busybox"}]"#)
        #expect(try Fixtures.errors(debugged, "pods") == ["spec.ephemeralContainers: Forbidden: cannot be set on create"])
        let original = pod.replacingFirst("%@", with: "")
        #expect(try Fixtures.errors(debugged, "pods", old: original).allSatisfy { !$0.contains("cannot be set on create") })
    }

    @Test func selectorMustMatchTemplateLabels() throws {
        let errors = try Fixtures.errors(
            Self.deployment(selector: #"{"matchLabels":{"app":"mytest"}}"#, labels: #"{"app":"x"}"#), "deployments")
        #expect(errors == [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`"
        ])
    }

    @Test func selectorIsRequiredAndNotEmpty() throws {
        let missing = try Fixtures.errors(#"{"metadata":{"name":"d","namespace":"default"},"spec":{"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}"#, "deployments")
        #expect(missing.first == "spec.selector: Required value")
        let empty = try Fixtures.errors(Self.deployment(selector: "{}", labels: #"{"a":"b"}"#), "deployments")
        #expect(empty.count == 1)
        #expect(empty.first?.hasSuffix(": empty selector is invalid for deployment") == true)
    }

    @Test func relativeMountPathIsReportedClearly() throws {
        let errors = try Fixtures.errors(Fixtures.seedPodMountMoved, "pods")
        #expect(errors == [#"spec.containers[0].volumeMounts[0].mountPath: Invalid value: "etc/foo": must be an absolute path"#])
    }

    @Test func mountsMustNameAVolume() throws {
        let errors = try Fixtures.errors(Self.pod("""
            {"containers":[{"name":"c","image":"i","volumeMounts":[{"name":"foo","mountPath":"/etc/foo"}]}]}
            """), "pods")
        #expect(errors == [#"spec.containers[0].volumeMounts[0].name: Not found: "foo""#])
    }

    @Test func containersNeedANameAndAnImage() throws {
        #expect(try Fixtures.errors(Self.pod("{}"), "pods") == ["spec.containers: Required value"])
        #expect(try Fixtures.errors(Self.pod(#"{"containers":[{"name":"c"}]}"#), "pods")
            == ["spec.containers[0].image: Required value"])
        let duplicate = try Fixtures.errors(
            Self.pod(#"{"containers":[{"name":"web","image":"i"},{"name":"web","image":"j"}]}"#), "pods")
        #expect(duplicate == [#"spec.containers[1].name: Duplicate value: "web""#])
        let badName = try Fixtures.errors(Self.pod(#"{"containers":[{"name":"Web_1","image":"i"}]}"#), "pods")
        #expect(badName == [#"spec.containers[0].name: Invalid value: "Web_1": "# + Self.labelMessage])
    }

    @Test func invalidObjectNames() throws {
        let pod = try Fixtures.errors(Self.pod(#"{"containers":[{"name":"c","image":"i"}]}"#, name: "My_Pod"), "pods")
        #expect(pod == [#"metadata.name: Invalid value: "My_Pod": "# + Self.subdomainMessage])
        let namespace = try Fixtures.errors(#"{"metadata":{"name":"team.a"}}"#, "namespaces")
        #expect(namespace == [#"metadata.name: Invalid value: "team.a": "# + Self.labelMessage])
        let service = try Fixtures.errors(
            #"{"metadata":{"name":"1web","namespace":"default"},"spec":{"ports":[{"port":80}]}}"#, "services")
        #expect(service == [#"metadata.name: Invalid value: "1web": "# + Self.dns1035Message])
        let unnamed = try Fixtures.errors(#"{"metadata":{"namespace":"default"},"data":{}}"#, "configmaps")
        #expect(unnamed == ["metadata.name: Required value: name or generateName is required"])
        let generated = try Fixtures.errors(#"{"metadata":{"generateName":"web-","namespace":"default"}}"#, "configmaps")
        #expect(generated == [])
        let noNamespace = try Fixtures.errors(#"{"metadata":{"name":"cm"}}"#, "configmaps")
        #expect(noNamespace == ["metadata.namespace: Required value"])
    }

    @Test func labelsAndAnnotations() throws {
        let errors = try Fixtures.errors(#"{"metadata":{"name":"cm","namespace":"default","labels":{"app":"a b"},"annotations":{"Example.COM/Key":"ok"}}}"#, "configmaps")
        #expect(errors == [
            #"metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#
        ])
    }

    @Test func portsAndProtocols() throws {
        let errors = try Fixtures.errors(Self.pod("""
            {"containers":[{"name":"c","image":"i","ports":[{"containerPort":70000},{"containerPort":80,"protocol":"HTTP"}]}]}
            """), "pods")
        #expect(errors == [
            "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            #"spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#,
        ])
    }

    @Test func volumesNeedUniqueNamesAndOneSource() throws {
        let errors = try Fixtures.errors(Self.pod("""
            {"containers":[{"name":"c","image":"i"}],
             "volumes":[{"name":"a","emptyDir":{}},{"name":"a","emptyDir":{}},{"name":"b","emptyDir":{},"secret":{"secretName":"s"}}]}
            """), "pods")
        #expect(errors == [
            #"spec.volumes[1].name: Duplicate value: "a""#,
            "spec.volumes[2].secret: Forbidden: may not specify more than 1 volume type",
        ])
    }

    @Test func restartPolicyAndProbes() throws {
        let errors = try Fixtures.errors(Self.pod("""
            {"restartPolicy":"Sometimes","containers":[{"name":"c","image":"i",
              "livenessProbe":{"exec":{"command":["true"]},"successThreshold":2,"failureThreshold":-1},
              "readinessProbe":{}}]}
            """), "pods")
        #expect(errors == [
            "spec.containers[0].livenessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0",
            "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "spec.containers[0].readinessProbe: Required value: must specify a handler type",
            #"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#,
        ])
    }

    @Test func workloadTemplatesMustRestartAlways() throws {
        let errors = try Fixtures.errors(Self.deployment(
            selector: #"{"matchLabels":{"a":"b"}}"#, labels: #"{"a":"b"}"#,
            podSpec: #"{"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]}"#), "deployments")
        #expect(errors == [#"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#])
        let replicas = try Fixtures.errors(
            Self.deployment(selector: #"{"matchLabels":{"a":"b"}}"#, labels: #"{"a":"b"}"#)
                .replacingFirst(#""spec":{"selector""#, with: #""spec":{"replicas":-2,"selector""#), "deployments")
        #expect(replicas == ["spec.replicas: Invalid value: -2: must be greater than or equal to 0"])
    }

    @Test func jobsMustChooseNeverOrOnFailure() throws {
        let job = #"{"metadata":{"name":"pi","namespace":"default"},"spec":{"template":{"spec":{%@"containers":[{"name":"pi","image":"perl"}]}}}}"#
        #expect(try Fixtures.errors(job.replacingFirst("%@", with: ""), "jobs")
            == [#"spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never""#])
        #expect(try Fixtures.errors(job.replacingFirst("%@", with: #""restartPolicy":"Never","#), "jobs") == [])
    }

    @Test func serviceRules() throws {
        let noPorts = try Fixtures.errors(#"{"metadata":{"name":"s","namespace":"default"},"spec":{"selector":{"a":"b"}}}"#, "services")
        #expect(noPorts == ["spec.ports: Required value"])
        let headless = try Fixtures.errors(#"{"metadata":{"name":"s","namespace":"default"},"spec":{"clusterIP":"None"}}"#, "services")
        #expect(headless == [])
        let ports = try Fixtures.errors("""
            {"metadata":{"name":"s","namespace":"default"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":70000},{"port":0,"name":"b"}]}}
            """, "services")
        #expect(ports == [
            "spec.ports[0].name: Required value",
            "spec.ports[0].nodePort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
        ])
        let type = try Fixtures.errors(#"{"metadata":{"name":"s","namespace":"default"},"spec":{"type":"Internal","ports":[{"port":80}]}}"#, "services")
        #expect(type.contains(#"spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#))
    }

    @Test func secretDataMustBeBase64WithValidKeys() throws {
        // mysecret.yaml with its YAML mistakes fixed but its values still not base64.
        let errors = try Fixtures.errors(
            #"{"metadata":{"name":"mysecret","namespace":"default"},"data":{"username":"admin","password":"123"}}"#, "secrets")
        #expect(errors == [
            #"data[password]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 0"#,
            #"data[username]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 4"#,
        ])
        let keys = try Fixtures.errors(#"{"metadata":{"name":"s","namespace":"default"},"stringData":{"my key":"v"}}"#, "secrets")
        #expect(keys == [
            #"data[my key]: Invalid value: "my key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"#
        ])
        let tls = try Fixtures.errors(#"{"metadata":{"name":"s","namespace":"default"},"type":"kubernetes.io/tls","stringData":{"tls.crt":"x"}}"#, "secrets")
        #expect(tls == ["data[tls.key]: Required value"])
    }

    @Test func sizeLimits() throws {
        let big = String(repeating: "a", count: 1024 * 1024 + 1)
        let configMap = try Fixtures.errors(#"{"metadata":{"name":"c","namespace":"default"},"data":{"big":"\#(big)"}}"#, "configmaps")
        #expect(configMap == [": Too long: may not be more than 1048576 bytes"])
        let secret = try Fixtures.errors(#"{"metadata":{"name":"s","namespace":"default"},"stringData":{"big":"\#(big)"}}"#, "secrets")
        #expect(secret == ["data: Too long: may not be more than 1048576 bytes"])
    }

    @Test func selectorsCannotChange() throws {
        let old = Self.deployment(selector: #"{"matchLabels":{"a":"b"}}"#, labels: #"{"a":"b"}"#)
        let new = Self.deployment(selector: #"{"matchLabels":{"a":"c"}}"#, labels: #"{"a":"c"}"#)
        let errors = try Fixtures.errors(new, "deployments", old: old)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("spec.selector: Invalid value: ") == true)
        #expect(errors.first?.hasSuffix(": field is immutable") == true)
        let scaled = old.replacingFirst(#""spec":{"selector""#, with: #""spec":{"replicas":5,"selector""#)
        #expect(try Fixtures.errors(scaled, "deployments", old: old) == [])
    }

    @Test func clusterIPCannotChangeButMayBeLeftOut() throws {
        let service = #"{"metadata":{"name":"s","namespace":"default"},"spec":{%@"ports":[{"port":80}]}}"#
        let stored = service.replacingFirst("%@", with: #""clusterIP":"10.96.0.10","#)
        let moved = service.replacingFirst("%@", with: #""clusterIP":"10.96.0.11","#)
        #expect(try Fixtures.errors(moved, "services", old: stored)
            == [#"spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set"#])
        #expect(try Fixtures.errors(service.replacingFirst("%@", with: ""), "services", old: stored) == [])
    }

    @Test func podUpdatesMayOnlyChangeImages() throws {
        let pod = Self.pod(#"{"containers":[{"name":"c","image":"nginx:1","ports":[{"containerPort":80}]}]}"#)
        let newImage = pod.replacingFirst("nginx:1", with: "nginx:2")
        #expect(try Fixtures.errors(newImage, "pods", old: pod) == [])
        let newPort = pod.replacingFirst("80", with: "81")
        let errors = try Fixtures.errors(newPort, "pods", old: pod)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`") == true)
        let bound = pod.replacingFirst(#""containers""#, with: #""nodeName":"node-1","containers""#)
        #expect(try Fixtures.errors(bound, "pods", old: pod) == [], "binding sets nodeName once")
    }

    @Test func statefulSetSpecIsMostlyFixed() throws {
        let statefulSet = """
            {"metadata":{"name":"db","namespace":"default"},"spec":{"serviceName":"%@","replicas":1,
             "selector":{"matchLabels":{"app":"db"}},
             "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres",
              "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}]}},
             "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
            """
        let old = statefulSet.replacingFirst("%@", with: "db")
        #expect(try Fixtures.errors(old, "statefulsets") == [], "claim templates count as volumes")
        let scaled = old.replacingFirst(#""replicas":1"#, with: #""replicas":3"#)
        #expect(try Fixtures.errors(scaled, "statefulsets", old: old) == [])
        let renamed = statefulSet.replacingFirst("%@", with: "database")
        #expect(try Fixtures.errors(renamed, "statefulsets", old: old) == [
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
        ])
    }

    @Test func immutableConfigMapsStayAsTheyAre() throws {
        let old = #"{"metadata":{"name":"c","namespace":"default"},"data":{"k":"1"},"immutable":true}"#
        #expect(try Fixtures.errors(old.replacingFirst(#""1""#, with: #""2""#), "configmaps", old: old)
            == ["data: Forbidden: field is immutable when `immutable` is set"])
        #expect(try Fixtures.errors(old, "configmaps", old: old) == [])
    }

    @Test func claimsNeedAccessModesAndStorage() throws {
        let errors = try Fixtures.errors(#"{"metadata":{"name":"c","namespace":"default"},"spec":{}}"#, "persistentvolumeclaims")
        #expect(errors == [
            "spec.accessModes: Required value: at least 1 access mode is required",
            "spec.resources[storage]: Required value",
        ])
    }
}

extension String {
    /// This string with the first occurrence of `target` replaced (no Foundation in these tests).
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        let characters = Array(self)
        let pattern = Array(target)
        guard !pattern.isEmpty, characters.count >= pattern.count else { return self }
        for start in 0...(characters.count - pattern.count) where Array(characters[start..<start + pattern.count]) == pattern {
            return String(characters[..<start]) + replacement + String(characters[(start + pattern.count)...])
        }
        return self
    }
}
