import APIRules
import SkiffAPI
import Testing

@Suite struct AdmissionUnknownFieldsTests {
    typealias Fixtures = AdmissionFixtures

    func unknown(_ json: String, _ resource: String) throws -> [String] {
        Admission.unknownFields(try Fixtures.object(json), resource: try Fixtures.resource(resource))
    }

    @Test func seedPodHasVolumeMountsInTheWrongPlace() throws {
        #expect(try unknown(Fixtures.seedBrokenPod, "pods") == ["spec.volumeMounts"])
        #expect(try unknown(Fixtures.seedPodMountMoved, "pods") == [])
    }

    @Test func seedManifestsHaveNoUnknownFields() throws {
        #expect(try unknown(Fixtures.seedDeployment, "deployments") == [])
        #expect(try unknown(Fixtures.seedService, "services") == [])
    }

    @Test func pathsNameListIndicesLikeKubernetes() throws {
        let deployment = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","lables":{"a":"b"}},
             "spec":{"replica":2,"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","imagee":"y",
              "ports":[{"containerPort":80,"protocl":"TCP"}]}]}}}}
            """
        #expect(try unknown(deployment, "deployments") == [
            "metadata.lables",
            "spec.replica",
            "spec.template.spec.containers[1].imagee",
            "spec.template.spec.containers[1].ports[0].protocl",
        ])
    }

    @Test func onlyTheOutermostUnknownFieldIsReported() throws {
        #expect(try unknown(#"{"spec":{"extra":{"deeper":{"x":1}},"containers":[]}}"#, "pods") == ["spec.extra"])
    }

    @Test func openMapsAndStatusAreNotChecked() throws {
        let pod = """
            {"metadata":{"name":"p","labels":{"any/key":"v"},"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},
             "spec":{"nodeSelector":{"disk":"ssd"},"containers":[{"name":"c","image":"i",
               "resources":{"limits":{"example.com/gpu":1}},"securityContext":{"capabilities":{"add":["NET_ADMIN"]},"futureOption":true}}],
              "affinity":{"nodeAffinity":{"anything":{}}}},
             "status":{"phase":"Running","madeUp":[1,2]}}
            """
        #expect(try unknown(pod, "pods") == [])
        #expect(try unknown(#"{"metadata":{"name":"c"},"data":{"any key":"v"},"binaryData":{}}"#, "configmaps") == [])
    }

    @Test func eachKindHasItsOwnTopLevel() throws {
        #expect(try unknown(#"{"metadata":{"name":"s"},"type":"Opaque","data":{},"stringData":{},"immutable":true}"#, "secrets") == [])
        #expect(try unknown(#"{"metadata":{"name":"c"},"spec":{"data":{}}}"#, "configmaps") == ["spec"])
        #expect(try unknown(#"{"metadata":{"name":"s"},"spec":{"ports":[{"port":80,"targetport":8080}]}}"#, "services")
            == ["spec.ports[0].targetport"])
        #expect(try unknown(#"{"metadata":{"name":"e"},"addressType":"IPv4","endpoints":[{"addresses":["10.0.0.1"],"conditions":{"ready":true}}],"ports":[{"port":80}]}"#, "endpointslices") == [])
        #expect(try unknown(#"{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Started","source":{"component":"kubelet"},"count":1}"#, "events") == [])
    }

    @Test func aFullyFeaturedWorkloadIsAccepted() throws {
        let statefulSet = """
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"web","ownerReferences":[{"apiVersion":"v1","kind":"X","name":"x","uid":"u","controller":true}]},
             "spec":{"serviceName":"web","replicas":2,"podManagementPolicy":"Parallel","minReadySeconds":5,
              "selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["a"]}]},
              "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}},
              "persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Delete","whenScaled":"Retain"},
              "template":{"metadata":{"labels":{"app":"web"},"annotations":{"a":"b"}},
               "spec":{"serviceAccountName":"web","terminationGracePeriodSeconds":10,"hostname":"h","subdomain":"s",
                "tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule","tolerationSeconds":5}],
                "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}],
                "dnsConfig":{"nameservers":["1.1.1.1"],"options":[{"name":"ndots","value":"2"}]},
                "imagePullSecrets":[{"name":"reg"}],"hostAliases":[{"ip":"10.0.0.1","hostnames":["db"]}],
                "initContainers":[{"name":"init","image":"busybox","command":["sh","-c","true"]}],
                "containers":[{"name":"web","image":"nginx","args":["-g"],"workingDir":"/","stdin":true,"tty":true,
                 "ports":[{"name":"http","containerPort":80,"hostPort":8080,"hostIP":"0.0.0.0"}],
                 "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"secretKeyRef":{"name":"s","key":"k","optional":true}}},
                        {"name":"C","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu","divisor":"1m"}}}],
                 "envFrom":[{"prefix":"X_","configMapRef":{"name":"cm"}}],
                 "resources":{"requests":{"cpu":"100m"},"limits":{"memory":"1Gi"}},
                 "volumeMounts":[{"name":"data","mountPath":"/data","subPath":"x","readOnly":false,"mountPropagation":"None"}],
                 "livenessProbe":{"httpGet":{"path":"/","port":"http","httpHeaders":[{"name":"X","value":"y"}]},"initialDelaySeconds":3},
                 "readinessProbe":{"grpc":{"port":9000,"service":"s"}},
                 "startupProbe":{"tcpSocket":{"port":80},"failureThreshold":30},
                 "lifecycle":{"preStop":{"sleep":{"seconds":5}},"postStart":{"exec":{"command":["true"]}}}}],
                "volumes":[{"name":"cfg","configMap":{"name":"cm","items":[{"key":"a","path":"a","mode":256}],"optional":true}},
                 {"name":"proj","projected":{"sources":[{"serviceAccountToken":{"path":"token","expirationSeconds":3600,"audience":"api"}},
                   {"downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}}]}}]}},
                 {"name":"tmp","emptyDir":{"medium":"Memory","sizeLimit":"64Mi"}},
                 {"name":"claim","persistentVolumeClaim":{"claimName":"c","readOnly":true}},
                 {"name":"csi","csi":{"driver":"d.example.com","volumeAttributes":{"a":"b"}}}]}},
              "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
            """
        #expect(try unknown(statefulSet, "statefulsets") == [])
    }

    @Test func kindsWithoutASchemaReportNothing() throws {
        let crd = ResourceKind(
            groupVersionKind: GroupVersionKind(group: "example.com", version: "v1", kind: "Widget"),
            plural: "widgets", singular: "widget", namespaced: true)
        #expect(Admission.unknownFields(["spec": ["anything": 1]], resource: crd) == [])
    }
}
