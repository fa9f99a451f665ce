import Foundation
import SkiffAPI
import Testing

/// Pods bound to the node start as Kubernetes starts them and report what kubelet reports.
@Suite(.serialized) struct PodStartTests {
    /// With SKIFF_START_TRACE set (as AgentNode sets it), the API server, the
    /// scheduler, the agent, the runtime and the container's child each note
    /// their step of a pod's start, in the order they happen
    /// (scripts/bench-pod-start turns these into the per-phase breakdown).
    @Test func startTraceNotesEveryStepInOrder() async throws {
        try await AgentNode.with { node in
            // No nodeName: the scheduler's steps are part of the start.
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: traced}
                spec:
                  containers:
                  - {name: web, image: mengsixing/notepad, ports: [{containerPort: 8083}]}
                """)
            _ = try await node.waitForPod("traced", "Running") { $0.phase == "Running" }
            var marks: [String: UInt64] = [:]
            try await eventually("status.running in the trace", timeout: .seconds(10)) {
                let text = (try? String(contentsOfFile: node.startTracePath, encoding: .utf8)) ?? ""
                for line in text.split(separator: "\n") {
                    let fields = line.split(separator: " ")
                    guard fields.count == 3, fields[2] == "default/traced", let at = UInt64(fields[0]) else { continue }
                    if marks[String(fields[1])] == nil { marks[String(fields[1])] = at }
                }
                return marks["status.running"] != nil
            }
            // The server's and the node's steps each in order; across the two a watcher
            // may hear of the binding before the scheduler notes it, so only these hold.
            let chains = [
                ["api.stored", "scheduler.placed", "scheduler.bound"],
                ["api.stored", "agent.seen", "sandbox.begin", "sandbox.namespaces", "sandbox.network", "container.created",
                 "container.logs", "container.cgroup", "container.joined", "container.rootfs", "container.exec",
                 "container.started", "status.sending", "status.running"],
            ]
            for chain in chains {
                for (earlier, later) in zip(chain, chain.dropFirst()) {
                    let first = try #require(marks[earlier], "\(earlier) missing from \(marks.keys.sorted())")
                    let second = try #require(marks[later], "\(later) missing from \(marks.keys.sorted())")
                    #expect(first <= second, "\(earlier) at \(first) after \(later) at \(second)")
                }
            }
        }
    }

    /// The pod start benchmark (scripts/bench-pod-start) against a real node:
    /// every pod started, traced and answering, and its phases adding up to its
    /// total, so the tool cannot rot unnoticed between benchmark runs.
    @Test func podStartBenchmarkAccountsForEveryMillisecond() async throws {
        try await AgentNode.with { node in
            let bench = AgentBinaries.directory.appendingPathComponent("skiff-apibench").path
            try #require(FileManager.default.isExecutableFile(atPath: bench), "\(bench) not built")
            let result = try await AgentShell.run(
                bench,
                ["--kubeconfig", node.kubeconfig, "pod-start", "--count", "3", "--concurrency", "2", "--warmup", "1",
                 "--netns", "/run/netns/\(node.netns)", "--trace", node.startTracePath, "--json"],
                environment: ["HOME": node.base], timeout: .seconds(180))
            #expect(result.status == 0, "\(result.combined)")
            let report = try JSONValue(jsonBytes: Array(result.stdout.utf8))
            #expect(report["started"].int64Value == 3, "\(result.stdout)")
            #expect(report["traced"].int64Value == 3)
            #expect(report["problems"].arrayValue?.isEmpty == true, "\(report["problems"])")
            let names = (report["phases"].arrayValue ?? []).compactMap { $0["name"].stringValue }
            for phase in ["API write", "scheduling", "bind", "sandbox/netns", "veth/IP", "cgroup", "rootfs mount", "exec", "status write"] {
                #expect(names.contains(phase), "\(phase) missing from \(names)")
            }
            for pod in report["pods"].arrayValue ?? [] {
                let phases = (pod["phasesMs"].arrayValue ?? []).compactMap(\.doubleValue)
                #expect(phases.count == names.count)
                #expect(phases.allSatisfy { $0 >= 0 })
                let total = try #require(pod["httpMs"].doubleValue)
                #expect(abs(phases.reduce(0, +) - total) < 0.01, "phases \(phases) do not add up to \(total)")
            }
        }
    }

    @Test func initContainerThenTwoContainersWithStatusAndEvents() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: ordered, labels: {app: ordered}}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  initContainers:
                  - name: setup
                    image: busybox
                    command: ["sh", "-c", "sleep 1; echo init-done > /work/init"]
                    volumeMounts: [{name: work, mountPath: /work}]
                  containers:
                  - name: web
                    image: mengsixing/notepad
                    ports: [{containerPort: 8083}]
                    resources:
                      requests: {cpu: 100m, memory: 32Mi}
                      limits: {cpu: 100m, memory: 32Mi}
                    volumeMounts: [{name: work, mountPath: /work}]
                  - name: side
                    image: busybox
                    command: ["sh", "-c", "cat /work/init; echo POD=$POD_NAME NS=$POD_NS IP=$POD_IP; exec sleep 3600"]
                    resources:
                      requests: {cpu: 100m, memory: 32Mi}
                      limits: {cpu: 100m, memory: 32Mi}
                    env:
                    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                    - {name: POD_NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                    volumeMounts: [{name: work, mountPath: /work}]
                  volumes:
                  - {name: work, emptyDir: {}}
                """)
            let pod = try await node.waitForPod("ordered", "Running and Ready") {
                $0.phase == "Running" && $0.condition("Ready") == "True"
            }
            let status = pod["status"]
            #expect(status["hostIP"].stringValue == "10.42.0.1")
            let podIP = try #require(status["podIP"].stringValue)
            #expect(podIP.hasPrefix("10.42.0."))
            #expect(status["podIPs"][0]["ip"].stringValue == podIP)
            // The init container has no resources, so the pod is Burstable (init containers count).
            #expect(status["qosClass"].stringValue == "Burstable")
            #expect(status["startTime"].stringValue != nil)
            for type in ["PodScheduled", "Initialized", "ContainersReady", "Ready"] {
                #expect(pod.condition(type) == "True", "\(type)")
            }
            let setup = pod.containerStatus("setup")
            #expect(setup["state"]["terminated"]["reason"].stringValue == "Completed")
            #expect(setup["state"]["terminated"]["exitCode"].int64Value == 0)
            for name in ["web", "side"] {
                let container = pod.containerStatus(name)
                #expect(container["ready"].boolValue == true, "\(name)")
                #expect(container["restartCount"].int64Value == 0)
                #expect(container["state"]["running"]["startedAt"].stringValue != nil)
                #expect(container["containerID"].stringValue?.hasPrefix("skiff://") == true)
            }
            #expect(pod.containerStatus("web")["image"].stringValue == "docker.io/mengsixing/notepad:latest")

            // The init container had finished (its last act) when the app container began;
            // the downward API env carries the pod's own address.
            let logs = try await node.kubectl(["logs", "ordered", "-c", "side"])
            #expect(logs.stdout == "init-done\nPOD=ordered NS=default IP=\(podIP)\n", "\(logs.combined)")
            // The notepad answers on the pod IP from the node's namespace.
            let page = try await node.inNode(["curl", "-s", "-m", "5", "http://\(podIP):8083/"])
            #expect(page.stdout.contains("notepad"), "\(page.combined)")

            let reasons = try await node.events(for: "ordered").compactMap { $0["reason"].stringValue }
            for reason in ["Pulled", "Created", "Started"] { #expect(reasons.contains(reason), "\(reasons)") }
            let table = try await node.kubectl(["get", "pod", "ordered"])
            #expect(table.stdout.contains("2/2") && table.stdout.contains("Running"), "\(table.stdout)")
        }
    }

    /// The seed's secret example, corrected (volumeMounts under the container,
    /// absolute mountPath), plus env from a Secret and a ConfigMap, and a
    /// configMap volume that follows changes to its ConfigMap.
    @Test func secretAndConfigMapAsEnvAndVolumes() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Secret
                metadata: {name: mysecret}
                data:
                  username: YWRtaW4=
                  password: MTIz
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data:
                  mode: fast
                  color: blue
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: mypod}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - name: mypod
                    image: mengsixing/notepad
                    env:
                    - name: SECRET_USERNAME
                      valueFrom: {secretKeyRef: {name: mysecret, key: username}}
                    - name: MODE
                      valueFrom: {configMapKeyRef: {name: settings, key: mode}}
                    envFrom:
                    - {configMapRef: {name: settings}, prefix: CFG_}
                    volumeMounts:
                    - {name: foo, mountPath: /etc/foo, readOnly: true}
                    - {name: cfg, mountPath: /etc/cfg}
                  volumes:
                  - name: foo
                    secret: {secretName: mysecret}
                  - name: cfg
                    configMap: {name: settings, items: [{key: color, path: colors/current}]}
                """)
            try await node.waitForPod("mypod", "Running") { $0.phase == "Running" }
            let files = try await node.kubectl(["exec", "mypod", "--", "sh", "-c", "cat /etc/foo/username; echo; cat /etc/foo/password; echo; ls /etc/foo"])
            #expect(files.stdout == "admin\n123\npassword\nusername\n", "\(files.combined)")
            let env = try await node.kubectl(["exec", "mypod", "--", "sh", "-c", "echo $SECRET_USERNAME $MODE $CFG_color $CFG_mode"])
            #expect(env.stdout == "admin fast blue fast\n", "\(env.combined)")
            // A read-only secret volume.
            let write = try await node.kubectl(["exec", "mypod", "--", "sh", "-c", "echo x > /etc/foo/new"])
            #expect(write.status != 0)
            // Secrets live on tmpfs, never on the node's disk.
            let mounts = ProcFile.read("/proc/self/mountinfo")
            #expect(mounts.split(separator: "\n").contains { $0.contains(node.base) && $0.contains("kubernetes.io~secret/foo") && $0.contains("tmpfs") })

            #expect(try await node.kubectl(["exec", "mypod", "--", "cat", "/etc/cfg/colors/current"]).stdout == "blue")
            let patched = try await node.kubectl(["patch", "configmap", "settings", "-p", #"{"data":{"color":"green"}}"#])
            #expect(patched.status == 0, "\(patched.combined)")
            try await eventually("the configMap volume to show the new value") {
                try await node.kubectl(["exec", "mypod", "--", "cat", "/etc/cfg/colors/current"]).stdout == "green"
            }
        }
    }
}
