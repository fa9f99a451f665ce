import ControlPlane
import Foundation
import SkiffAPI
import Testing

/// `pods/log` and `pods/exec` of the real API server (in this process, with a fake
/// node behind `PodStreaming`), driven by the real kubectl 1.32 and by `skiff`.
@Suite(.serialized) struct PodStreamingServerTests {
    @Test func kubectlLogsReadsTheNodesLog() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            let logs = try await server.kubectl(["logs", "web"])
            #expect(logs.status == 0, "\(logs.combined)")
            #expect(logs.stdout == "app one\napp two\napp three\n")
            let tail = try await server.kubectl(["logs", "two", "-c", "b", "--tail=1", "--timestamps"])
            #expect(tail.stdout == "b three\n", "\(tail.combined)")
            let asked = try #require(server.node.logRequests.last)
            #expect(asked.container == "b")
            #expect(asked.tailLines == 1)
            #expect(asked.timestamps)
            #expect(asked.namespace == "default")
            #expect(!asked.podUID.isEmpty)
        }
    }

    @Test func kubectlLogsPreviousShowsTheNodesError() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            let previous = try await server.kubectl(["logs", "web", "--previous"])
            #expect(previous.status == 1)
            #expect(previous.stderr == "Error from server (BadRequest): previous terminated container \"app\" in pod \"web\" not found\n")
        }
    }

    @Test func kubectlLogsFollowStreamsUntilStopped() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            let (process, output) = try CommandResult.start(
                "/usr/bin/kubectl",
                ["--kubeconfig", server.kubeconfig, "--cache-dir", server.directory.appendingPathComponent("kc").path,
                 "logs", "-f", "web"],
                environment: ["HOME": server.directory.path])
            defer { try? FileManager.default.removeItem(at: output) }
            let deadline = ContinuousClock.now + .seconds(20)
            var text = ""
            while ContinuousClock.now < deadline {
                text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if text.contains("app more 3\n") { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(process.isRunning, "a followed log stays open")
            process.interrupt()
            process.waitUntilExit()
            #expect(text.hasPrefix("app one\napp two\napp three\napp more 1\n"), "\(text)")
            #expect(server.node.logRequests.last?.follow == true)
        }
    }

    @Test func logOptionsAreValidatedAsKubeAPIServerDoes() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            let base = "/api/v1/namespaces/default/pods"
            let several = try await server.kubectl(["get", "--raw", "\(base)/two/log"])
            #expect(several.stderr.contains(
                "a container name must be specified for pod two, choose one of: [setup a b]"), "\(several.combined)")
            let unknown = try await server.kubectl(["get", "--raw", "\(base)/web/log?container=nope"])
            #expect(unknown.stderr.contains("container nope is not valid for pod web"), "\(unknown.combined)")
            let negative = try await server.kubectl(["get", "--raw", "\(base)/web/log?tailLines=-2"])
            #expect(negative.stderr.contains(
                "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -2: must be greater than or equal to 0"),
                "\(negative.combined)")
            let both = try await server.kubectl(
                ["get", "--raw", "\(base)/web/log?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z"])
            #expect(both.stderr.contains("at most one of `sinceTime` or `sinceSeconds` may be specified"), "\(both.combined)")
            let garbage = try await server.kubectl(["get", "--raw", "\(base)/web/log?tailLines=x"])
            #expect(garbage.stderr.contains("strconv.ParseInt: parsing \"x\": invalid syntax"), "\(garbage.combined)")
            let unscheduled = try await server.kubectl(["get", "--raw", "\(base)/pending/log"])
            #expect(unscheduled.status == 0, "\(unscheduled.combined)")
            #expect(unscheduled.stdout.isEmpty)
            let missing = try await server.kubectl(["logs", "ghost"])
            // kubectl's own wording for a missing pod.
            #expect(missing.stderr == "error: error from server (NotFound): pods \"ghost\" not found in namespace \"default\"\n")
        }
    }

    @Test func kubectlExecRunsAndPropagatesTheExitCode() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            let echo = try await server.kubectl(["exec", "web", "--", "echo", "hello", "world"])
            #expect(echo.status == 0, "\(echo.combined)")
            #expect(echo.stdout == "hello world\n")
            let asked = try #require(server.node.execRequests.last)
            #expect(asked.container == "app")
            #expect(asked.command == ["echo", "hello", "world"])
            #expect(asked.stdout && asked.stderr && !asked.stdin && !asked.tty)

            let failing = try await server.kubectl(["exec", "web", "--", "fail", "3"])
            #expect(failing.status == 3, "\(failing.combined)")
            #expect(failing.stderr == "failing\ncommand terminated with exit code 3\n")

            let split = try await server.kubectl(["exec", "web", "--", "warn"])
            #expect(split.stdout == "out\n")
            #expect(split.stderr == "err\n")
        }
    }

    @Test func kubectlExecPassesStdin() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            let cat = try await server.kubectl(["exec", "-i", "web", "--", "cat"], stdin: "line one\nline two\n")
            #expect(cat.status == 0, "\(cat.combined)")
            #expect(cat.stdout == "line one\nline two\n")
            #expect(server.node.execRequests.last?.stdin == true)
        }
    }

    @Test func kubectlExecErrorsReadAsAgainstKubernetes() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            let badContainer = try await server.kubectl(["exec", "web", "-c", "nope", "--", "echo"])
            #expect(badContainer.status == 1)
            #expect(badContainer.stderr.hasSuffix(
                "Error from server (BadRequest): container nope is not valid for pod web\n"), "\(badContainer.combined)")
            let unscheduled = try await server.kubectl(["exec", "pending", "--", "echo"])
            #expect(unscheduled.stderr.hasSuffix(
                "Error from server (BadRequest): pod pending does not have a host assigned\n"), "\(unscheduled.combined)")
            let notFound = try await server.kubectl(["exec", "web", "--", "nosuch"])
            #expect(notFound.status == 1)
            #expect(notFound.stderr.contains(
                "error: Internal error occurred: error executing command in container: nosuch not found in $PATH"),
                "\(notFound.combined)")
            let plain = try await server.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true"])
            #expect(plain.stderr.contains("Upgrade request required"), "\(plain.combined)")
        }
    }

    /// `-it` under a pseudo-terminal (util-linux `script`): the tty flag reaches the
    /// node and the terminal size arrives on the resize channel.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func execWithATerminalSendsItsSize() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            for tool in ["kubectl", "skiff"] {
                let binary = tool == "kubectl" ? "/usr/bin/kubectl --cache-dir \(server.directory.path)/kc" : BuiltProducts.skiff
                let line = "stty cols 91 rows 17; \(binary) --kubeconfig \(server.kubeconfig) exec -it web -- tty"
                let result = try await CommandResult.run(
                    "/usr/bin/script", ["-qec", line, "/dev/null"], stdin: "", environment: ["HOME": server.directory.path],
                    timeout: .seconds(20))
                #expect(result.status == 0, "\(tool): \(result.combined)")
                #expect(result.stdout.contains("tty=true size 91x17"), "\(tool): \(result.combined)")
                #expect(server.node.execRequests.last?.stderr == false)
            }
        }
    }

    @Test func withoutANodeAgentStreamsAreUnavailable() async throws {
        try await StreamingTestServer.with(podStreaming: false) { server in
            try await server.createPods()
            let logs = try await server.kubectl(["logs", "web"])
            #expect(logs.status == 1)
            #expect(logs.stderr.contains("(ServiceUnavailable)"), "\(logs.combined)")
            #expect(logs.stderr.contains("no node agent is running on this server"), "\(logs.combined)")
        }
    }

    @Test func skiffExecAndLogsSpeakTheSameProtocol() async throws {
        try await StreamingTestServer.with { server in
            try await server.createPods()
            let echo = try await server.skiff(["exec", "web", "--", "echo", "hi"])
            #expect(echo.status == 0, "\(echo.combined)")
            #expect(echo.stdout == "hi\n")
            let failing = try await server.skiff(["exec", "web", "--", "fail", "4"])
            #expect(failing.status == 4, "\(failing.combined)")
            #expect(failing.stderr == "failing\ncommand terminated with exit code 4\n")
            let cat = try await server.skiff(["exec", "-i", "web", "--", "cat"], stdin: "piped\n")
            #expect(cat.status == 0, "\(cat.combined)")
            #expect(cat.stdout == "piped\n")
            let defaulted = try await server.skiff(["exec", "two", "--", "echo", "x"])
            #expect(defaulted.stderr == "Defaulted container \"a\" out of: a, b, setup (init)\n", "\(defaulted.combined)")
            #expect(server.node.execRequests.last?.container == "a")
            let badContainer = try await server.skiff(["exec", "web", "-c", "nope", "--", "echo"])
            #expect(badContainer.status == 1)
            #expect(badContainer.stderr == "Error from server (BadRequest): container nope is not valid for pod web\n",
                    "\(badContainer.combined)")
            let unknown = try await server.skiff(["exec", "web", "--", "nosuch"])
            #expect(unknown.status == 1)
            #expect(unknown.stderr
                == "error: Internal error occurred: error executing command in container: nosuch not found in $PATH\n")

            let logs = try await server.skiff(["logs", "web", "--tail", "2"])
            #expect(logs.status == 0, "\(logs.combined)")
            #expect(logs.stdout == "app two\napp three\n")
            let previous = try await server.skiff(["logs", "web", "--previous"])
            #expect(previous.stderr
                == "Error from server (BadRequest): previous terminated container \"app\" in pod \"web\" not found\n")
            let since = try await server.skiff(["logs", "web", "--since", "5m"])
            #expect(since.status == 0, "\(since.combined)")
            #expect(server.node.logRequests.last?.sinceSeconds == 300)
        }
    }
}
