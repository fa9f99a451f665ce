@testable import APIRules
import SkiffAPI
import Testing

@Suite struct AdmissionDefaultsTests {
    typealias Fixtures = AdmissionFixtures

    @Test func seedDeploymentGetsTheSpecKubectlShowsOnARealCluster() throws {
        let deployment = try Fixtures.defaulted(Fixtures.seedDeployment, "deployments")
        // `kubectl get deploy notepad -o yaml` on Kubernetes 1.32, spec only (nulls dropped).
        let expected = try Fixtures.object("""
            {"progressDeadlineSeconds":600,"replicas":3,"revisionHistoryLimit":10,
             "selector":{"matchLabels":{"app":"mytest"}},
             "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
             "template":{"metadata":{"labels":{"app":"mytest"}},
              "spec":{"containers":[{"image":"mengsixing/notepad","imagePullPolicy":"Always","name":"notepad",
                "ports":[{"containerPort":8083,"protocol":"TCP"}],"resources":{},
                "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
               "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
               "securityContext":{},"terminationGracePeriodSeconds":30}}}
            """)
        #expect(deployment["spec"] == expected)
        #expect(deployment["metadata"] == ["name": "notepad", "namespace": "default"])
    }

    @Test func defaultingTwiceChangesNothing() throws {
        for (json, resource) in [
            (Fixtures.seedDeployment, "deployments"), (Fixtures.seedService, "services"),
            (Fixtures.seedPodMountMoved, "pods"),
        ] {
            let once = try Fixtures.defaulted(json, resource)
            var twice = once
            Admission.applyDefaults(&twice, resource: try Fixtures.resource(resource))
            #expect(twice == once)
        }
    }

    @Test func valuesTheClientSetAreKept() throws {
        let deployment = try Fixtures.defaulted("""
            {"metadata":{"name":"d"},"spec":{"replicas":0,"strategy":{"type":"Recreate"},"revisionHistoryLimit":2,
             "template":{"spec":{"restartPolicy":"Never","dnsPolicy":"Default","containers":[
              {"name":"c","image":"nginx","imagePullPolicy":"Never","ports":[{"containerPort":53,"protocol":"UDP"}]}]}}}}
            """, "deployments")
        #expect(deployment["spec"]["replicas"] == 0)
        #expect(deployment["spec"]["revisionHistoryLimit"] == 2)
        #expect(deployment["spec"]["strategy"] == ["type": "Recreate"])
        let spec = deployment["spec"]["template"]["spec"]
        #expect(spec["restartPolicy"] == "Never")
        #expect(spec["dnsPolicy"] == "Default")
        #expect(spec["containers"][0]["imagePullPolicy"] == "Never")
        #expect(spec["containers"][0]["ports"][0]["protocol"] == "UDP")
    }

    @Test func seedServiceKeepsItsTargetPortAndGetsProtocolAndPolicies() throws {
        let service = try Fixtures.defaulted(Fixtures.seedService, "services")
        let spec = service["spec"]
        #expect(spec["ports"] == [["nodePort": 30036, "port": 80, "protocol": "TCP", "targetPort": 8083]])
        #expect(spec["sessionAffinity"] == "None")
        #expect(spec["externalTrafficPolicy"] == "Cluster")
        #expect(spec["internalTrafficPolicy"] == "Cluster")
        #expect(spec["ipFamilyPolicy"] == "SingleStack")
        #expect(spec["ipFamilies"] == ["IPv4"])
        #expect(spec["clusterIP"].isNull, "allocation is the server's job")
        #expect(service["status"] == ["loadBalancer": [:]])
    }

    @Test func serviceTargetPortDefaultsToPort() throws {
        let service = try Fixtures.defaulted("""
            {"metadata":{"name":"s"},"spec":{"ports":[{"name":"web","port":80},{"name":"dns","port":53,"protocol":"UDP","targetPort":"dns"}]}}
            """, "services")
        let spec = service["spec"]
        #expect(spec["type"] == "ClusterIP")
        #expect(spec["ports"][0] == ["name": "web", "port": 80, "protocol": "TCP", "targetPort": 80])
        #expect(spec["ports"][1] == ["name": "dns", "port": 53, "protocol": "UDP", "targetPort": "dns"])
        #expect(spec["externalTrafficPolicy"].isNull, "only externally reachable services have one")
    }

    @Test func headlessAndExternalNameServices() throws {
        let headless = try Fixtures.defaulted(#"{"metadata":{"name":"h"},"spec":{"clusterIP":"None"}}"#, "services")
        #expect(headless["spec"]["clusterIPs"] == ["None"])
        let external = try Fixtures.defaulted(
            #"{"metadata":{"name":"e"},"spec":{"type":"ExternalName","externalName":"example.com"}}"#, "services")
        #expect(external["spec"]["ipFamilies"].isNull)
        #expect(external["spec"]["ipFamilyPolicy"].isNull)
        #expect(external["spec"]["internalTrafficPolicy"].isNull)
    }

    @Test func secretStringDataIsFoldedIntoData() throws {
        let secret = try Fixtures.defaulted("""
            {"metadata":{"name":"mysecret"},"data":{"password":"MTIz","username":"b2xk"},"stringData":{"username":"admin","note":"é"}}
            """, "secrets")
        #expect(secret["stringData"].isNull)
        #expect(secret["type"] == "Opaque")
        #expect(secret["data"] == ["password": "MTIz", "username": "YWRtaW4=", "note": "w6k="])
    }

    @Test func podGetsPodOnlyDefaults() throws {
        let pod = try Fixtures.defaulted(Fixtures.seedPodMountMoved, "pods")
        let spec = pod["spec"]
        #expect(spec["enableServiceLinks"] == true)
        #expect(spec["priority"] == 0)
        #expect(spec["preemptionPolicy"] == "PreemptLowerPriority")
        #expect(spec["terminationGracePeriodSeconds"] == 30)
        #expect(spec["volumes"][0]["secret"] == ["secretName": "mysecret", "defaultMode": 420])
        let template = try Fixtures.defaulted(Fixtures.seedDeployment, "deployments")["spec"]["template"]["spec"]
        #expect(template["enableServiceLinks"].isNull, "only Pods, not templates")
        #expect(template["priority"].isNull)
    }

    @Test func containersProbesAndVolumes() throws {
        let pod = try Fixtures.defaulted("""
            {"metadata":{"name":"p"},"spec":{"hostNetwork":true,
             "volumes":[{"name":"scratch"},{"name":"cfg","configMap":{"name":"c"}},{"name":"host","hostPath":{"path":"/var"}}],
             "containers":[{"name":"c","image":"nginx:1.27","ports":[{"containerPort":8080}],
              "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}],
              "resources":{"limits":{"cpu":"1","memory":"64Mi"},"requests":{"cpu":"100m"}},
              "livenessProbe":{"httpGet":{"port":8080}},
              "readinessProbe":{"tcpSocket":{"port":8080},"periodSeconds":5}}]}}
            """, "pods")
        let container = pod["spec"]["containers"][0]
        #expect(container["imagePullPolicy"] == "IfNotPresent")
        #expect(container["ports"][0] == ["containerPort": 8080, "hostPort": 8080, "protocol": "TCP"])
        #expect(container["env"][0]["valueFrom"]["fieldRef"] == ["apiVersion": "v1", "fieldPath": "spec.nodeName"])
        #expect(container["resources"]["requests"] == ["cpu": "100m", "memory": "64Mi"])
        #expect(container["livenessProbe"] == [
            "httpGet": ["path": "/", "port": 8080, "scheme": "HTTP"],
            "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3,
        ])
        #expect(container["readinessProbe"]["periodSeconds"] == 5)
        let volumes = pod["spec"]["volumes"]
        #expect(volumes[0] == ["name": "scratch", "emptyDir": [:]])
        #expect(volumes[1]["configMap"]["defaultMode"] == 420)
        #expect(volumes[2]["hostPath"] == ["path": "/var", "type": ""])
    }

    @Test(arguments: [
        ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
        ("registry.local:5000/team/app", "Always"), ("registry.local:5000/team/app:v2", "IfNotPresent"),
        ("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent"),
        ("Nginx", "IfNotPresent"), ("", "IfNotPresent"),
    ])
    func imagePullPolicyFollowsTheTag(image: String, policy: String) {
        #expect(Admission.ImageReference.defaultPullPolicy(for: image) == policy)
    }

    @Test func workloadsOtherThanDeployments() throws {
        let template = #""template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}"#
        let replicaSet = try Fixtures.defaulted(#"{"metadata":{"name":"r"},"spec":{\#(template)}}"#, "replicasets")
        #expect(replicaSet["spec"]["replicas"] == 1)
        let daemonSet = try Fixtures.defaulted(#"{"metadata":{"name":"d"},"spec":{\#(template)}}"#, "daemonsets")
        #expect(daemonSet["spec"]["updateStrategy"] == [
            "type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0],
        ])
        #expect(daemonSet["spec"]["revisionHistoryLimit"] == 10)
        let statefulSet = try Fixtures.defaulted("""
            {"metadata":{"name":"s"},"spec":{\(template),
             "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"]}}]}}
            """, "statefulsets")
        let spec = statefulSet["spec"]
        #expect(spec["replicas"] == 1)
        #expect(spec["podManagementPolicy"] == "OrderedReady")
        #expect(spec["updateStrategy"] == ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
        #expect(spec["persistentVolumeClaimRetentionPolicy"] == ["whenDeleted": "Retain", "whenScaled": "Retain"])
        #expect(spec["revisionHistoryLimit"] == 10)
        #expect(spec["volumeClaimTemplates"][0]["spec"]["volumeMode"] == "Filesystem")
        #expect(spec["volumeClaimTemplates"][0]["status"] == ["phase": "Pending"])
    }

    @Test func jobDefaultsAndGeneratedSelector() throws {
        func job(uid: String?) -> String {
            let uidMember = uid.map { #","uid":"\#($0)""# } ?? ""
            return """
                {"metadata":{"name":"pi"\(uidMember)},"spec":{"template":{"spec":{"containers":[{"name":"pi","image":"perl:5.34.0"}]}}}}
                """
        }
        let withoutUID = try Fixtures.defaulted(job(uid: nil), "jobs")
        let spec = withoutUID["spec"]
        #expect(spec["completions"] == 1)
        #expect(spec["parallelism"] == 1)
        #expect(spec["backoffLimit"] == 6)
        #expect(spec["completionMode"] == "NonIndexed")
        #expect(spec["suspend"] == false)
        #expect(spec["manualSelector"] == false)
        #expect(spec["podReplacementPolicy"] == "TerminatingOrFailed")
        #expect(spec["template"]["spec"]["restartPolicy"].isNull, "a Job must choose Never or OnFailure itself")
        #expect(spec["selector"].isNull, "no uid yet, nothing to select on")

        let withUID = try Fixtures.defaulted(job(uid: "0f7e"), "jobs")
        #expect(withUID["spec"]["selector"] == ["matchLabels": ["batch.kubernetes.io/controller-uid": "0f7e"]])
        let expectedLabels: JSONValue = [
            "batch.kubernetes.io/controller-uid": "0f7e", "batch.kubernetes.io/job-name": "pi",
            "controller-uid": "0f7e", "job-name": "pi",
        ]
        #expect(withUID["spec"]["template"]["metadata"]["labels"] == expectedLabels)
        #expect(withUID["metadata"]["labels"] == expectedLabels)
    }

    @Test func clusterScopedAndStorageKinds() throws {
        let namespace = try Fixtures.defaulted(#"{"metadata":{"name":"team-a"}}"#, "namespaces")
        #expect(namespace["metadata"]["labels"] == ["kubernetes.io/metadata.name": "team-a"])
        #expect(namespace["spec"] == ["finalizers": ["kubernetes"]])
        #expect(namespace["status"] == ["phase": "Active"])
        let terminating = try Fixtures.defaulted(
            #"{"metadata":{"name":"old"},"spec":{},"status":{"phase":"Terminating"}}"#, "namespaces")
        #expect(terminating["spec"]["finalizers"].isNull, "a finalized namespace does not get its finalizer back")

        let claim = try Fixtures.defaulted(#"{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"]}}"#, "pvc")
        #expect(claim["spec"]["volumeMode"] == "Filesystem")
        #expect(claim["status"] == ["phase": "Pending"])
        let volume = try Fixtures.defaulted(#"{"metadata":{"name":"v"},"spec":{"hostPath":{"path":"/x"}}}"#, "pv")
        #expect(volume["spec"]["persistentVolumeReclaimPolicy"] == "Retain")
        let node = try Fixtures.defaulted(#"{"metadata":{"name":"n"},"status":{"capacity":{"cpu":"2"}}}"#, "nodes")
        #expect(node["status"]["allocatable"] == ["cpu": "2"])
    }

    @Test(arguments: [
        ("", Array(""), nil), ("YWRtaW4=", Array("admin"), nil), ("Zm9v\nYmFy", Array("foobar"), nil),
        ("admin", nil, 4), ("123", nil, 0), ("YW=taW4=", nil, 2), ("Zg=", nil, 3), ("Zm9vYg==x", nil, 8),
    ] as [(String, [Character]?, Int?)])
    func base64DecodesAsGoDoes(text: String, decoded: [Character]?, failsAt offset: Int?) {
        switch Admission.GoBase64.decode(text) {
        case .success(let bytes):
            #expect(bytes == decoded.map { Array(String($0).utf8) })
            #expect(offset == nil)
            if !text.contains("\n") { #expect(Admission.GoBase64.encode(bytes) == text) }
        case .failure(let error):
            #expect(error.offset == offset)
            #expect(error.message == "illegal base64 data at input byte \(error.offset)")
            #expect(decoded == nil)
        }
    }
}
