import Foundation
@testable import NodeRuntime
import SkiffAPI
import Testing
@testable import NodeAgent

/// The worker's pure decisions: back-off, phase, status shape.
@Suite struct PodLogicTests {
    @Test func backOffDoublesCapsAndResets() {
        var backoff = RestartBackoff(initial: .seconds(10), maximum: .seconds(300), reset: .seconds(600))
        let delays = (0..<8).map { _ in backoff.next(ranFor: .seconds(1)) }
        #expect(delays == [.zero, .seconds(10), .seconds(20), .seconds(40), .seconds(80), .seconds(160), .seconds(300), .seconds(300)])
        // Ten minutes of running start it over.
        #expect(backoff.next(ranFor: .seconds(600)) == .zero)
        #expect(backoff.next(ranFor: .seconds(1)) == .seconds(10))
    }

    private func record(_ name: String, _ state: ContainerRecord.State, exit: Int32? = nil, attempt: UInt32 = 0) -> ContainerRecord {
        ContainerRecord(
            id: "\(name)-\(attempt)", podID: "p", config: ContainerConfig(name: name, image: "busybox", attempt: attempt),
            imageID: "sha256:abc", imageRef: "docker.io/library/busybox:latest", state: state, createdAt: Date(),
            startedAt: Date(), finishedAt: state == .exited ? Date() : nil, exitCode: exit,
            reason: exit.map { $0 == 0 ? "Completed" : "Error" }, message: nil, process: nil, cgroupPath: "",
            logPath: "", launch: ContainerLaunchRecord(
                args: [], env: [], workingDir: "/", uid: 0, gid: 0, additionalGids: [], capabilities: 0,
                noNewPrivileges: false, seccomp: false))
    }

    private func view(_ name: String, _ current: ContainerRecord?, isInit: Bool = false) -> ContainerView {
        ContainerView(name: name, isInit: isInit, current: current, previous: nil, waiting: nil, ready: false, started: false)
    }

    @Test func phaseFollowsKubelet() {
        let running = view("a", record("a", .running))
        let ok = view("b", record("b", .exited, exit: 0))
        let failed = view("c", record("c", .exited, exit: 1))
        let waiting = view("d", nil)
        #expect(PodPhase.of(initContainers: [], containers: [waiting], restartPolicy: "Always") == "Pending")
        #expect(PodPhase.of(initContainers: [], containers: [running, failed], restartPolicy: "Never") == "Running")
        #expect(PodPhase.of(initContainers: [], containers: [ok], restartPolicy: "Always") == "Running")
        #expect(PodPhase.of(initContainers: [], containers: [ok], restartPolicy: "Never") == "Succeeded")
        #expect(PodPhase.of(initContainers: [], containers: [ok, failed], restartPolicy: "Never") == "Failed")
        #expect(PodPhase.of(initContainers: [], containers: [failed], restartPolicy: "OnFailure") == "Running")
        // Init containers: pending until all succeeded; a failed one fails a Never pod.
        let initRunning = view("i", record("i", .running), isInit: true)
        let initFailed = view("i", record("i", .exited, exit: 1), isInit: true)
        #expect(PodPhase.of(initContainers: [initRunning], containers: [waiting], restartPolicy: "Always") == "Pending")
        #expect(PodPhase.of(initContainers: [initFailed], containers: [waiting], restartPolicy: "Never") == "Failed")
        #expect(PodPhase.of(initContainers: [initFailed], containers: [waiting], restartPolicy: "OnFailure") == "Pending")
    }

    @Test func statusShowsWaitingWithLastTerminationAndKeepsTransitionTimes() throws {
        let pod = try JSONValue(jsonString: """
            {"metadata": {"name": "p", "namespace": "default", "uid": "u"},
             "spec": {"containers": [{"name": "a", "image": "busybox"}]},
             "status": {"conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}
            """)
        var crashed = view("a", record("a", .exited, exit: 2, attempt: 3))
        crashed.waiting = WaitingReason("CrashLoopBackOff", "back-off 40s restarting failed container=a pod=p_default(u)")
        let builder = PodStatusBuilder(
            pod: pod, nodeIP: "10.0.0.1", podIP: "10.42.0.7", initContainers: [], containers: [crashed],
            phase: "Running", startTime: Date(timeIntervalSince1970: 0), qosClass: "BestEffort")
        let status = builder.build(now: Date())
        let container = status["containerStatuses"][0]
        #expect(container["state"]["waiting"]["reason"].stringValue == "CrashLoopBackOff")
        #expect(container["lastState"]["terminated"]["exitCode"].int64Value == 2)
        #expect(container["restartCount"].int64Value == 3)
        #expect(container["ready"].boolValue == false)
        #expect(status["podIP"].stringValue == "10.42.0.7" && status["hostIP"].stringValue == "10.0.0.1")
        let ready = status["conditions"].arrayValue?.first { $0["type"].stringValue == "Ready" }
        #expect(ready?["status"].stringValue == "False")
        #expect(ready?["reason"].stringValue == "ContainersNotReady")
        #expect(ready?["message"].stringValue == "containers with unready status: [a]")
        // Unchanged status keeps the time it last changed.
        #expect(ready?["lastTransitionTime"].stringValue == "2026-01-01T00:00:00Z")
    }

    @Test func probeSpecDefaultsAndNamedPorts() throws {
        let container = try JSONValue(jsonString: #"{"name": "web", "ports": [{"name": "http", "containerPort": 8083}]}"#)
        let probe = ProbeSpec(
            probe: try JSONValue(jsonString: #"{"httpGet": {"path": "/healthz", "port": "http"}}"#), container: container)
        #expect(probe.action == .httpGet(host: nil, port: 8083, path: "/healthz", scheme: "HTTP", headers: []))
        #expect(probe.period == .seconds(10) && probe.timeout == .seconds(1))
        #expect(probe.successThreshold == 1 && probe.failureThreshold == 3)
        let missing = ProbeSpec(probe: try JSONValue(jsonString: #"{"tcpSocket": {"port": "nope"}}"#), container: container)
        if case .unsupported(let message) = missing.action {
            #expect(message.contains("not a port of the container"))
        } else {
            Issue.record("a missing named port must not probe anything")
        }
    }

    @Test func imageNamesAreCanonical() {
        #expect(ImageName.canonical("busybox") == "docker.io/library/busybox:latest")
        #expect(ImageName.canonical("mengsixing/notepad") == "docker.io/mengsixing/notepad:latest")
        #expect(ImageName.canonical("mengsixing/notepad:new") == "docker.io/mengsixing/notepad:new")
        #expect(ImageName.canonical("localhost:5000/app") == "localhost:5000/app:latest")
    }

    @Test func sandboxHostnameIsADNSLabel() throws {
        let pod = try JSONValue(jsonString: #"{"metadata": {"name": "web.v1-", "namespace": "ns", "uid": "u"}, "spec": {"hostAliases": [{"ip": "1.2.3.4", "hostnames": ["a", "b"]}]}}"#)
        let config = SandboxSpec.config(for: pod)
        #expect(config.hostname == "web-v1")
        #expect(config.hostEntries == ["1.2.3.4\ta b"])
    }
}
