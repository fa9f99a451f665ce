import APIRules
import Foundation
import SkiffAPI
import Testing

@Suite("Table cells for pods (READY, STATUS, RESTARTS)")
struct TablePodTests {
    typealias S = TableTestSupport

    /// A one-container pod created at 01:00 with the given status members.
    private func pod(
        status: String, spec: String = #""containers":[{"name":"app","image":"busybox"}]"#,
        metadata: String = ""
    ) throws -> JSONValue {
        try S.object(
            #"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","creationTimestamp":"2026-11-28T01:00:00Z""#
                + metadata + #"},"spec":{"# + spec + #"},"status":{"# + status + "}}")
    }

    /// READY, STATUS, RESTARTS.
    private func summary(_ pod: JSONValue) -> [JSONValue] {
        Array(S.cells(S.resource("pods"), pod).dropFirst().prefix(3))
    }

    @Test("a container waiting to start shows its waiting reason")
    func containerCreating() throws {
        let pod = try pod(
            status:
                #""phase":"Pending","containerStatuses":[{"name":"app","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]"#
        )
        #expect(summary(pod) == ["0/1", "ContainerCreating", "0"])
    }

    @Test("restarts show how long ago the last container exited")
    func crashLoop() throws {
        let pod = try pod(
            status:
                #""phase":"Running","containerStatuses":[{"name":"app","ready":false,"restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2026-11-28T01:05:00Z"}}}]"#
        )
        #expect(summary(pod) == ["0/1", "CrashLoopBackOff", "3 (5m ago)"])
    }

    @Test("restarts without a known exit time are just the count")
    func restartsWithoutTime() throws {
        let pod = try pod(
            status:
                #""phase":"Running","containerStatuses":[{"name":"app","ready":true,"restartCount":2,"state":{"running":{}}}]"#
        )
        #expect(summary(pod) == ["1/1", "Running", "2"])
    }

    @Test("a finished pod reads Completed and carries the Completed row condition")
    func completed() throws {
        let pod = try pod(
            status:
                #""phase":"Succeeded","containerStatuses":[{"name":"app","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]"#
        )
        #expect(summary(pod) == ["0/1", "Completed", "0"])
        let table = TableConverter.table(
            resource: S.resource("pods"), objects: [pod], now: S.now, includeObject: "None", listMetadata: [:])
        #expect(
            table["rows"][0]["conditions"]
                == [
                    [
                        "type": "Completed", "status": "True", "reason": "Succeeded",
                        "message": "The pod has completed successfully.",
                    ]
                ])
    }

    @Test("a terminated container without a reason shows its exit code or signal")
    func exitCodes() throws {
        let exited = try pod(
            status:
                #""phase":"Failed","containerStatuses":[{"name":"app","restartCount":0,"state":{"terminated":{"exitCode":2}}}]"#
        )
        #expect(summary(exited)[1] == "ExitCode:2")
        let killed = try pod(
            status:
                #""phase":"Failed","containerStatuses":[{"name":"app","restartCount":0,"state":{"terminated":{"exitCode":137,"signal":9}}}]"#
        )
        #expect(summary(killed)[1] == "Signal:9")
    }

    @Test("a pod being deleted reads Terminating unless it already finished; NodeLost reads Unknown")
    func deletion() throws {
        let deleting = #","deletionTimestamp":"2026-11-28T01:09:00Z""#
        let running = try pod(
            status:
                #""phase":"Running","containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]"#,
            metadata: deleting)
        #expect(summary(running) == ["1/1", "Terminating", "0"])
        let finished = try pod(
            status:
                #""phase":"Succeeded","containerStatuses":[{"name":"app","restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]"#,
            metadata: deleting)
        #expect(summary(finished)[1] == "Completed")
        let lost = try pod(status: #""phase":"Running","reason":"NodeLost""#, metadata: deleting)
        #expect(summary(lost)[1] == "Unknown")
    }

    @Test("a pod's own reason wins over its phase")
    func podReason() throws {
        #expect(summary(try pod(status: #""phase":"Failed","reason":"Evicted""#))[1] == "Evicted")
        #expect(summary(try pod(status: #""phase":"Pending""#)) == ["0/1", "Pending", "0"])
        let gated = try pod(
            status:
                #""phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]"#
        )
        #expect(summary(gated)[1] == "SchedulingGated")
    }

    private let initSpec =
        #""initContainers":[{"name":"setup","image":"busybox"},{"name":"migrate","image":"busybox"}],"containers":[{"name":"app","image":"busybox"}]"#

    @Test(
        "init containers report Init:N/M or their own reason",
        arguments: [
            (#"{"name":"setup","restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}"#, "Init:0/2"),
            (#"{"name":"setup","restartCount":0,"state":{"running":{}}}"#, "Init:0/2"),
            (
                #"{"name":"setup","restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}"#,
                "Init:CrashLoopBackOff"
            ),
            (
                #"{"name":"setup","restartCount":0,"state":{"terminated":{"exitCode":1,"reason":"Error"}}}"#,
                "Init:Error"
            ),
            (#"{"name":"setup","restartCount":0,"state":{"terminated":{"exitCode":3}}}"#, "Init:ExitCode:3"),
            (#"{"name":"setup","restartCount":0,"state":{"terminated":{"exitCode":0,"signal":15}}}"#, "Init:1/2"),
        ])
    func initContainers(_ firstStatus: String, _ expected: String) throws {
        let second = #"{"name":"migrate","restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}"#
        let pod = try pod(
            status: #""phase":"Pending","initContainerStatuses":["# + firstStatus + "," + second
                + #"],"containerStatuses":[{"name":"app","restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]"#,
            spec: initSpec)
        #expect(summary(pod)[1] == .string(expected))
    }

    @Test("a failing init container's restarts count while the pod initializes")
    func initRestarts() throws {
        let pod = try pod(
            status:
                #""phase":"Pending","initContainerStatuses":[{"name":"setup","restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-28T01:08:00Z"}}}]"#,
            spec: initSpec)
        #expect(summary(pod) == ["0/1", "Init:CrashLoopBackOff", "4 (2m ago)"])
    }

    @Test("a sidecar (restartable init container) counts toward READY and keeps its restarts")
    func sidecar() throws {
        let pod = try pod(
            status:
                #""phase":"Running","conditions":[{"type":"Initialized","status":"True"}],"initContainerStatuses":[{"name":"proxy","ready":true,"started":true,"restartCount":1,"state":{"running":{}}}],"containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]"#,
            spec:
                #""initContainers":[{"name":"proxy","image":"envoy","restartPolicy":"Always"}],"containers":[{"name":"app","image":"busybox"}]"#
        )
        #expect(summary(pod) == ["2/2", "Running", "1"])
    }

    @Test("a Completed container next to a running one reads Running or NotReady by the Ready condition")
    func completedBesideRunning() throws {
        let statuses =
            #""containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}},{"name":"job","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]"#
        let spec = #""containers":[{"name":"app","image":"a"},{"name":"job","image":"b"}]"#
        let ready = try pod(
            status: #""phase":"Running","conditions":[{"type":"Ready","status":"True"}],"# + statuses, spec: spec)
        #expect(summary(ready) == ["1/2", "Running", "0"])
        let notReady = try pod(status: #""phase":"Running","# + statuses, spec: spec)
        #expect(summary(notReady)[1] == "NotReady")
    }

    @Test("wide cells: podIPs, nominated node and readiness gates")
    func wideCells() throws {
        let pod = try pod(
            status:
                #""phase":"Pending","podIPs":[{"ip":"fd00::5"}],"nominatedNodeName":"node-2","conditions":[{"type":"example.com/lb","status":"True"},{"type":"example.com/dns","status":"False"}]"#,
            spec:
                #""containers":[{"name":"app"}],"readinessGates":[{"conditionType":"example.com/lb"},{"conditionType":"example.com/dns"}]"#
        )
        #expect(Array(S.cells(S.resource("pods"), pod).suffix(5)) == ["10m", "fd00::5", "<none>", "node-2", "1/2"])
    }
}
