import Foundation
import SkiffAPI
import Testing

/// The job controller against a real node: completions with parallelism,
/// the backoff limit, the active deadline, suspend, and the TTL after
/// finishing, with kubectl's view of them.
@Suite struct JobTests {
    @Test func jobsCompleteFailSuspendAndExpire() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: done}
                spec:
                  completions: 3
                  parallelism: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: work, image: busybox, command: ["sh", "-c", "echo done"]}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: indexed}
                spec:
                  completions: 3
                  parallelism: 3
                  completionMode: Indexed
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: work, image: busybox, command: ["sh", "-c", "echo $JOB_COMPLETION_INDEX $(hostname)"]}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: broken}
                spec:
                  backoffLimit: 1
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: work, image: busybox, command: ["sh", "-c", "exit 1"]}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: slow}
                spec:
                  activeDeadlineSeconds: 4
                  template:
                    spec:
                      restartPolicy: Never
                      terminationGracePeriodSeconds: 1
                      containers:
                      - {name: work, image: busybox, command: ["sleep", "3600"]}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: held}
                spec:
                  suspend: true
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers:
                      - {name: work, image: busybox, command: ["sh", "-c", "echo resumed"]}
                """)
            let waited = try await node.kubectl(
                ["wait", "--for=condition=complete", "job/done", "--timeout=120s"], timeout: .seconds(130))
            #expect(waited.status == 0 && waited.stdout == "job.batch/done condition met\n", "\(waited.combined)")
            let done = try #require(try await node.api.get("/apis/batch/v1/namespaces/default/jobs/done"))
            let status = done["status"]
            #expect(status["succeeded"].int64Value == 3)
            #expect(status["active"].isNull && status["failed"].isNull && status["ready"].int64Value == 0)
            #expect(status["startTime"].stringValue != nil && status["completionTime"].stringValue != nil)
            #expect(done.condition("SuccessCriteriaMet") == "True" && done.condition("Complete") == "True")
            let complete = status["conditions"].arrayValue?.first { $0["type"].stringValue == "Complete" }
            #expect(complete?["reason"].stringValue == "CompletionsReached")
            #expect(complete?["message"].stringValue == "Reached expected number of succeeded pods")

            let pods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=batch.kubernetes.io/job-name%3Ddone")
            #expect(pods.count == 3 && pods.allSatisfy { $0.phase == "Succeeded" }, "\(pods.map { $0.phase ?? "-" })")
            let uid = try #require(done.metadata.uid)
            for pod in pods {
                let name = pod.metadata.name ?? ""
                #expect(name.hasPrefix("done-") && name.count == "done-".count + 5, "\(name)")
                #expect(pod.metadata.labels["job-name"] == "done" && pod.metadata.labels["controller-uid"] == uid)
                #expect(pod.metadata.labels["batch.kubernetes.io/controller-uid"] == uid)
                let owner = pod.metadata.controllerReference
                #expect(owner?.kind == "Job" && owner?.uid == uid && owner?.blockOwnerDeletion == true)
            }
            let logs = try await node.kubectl(["logs", "job/done"])
            #expect(logs.stdout == "done\n", "\(logs.combined)")
            let table = try await node.kubectl(["get", "jobs", "done", "--no-headers"])
            let columns = table.stdout.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns.count >= 3 && columns[1] == "Complete" && columns[2] == "3/3", "\(table.combined)")
            let events = try await node.events(for: "done")
            let created = Set(events.filter { $0["reason"].stringValue == "SuccessfulCreate" }.compactMap { $0["message"].stringValue })
            #expect(created == Set(pods.map { "Created pod: \($0.metadata.name ?? "")" }), "\(created)")
            #expect(events.contains { $0["reason"].stringValue == "Completed" && $0["message"].stringValue == "Job completed" })
            #expect(events.allSatisfy { $0["source"]["component"].stringValue == "job-controller" })

            // Indexed: one pod per index, told its index, named and hostnamed after it.
            let indexedDone = try await node.kubectl(
                ["wait", "--for=condition=complete", "job/indexed", "--timeout=120s"], timeout: .seconds(130))
            #expect(indexedDone.status == 0, "\(indexedDone.combined)")
            let indexed = try await node.api.get("/apis/batch/v1/namespaces/default/jobs/indexed")
            #expect(indexed?["status"]["completedIndexes"].stringValue == "0-2" && indexed?["status"]["succeeded"].int64Value == 3)
            let indexedPods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=job-name%3Dindexed")
            #expect(indexedPods.count == 3)
            for pod in indexedPods {
                let index = try #require(pod.metadata.annotations["batch.kubernetes.io/job-completion-index"])
                #expect(pod.metadata.labels["batch.kubernetes.io/job-completion-index"] == index)
                #expect(pod.metadata.name?.hasPrefix("indexed-\(index)-") == true && pod["spec"]["hostname"].stringValue == "indexed-\(index)")
                let output = try await node.kubectl(["logs", pod.metadata.name ?? ""])
                #expect(output.stdout == "\(index) indexed-\(index)\n", "\(output.combined)")
            }

            // Two failures with a backoff limit of one: Failed, and no third pod.
            let failed = try await node.kubectl(
                ["wait", "--for=condition=failed", "job/broken", "--timeout=120s"], timeout: .seconds(130))
            #expect(failed.status == 0, "\(failed.combined)")
            let broken = try #require(try await node.api.get("/apis/batch/v1/namespaces/default/jobs/broken"))
            #expect(broken["status"]["failed"].int64Value == 2 && broken["status"]["succeeded"].isNull)
            #expect(broken.condition("FailureTarget") == "True")
            let reason = broken["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Failed" }
            #expect(reason?["reason"].stringValue == "BackoffLimitExceeded")
            #expect(reason?["message"].stringValue == "Job has reached the specified backoff limit")
            #expect(broken["status"]["completionTime"].isNull)
            let brokenPods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=job-name%3Dbroken")
            #expect(brokenPods.count == 2 && brokenPods.allSatisfy { $0.phase == "Failed" })
            #expect(try await node.events(for: "broken").contains {
                $0["type"].stringValue == "Warning" && $0["reason"].stringValue == "BackoffLimitExceeded"
            })
            let brokenRow = try await node.kubectl(["get", "job", "broken", "--no-headers"])
            #expect(brokenRow.stdout.contains(" Failed ") && brokenRow.stdout.contains("0/1"), "\(brokenRow.combined)")

            // Past its deadline the running pod is deleted.
            try await eventually("job slow to fail at its deadline", timeout: .seconds(60)) {
                try await node.api.get("/apis/batch/v1/namespaces/default/jobs/slow")?.condition("Failed") == "True"
            }
            let slow = try #require(try await node.api.get("/apis/batch/v1/namespaces/default/jobs/slow"))
            let deadline = slow["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Failed" }
            #expect(deadline?["reason"].stringValue == "DeadlineExceeded")
            #expect(deadline?["message"].stringValue == "Job was active longer than specified deadline")
            #expect(slow["status"]["active"].isNull)
            try await eventually("the slow job's pod to be gone") {
                try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=job-name%3Dslow").isEmpty
            }

            // kill -9 and a new server: the counts come from the store and the pods, nothing runs again.
            await node.crash()
            try await node.restart()
            try await Task.sleep(for: .seconds(2))
            let doneAgain = try await node.api.get("/apis/batch/v1/namespaces/default/jobs/done")
            #expect(doneAgain?["status"] == done["status"])
            // Nothing rewrites a finished Job (no write loop between the controller and the store).
            #expect(doneAgain?.metadata.resourceVersion == done.metadata.resourceVersion)
            let brokenAgain = try await node.api.get("/apis/batch/v1/namespaces/default/jobs/broken")
            #expect(brokenAgain?["status"]["failed"].int64Value == 2 && brokenAgain?.condition("Failed") == "True")
            let allPods = try await node.api.list("/api/v1/namespaces/default/pods")
            #expect(allPods.count == 8, "\(allPods.compactMap(\.metadata.name))")

            // Suspended: no pod; resumed: runs to completion.
            let held = try #require(try await node.api.get("/apis/batch/v1/namespaces/default/jobs/held"))
            #expect(held.condition("Suspended") == "True")
            #expect(try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=job-name%3Dheld").isEmpty)
            let resumed = try await node.kubectl(["patch", "job", "held", "--type=merge", "-p", #"{"spec":{"suspend":false}}"#])
            #expect(resumed.status == 0, "\(resumed.combined)")
            let heldDone = try await node.kubectl(
                ["wait", "--for=condition=complete", "job/held", "--timeout=120s"], timeout: .seconds(130))
            #expect(heldDone.status == 0, "\(heldDone.combined)")
            let heldAfter = try await node.api.get("/apis/batch/v1/namespaces/default/jobs/held")
            let suspended = heldAfter?["status"]["conditions"].arrayValue?.first { $0["type"].stringValue == "Suspended" }
            #expect(suspended?["status"].stringValue == "False" && suspended?["reason"].stringValue == "JobResumed")

            // A TTL set after the fact: the finished Job goes, and its pods with it.
            let ttl = try await node.kubectl(["patch", "job", "done", "--type=merge", "-p", #"{"spec":{"ttlSecondsAfterFinished":1}}"#])
            #expect(ttl.status == 0, "\(ttl.combined)")
            try await eventually("job done and its pods to be deleted after the TTL") {
                let job = try await node.api.get("/apis/batch/v1/namespaces/default/jobs/done")
                let pods = try await node.api.list("/api/v1/namespaces/default/pods?labelSelector=job-name%3Ddone")
                return job == nil && pods.isEmpty
            }
            #expect(try await node.kubectl(["delete", "jobs", "--all", "--wait=true"]).status == 0)
            try await eventually("every job pod to be gone") {
                try await node.api.list("/api/v1/namespaces/default/pods").isEmpty
            }
            #expect(node.log.contains("deleted finished job after its TTL"))
            // The controller never had to log a failure of its own.
            let complaints = node.log.split(separator: "\n").filter { $0.contains("job controller:") }
            #expect(complaints.isEmpty, "\(complaints)")
        }
    }
}
