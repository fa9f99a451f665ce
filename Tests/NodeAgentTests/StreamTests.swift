import Foundation
import SkiffAPI
import Testing

/// `logs` (plain, -f, --previous) and `exec` (websocket v5.channel.k8s.io)
/// through the API server, with the real kubectl and with `skiff`.
@Suite struct StreamTests {
    @Test func logsFollowPreviousAndExec() async throws {
        try await AgentNode.with { node in
            // The first run fails (restartPolicy OnFailure restarts it at once); the second
            // writes two lines two seconds apart and succeeds.
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: talker}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  restartPolicy: OnFailure
                  containers:
                  - name: app
                    image: busybox
                    command: ["sh", "-c", "if [ -f /data/ran ]; then echo second-1; sleep 3; echo second-2; exit 0; fi; touch /data/ran; echo line 1; echo line 2; echo line 3; echo to-stderr >&2; exit 1"]
                    volumeMounts: [{name: data, mountPath: /data}]
                  volumes: [{name: data, emptyDir: {}}]
                """)
            try await node.waitForPod("talker", "restarted once") {
                ($0.containerStatus("app")["restartCount"].int64Value ?? 0) >= 1
            }
            // -f on the second run ends when it exits.
            let followed = try await node.kubectl(["logs", "-f", "talker"], timeout: .seconds(30))
            #expect(followed.status == 0, "\(followed.combined)")
            #expect(followed.stdout == "second-1\nsecond-2\n", "\(followed.combined)")
            try await node.waitForPod("talker", "Succeeded") { $0.phase == "Succeeded" }

            // The previous attempt's log, as kubectl and skiff print it.
            let previous = try await node.kubectl(["logs", "talker", "--previous"])
            #expect(previous.stdout == "line 1\nline 2\nline 3\nto-stderr\n", "\(previous.combined)")
            let skiffPrevious = try await node.skiff(["logs", "talker", "-p"])
            #expect(skiffPrevious.stdout == previous.stdout, "\(skiffPrevious.combined)")
            let tail = try await node.kubectl(["logs", "talker", "--previous", "--tail=1"])
            #expect(tail.stdout == "to-stderr\n", "\(tail.combined)")
            let timestamps = try await node.kubectl(["logs", "talker", "--timestamps"])
            #expect(timestamps.stdout.split(separator: "\n").allSatisfy { $0.contains("Z second-") }, "\(timestamps.combined)")
        }
    }

    @Test func execWithKubectlAndSkiff() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: shell}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - {name: app, image: busybox, command: ["sleep", "3600"]}
                """)
            try await node.waitForPod("shell", "Running") { $0.phase == "Running" }
            let plain = try await node.kubectl(["exec", "shell", "--", "sh", "-c", "echo out; echo err >&2; hostname"])
            #expect(plain.status == 0)
            #expect(plain.stdout == "out\nshell\n" && plain.stderr == "err\n", "\(plain.combined)")
            let failed = try await node.kubectl(["exec", "shell", "--", "sh", "-c", "exit 7"])
            #expect(failed.status == 7, "\(failed.combined)")
            let input = try await node.kubectl(["exec", "-i", "shell", "--", "sh", "-c", "read a; echo got $a"], stdin: "hello\n")
            #expect(input.stdout == "got hello\n", "\(input.combined)")
            // -it through a pseudo-terminal (script(1) gives kubectl one).
            let tty = try await AgentShell.run(
                "/usr/bin/script",
                ["-qec", "/usr/bin/kubectl --kubeconfig \(node.kubeconfig) --cache-dir \(node.base)/kube-cache exec -it shell -- sh -c 'tty; echo in-tty'", "/dev/null"],
                stdin: "", environment: ["HOME": node.base])
            #expect(tty.stdout.contains("/dev/pts/") && tty.stdout.contains("in-tty"), "\(tty.combined)")

            let skiffExec = try await node.skiff(["exec", "shell", "--", "sh", "-c", "echo from skiff; exit 3"])
            #expect(skiffExec.stdout == "from skiff\n" && skiffExec.status == 3, "\(skiffExec.combined)")
            let skiffInput = try await node.skiff(["exec", "-i", "shell", "--", "cat"], stdin: "piped\n")
            #expect(skiffInput.stdout == "piped\n", "\(skiffInput.combined)")
            let badContainer = try await node.kubectl(["exec", "shell", "-c", "nope", "--", "true"])
            #expect(badContainer.status != 0)
            #expect(badContainer.stderr.contains("container nope is not valid for pod shell"), "\(badContainer.stderr)")
        }
    }
}
