import APIRules
import Foundation
import SkiffAPI
import Testing

@Suite("Table cells for workloads, services, nodes and the rest")
struct TablePrinterTests {
    typealias S = TableTestSupport
    private let created = #""creationTimestamp":"2026-11-28T01:00:00Z""#

    @Test("deployments: READY x/y, integer counts, wide containers, images and selector")
    func deployment() throws {
        let resource = S.resource("deployments", group: "apps")
        #expect(
            S.columns(resource) == [
                "Name/0", "Ready/0", "Up-to-date/0", "Available/0", "Age/0", "Containers/1", "Images/1", "Selector/1",
            ])
        let deployment = try S.object(
            #"{"metadata":{"name":"web","# + created
                + #"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]}]},"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"},{"name":"log","image":"fluent"}]}}},"status":{"readyReplicas":1,"updatedReplicas":2,"availableReplicas":1}}"#
        )
        #expect(
            S.cells(resource, deployment) == [
                "web", "1/3", 2, 1, "10m", "nginx,log", "nginx:1.27,fluent", "app=web,tier in (a,b)",
            ])
        let fresh = try S.object(#"{"metadata":{"name":"new"},"spec":{}}"#)
        #expect(S.cells(resource, fresh) == ["new", "0/1", 0, 0, "<unknown>", "", "", ""])
    }

    @Test("replicasets, daemonsets and statefulsets")
    func otherWorkloads() throws {
        let replicaSet = try S.object(
            #"{"metadata":{"name":"web-5d4","# + created
                + #"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web","pod-template-hash":"5d4"}},"template":{"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}},"status":{"replicas":2,"readyReplicas":1}}"#
        )
        #expect(
            S.cells(S.resource("replicasets", group: "apps"), replicaSet)
                == ["web-5d4", 2, 2, 1, "10m", "nginx", "nginx", "app=web,pod-template-hash=5d4"])

        let daemonSet = try S.object(
            #"{"metadata":{"name":"agent","# + created
                + #"},"spec":{"selector":{},"template":{"spec":{"nodeSelector":{"os":"linux"},"containers":[{"name":"a","image":"agent:1"}]}}},"status":{"desiredNumberScheduled":1,"currentNumberScheduled":1,"numberReady":1,"updatedNumberScheduled":1,"numberAvailable":1}}"#
        )
        #expect(
            S.cells(S.resource("daemonsets", group: "apps"), daemonSet)
                == ["agent", 1, 1, 1, 1, 1, "os=linux", "10m", "a", "agent:1", "<none>"])

        let statefulSet = try S.object(
            #"{"metadata":{"name":"db","# + created
                + #"},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"pg","image":"postgres"}]}}},"status":{"readyReplicas":2}}"#
        )
        #expect(
            S.columns(S.resource("statefulsets", group: "apps")) == [
                "Name/0", "Ready/0", "Age/0", "Containers/1", "Images/1",
            ])
        #expect(
            S.cells(S.resource("statefulsets", group: "apps"), statefulSet) == ["db", "2/3", "10m", "pg", "postgres"])
    }

    @Test("jobs: STATUS from conditions, COMPLETIONS and DURATION")
    func jobs() throws {
        let resource = S.resource("jobs", group: "batch")
        #expect(
            S.columns(resource) == [
                "Name/0", "Status/0", "Completions/0", "Duration/0", "Age/0", "Containers/1", "Images/1", "Selector/1",
            ])
        let complete = try S.object(
            #"{"metadata":{"name":"pi","# + created
                + #"},"spec":{"completions":1,"parallelism":1,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u"}},"template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}},"status":{"succeeded":1,"startTime":"2026-11-28T01:00:00Z","completionTime":"2026-11-28T01:00:42Z","conditions":[{"type":"Complete","status":"True"}]}}"#
        )
        #expect(
            S.cells(resource, complete)
                == ["pi", "Complete", "1/1", "42s", "10m", "pi", "perl", "batch.kubernetes.io/controller-uid=u"])

        let running = try S.object(
            #"{"metadata":{"name":"q"},"spec":{"parallelism":4,"template":{"spec":{"containers":[]}}},"status":{"succeeded":2,"startTime":"2026-11-28T01:07:00Z"}}"#
        )
        #expect(Array(S.cells(resource, running).prefix(4)) == ["q", "Running", "2/1 of 4", "3m"])

        let suspended = try S.object(
            #"{"metadata":{"name":"s"},"spec":{},"status":{"conditions":[{"type":"Complete","status":"False"},{"type":"Suspended","status":"True"}]}}"#
        )
        #expect(Array(S.cells(resource, suspended).prefix(4)) == ["s", "Suspended", "0/1", ""])
        let failed = try S.object(
            #"{"metadata":{"name":"f","deletionTimestamp":"2026-11-28T01:09:00Z"},"spec":{},"status":{"conditions":[{"type":"Failed","status":"True"}]}}"#
        )
        #expect(S.cells(resource, failed)[1] == "Failed")
        let terminating = try S.object(
            #"{"metadata":{"name":"t","deletionTimestamp":"2026-11-28T01:09:00Z"},"spec":{}}"#)
        #expect(S.cells(resource, terminating)[1] == "Terminating")
    }

    @Test("services: type, cluster IP, external IP, ports and selector")
    func services() throws {
        let resource = S.resource("services")
        #expect(
            S.columns(resource) == [
                "Name/0", "Type/0", "Cluster-IP/0", "External-IP/0", "Port(s)/0", "Age/0", "Selector/1",
            ])
        let nodePort = try S.object(
            #"{"metadata":{"name":"mytest","# + created
                + #"},"spec":{"type":"NodePort","clusterIP":"10.96.0.12","clusterIPs":["10.96.0.12"],"selector":{"app":"mytest"},"ports":[{"port":80,"nodePort":30036,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}}"#
        )
        #expect(
            S.cells(resource, nodePort) == [
                "mytest", "NodePort", "10.96.0.12", "<none>", "80:30036/TCP,53/UDP", "10m", "app=mytest",
            ])

        let headless = try S.object(#"{"metadata":{"name":"db"},"spec":{"clusterIP":"None","ports":[{"port":5432}]}}"#)
        #expect(Array(S.cells(resource, headless).prefix(5)) == ["db", "ClusterIP", "None", "<none>", "5432/TCP"])
        #expect(S.cells(resource, headless)[6] == "<none>")

        let pending = try S.object(
            #"{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIPs":["10.96.0.9"]}}"#)
        #expect(
            Array(S.cells(resource, pending).prefix(5)) == ["lb", "LoadBalancer", "10.96.0.9", "<pending>", "<none>"])
        let balanced = try S.object(
            #"{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","externalIPs":["1.2.3.4"]},"status":{"loadBalancer":{"ingress":[{"ip":"9.9.9.9"},{"hostname":"lb.example.com"}]}}}"#
        )
        #expect(S.cells(resource, balanced)[3] == "9.9.9.9,lb.example.com,1.2.3.4")
        let external = try S.object(
            #"{"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"example.com"}}"#)
        #expect(S.cells(resource, external)[3] == "example.com")
    }

    @Test("endpoints list three addresses then how many more; endpoint slices likewise")
    func endpoints() throws {
        let endpoints = try S.object(
            #"{"metadata":{"name":"web","# + created
                + #"},"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"port":80},{"port":443}]}]}"#
        )
        #expect(
            S.cells(S.resource("endpoints"), endpoints)
                == ["web", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...", "10m"])
        #expect(S.cells(S.resource("endpoints"), try S.object(#"{"metadata":{"name":"none"}}"#))[1] == "<none>")
        let v6 = try S.object(
            #"{"metadata":{"name":"v6"},"subsets":[{"addresses":[{"ip":"fd00::1"}],"ports":[{"port":80}]}]}"#)
        #expect(S.cells(S.resource("endpoints"), v6)[1] == "[fd00::1]:80")

        let slice = try S.object(
            #"{"metadata":{"name":"web-abc","# + created
                + #"},"addressType":"IPv4","ports":[{"port":80},{"name":"metrics"},{}],"endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2"]}]}"#
        )
        #expect(
            S.cells(S.resource("endpointslices", group: "discovery.k8s.io"), slice)
                == ["web-abc", "IPv4", "80,metrics,*", "10.0.0.1,10.0.0.2", "10m"])
        let empty = try S.object(#"{"metadata":{"name":"e"},"addressType":"IPv4"}"#)
        #expect(
            Array(S.cells(S.resource("endpointslices", group: "discovery.k8s.io"), empty).prefix(4))
                == ["e", "IPv4", "<unset>", "<unset>"])
    }

    @Test("nodes: status from the Ready condition, cordoning, roles and wide system info")
    func nodes() throws {
        let resource = S.resource("nodes")
        let node = try S.object(
            #"{"metadata":{"name":"node-1","# + created
                + #","labels":{"node-role.kubernetes.io/control-plane":"","kubernetes.io/role":"worker","node-role.kubernetes.io/":""}},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP","address":"192.168.1.5"},{"type":"Hostname","address":"node-1"}],"nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian GNU/Linux 12","kernelVersion":"6.1.0","containerRuntimeVersion":"skiff://0.1"}}}"#
        )
        #expect(
            S.cells(resource, node) == [
                "node-1", "Ready,SchedulingDisabled", "control-plane,worker", "10m", "v1.32.0", "192.168.1.5", "<none>",
                "Debian GNU/Linux 12", "6.1.0", "skiff://0.1",
            ])
        let bare = try S.object(
            #"{"metadata":{"name":"n2"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}"#)
        #expect(
            S.cells(resource, bare) == [
                "n2", "NotReady", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>",
            ])
        #expect(S.cells(resource, try S.object(#"{"metadata":{"name":"n3"}}"#))[1] == "Unknown")
    }

    @Test("namespaces, secrets, configmaps, service accounts and leases")
    func simpleKinds() throws {
        #expect(
            S.cells(
                S.resource("namespaces"),
                try S.object(#"{"metadata":{"name":"default","# + created + #"},"status":{"phase":"Active"}}"#))
                == ["default", "Active", "10m"])
        #expect(
            S.cells(
                S.resource("secrets"),
                try S.object(
                    #"{"metadata":{"name":"s","# + created + #"},"type":"Opaque","data":{"a":"eA==","b":"eQ=="}}"#))
                == ["s", "Opaque", 2, "10m"])
        #expect(
            S.cells(
                S.resource("configmaps"),
                try S.object(#"{"metadata":{"name":"c","# + created + #"},"data":{"a":"x"},"binaryData":{"b":"AA=="}}"#)
            )
                == ["c", 2, "10m"])
        #expect(S.cells(S.resource("configmaps"), try S.object(#"{"metadata":{"name":"e"}}"#))[1] == 0)
        #expect(
            S.cells(
                S.resource("serviceaccounts"),
                try S.object(#"{"metadata":{"name":"default","# + created + #"},"secrets":[{"name":"t"}]}"#))
                == ["default", 1, "10m"])
        #expect(
            S.cells(
                S.resource("leases", group: "coordination.k8s.io"),
                try S.object(#"{"metadata":{"name":"node-1","# + created + #"},"spec":{"holderIdentity":"node-1"}}"#))
                == ["node-1", "node-1", "10m"])
    }

    @Test("events: LAST SEEN, kind/name object, trimmed message and the wide cells in column order")
    func events() throws {
        let resource = S.resource("events")
        #expect(
            S.columns(resource) == [
                "Last Seen/0", "Type/0", "Reason/0", "Object/0", "Subobject/1", "Source/1", "Message/0", "First Seen/1",
                "Count/1", "Name/1",
            ])
        let event = try S.object(
            #"{"metadata":{"name":"p.17a"},"involvedObject":{"kind":"Pod","name":"notepad-x","fieldPath":"spec.containers{notepad}"},"type":"Normal","reason":"Pulled","message":"  Successfully pulled image\n","source":{"component":"kubelet","host":"node-1"},"firstTimestamp":"2026-11-28T01:00:00Z","lastTimestamp":"2026-11-28T01:08:00Z","count":3}"#
        )
        #expect(
            S.cells(resource, event) == [
                "2m", "Normal", "Pulled", "pod/notepad-x", "spec.containers{notepad}", "kubelet, node-1",
                "Successfully pulled image", "10m", 3, "p.17a",
            ])
        let newStyle = try S.object(
            #"{"metadata":{"name":"e2"},"involvedObject":{"kind":"Node"},"type":"Warning","reason":"Rebooted","message":"m","reportingComponent":"skiffd","eventTime":"2026-11-28T01:09:30.123456Z"}"#
        )
        #expect(
            S.cells(resource, newStyle) == ["29s", "Warning", "Rebooted", "node", "", "skiffd", "m", "29s", 1, "e2"])
        let series = try S.object(
            #"{"metadata":{"name":"e3"},"involvedObject":{"kind":"Pod","name":"p"},"eventTime":"2026-11-28T01:00:00.000000Z","series":{"count":7,"lastObservedTime":"2026-11-28T01:09:00.000000Z"}}"#
        )
        let seriesCells = S.cells(resource, series)
        #expect(seriesCells[0] == "60s")
        #expect(seriesCells[8] == 7)
    }

    @Test("persistent volumes and claims")
    func storage() throws {
        let volume = try S.object(
            #"{"metadata":{"name":"pv1","# + created
                + #"},"spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce","ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Retain","storageClassName":"local","claimRef":{"namespace":"default","name":"data"}},"status":{"phase":"Bound"}}"#
        )
        #expect(
            S.cells(S.resource("persistentvolumes"), volume) == [
                "pv1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "local", "<unset>", "", "10m", "<unset>",
            ])
        let claim = try S.object(
            #"{"metadata":{"name":"data","# + created
                + #","annotations":{"volume.beta.kubernetes.io/storage-class":"legacy"}},"spec":{"volumeName":"pv1","storageClassName":"local","volumeMode":"Filesystem"},"status":{"phase":"Bound","capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"]}}"#
        )
        #expect(
            S.cells(S.resource("persistentvolumeclaims"), claim) == [
                "data", "Bound", "pv1", "10Gi", "RWO", "legacy", "<unset>", "10m", "Filesystem",
            ])
        let pending = try S.object(
            #"{"metadata":{"name":"p","deletionTimestamp":"2026-11-28T01:09:00Z"},"spec":{"resources":{"requests":{"storage":"1Gi"}}},"status":{"phase":"Pending"}}"#
        )
        #expect(
            Array(S.cells(S.resource("persistentvolumeclaims"), pending).prefix(5)) == ["p", "Terminating", "", "", ""])
    }
}
