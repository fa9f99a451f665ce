import Foundation
import SkiffAPI
import Testing
@testable import ControlPlane

/// kube-scheduler's filters and its message, without a server.
@Suite struct SchedulingFilterTests {
    private func json(_ text: String) throws -> JSONValue { try JSONValue(jsonString: text) }

    private var node: JSONValue {
        get throws {
            try json("""
                {"metadata": {"name": "n1", "labels": {"zone": "a", "rank": "5"}},
                 "spec": {"taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]},
                 "status": {"allocatable": {"cpu": "2", "memory": "1Gi", "pods": "2"}}}
                """)
        }
    }

    @Test func resourcesTaintsSelectorsPortsAndCount() throws {
        let tolerant = #""tolerations": [{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}]"#
        let small = try json(#"{"spec": {\#(tolerant), "containers": [{"resources": {"requests": {"cpu": "500m", "memory": "256Mi"}}, "ports": [{"containerPort": 80, "hostPort": 8080}]}]}}"#)
        #expect(SchedulingFilter.reasons(pod: small, node: try node, podsOnNode: []).isEmpty)
        // The taint without a toleration.
        let untolerated = try json(#"{"spec": {"containers": [{}]}}"#)
        #expect(SchedulingFilter.reasons(pod: untolerated, node: try node, podsOnNode: []) == ["node(s) had untolerated taint {dedicated: db}"])
        // cpu, memory, host port and pod count against what is already there.
        let big = try json(#"{"spec": {\#(tolerant), "containers": [{"resources": {"requests": {"cpu": "1600m", "memory": "800Mi"}}, "ports": [{"containerPort": 80, "hostPort": 8080}]}]}}"#)
        #expect(SchedulingFilter.reasons(pod: big, node: try node, podsOnNode: [small, small]) == [
            "Too many pods", "Insufficient cpu", "Insufficient memory", "node(s) didn't have free ports for the requested pod ports",
        ])
        // Init containers count by their largest request.
        let initHeavy = try json(#"{"spec": {\#(tolerant), "initContainers": [{"resources": {"requests": {"memory": "2Gi"}}}], "containers": [{}]}}"#)
        #expect(SchedulingFilter.reasons(pod: initHeavy, node: try node, podsOnNode: []) == ["Insufficient memory"])
    }

    @Test func nodeSelectorAndAffinity() throws {
        let selector = try json(#"{"spec": {"nodeSelector": {"zone": "b"}}}"#)
        #expect(!SchedulingFilter.matchesSelector(selector, try node))
        let affinity = try json(#"""
            {"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
              {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["x"]}]},
              {"matchExpressions": [{"key": "rank", "operator": "Gt", "values": ["3"]}, {"key": "gpu", "operator": "DoesNotExist"}]}]}}}}}
            """#)
        #expect(SchedulingFilter.matchesSelector(affinity, try node))
        // A DaemonSet pod is pinned by name through matchFields.
        func pinned(_ op: String, _ name: String) throws -> JSONValue {
            try json(#"{"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "\#(op)", "values": ["\#(name)"]}]}]}}}}}"#)
        }
        #expect(SchedulingFilter.matchesSelector(try pinned("In", "n1"), try node))
        #expect(!SchedulingFilter.matchesSelector(try pinned("In", "n2"), try node))
        #expect(!SchedulingFilter.matchesSelector(try pinned("NotIn", "n1"), try node))
        #expect(SchedulingFilter.matchesSelector(try pinned("NotIn", "n2"), try node))
        let empty = try json(#"{"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{}]}}}}}"#)
        #expect(!SchedulingFilter.matchesSelector(empty, try node))
    }

    @Test func gatedPodsWaitForTheirGates() throws {
        #expect(Scheduler.waitsForNode(try json(#"{"spec": {"containers": [{}]}}"#)))
        #expect(!Scheduler.waitsForNode(try json(#"{"spec": {"schedulingGates": [{"name": "example.com/quota"}], "containers": [{}]}}"#)))
        #expect(!Scheduler.waitsForNode(try json(#"{"spec": {"nodeName": "n1", "containers": [{}]}}"#)))
        #expect(!Scheduler.waitsForNode(try json(#"{"spec": {"schedulerName": "other", "containers": [{}]}}"#)))
    }

    @Test func messageCountsReasonsAsKubeSchedulerDoes() {
        let message = SchedulingFilter.message(nodeCount: 3, reasons: [["Insufficient memory"], ["node(s) were unschedulable"], ["Insufficient memory"]])
        #expect(message == "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory.")
    }
}
