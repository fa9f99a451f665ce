import Foundation
import SkiffAPI
import Testing

/// Our ctl against a real skiffd over HTTPS: the seed's walkthrough verbs, the
/// output forms, and errors printed the way kubectl prints them.
@Suite(.serialized) struct SkiffCtlTests {
    static func trimmed(_ result: Command.Result) -> String {
        result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func seedWalkthroughWithSkiff() async throws {
        try await TestServer.with { server in
            let deploymentFile = SeedManifests.path("deployment.yaml")
            let serviceFile = SeedManifests.path("service.yaml")

            let created = try server.skiff(["apply", "-f", deploymentFile])
            #expect(Self.trimmed(created) == "deployment.apps/notepad created", "\(created.combined)")
            #expect(Self.trimmed(try server.skiff(["apply", "-f", deploymentFile])) == "deployment.apps/notepad unchanged")
            let edited = server.base.appendingPathComponent("deployment.yaml")
            try String(contentsOfFile: deploymentFile, encoding: .utf8)
                .replacingOccurrences(of: "replicas: 3", with: "replicas: 4")
                .write(to: edited, atomically: true, encoding: .utf8)
            let configured = try server.skiff(["apply", "-f", edited.path])
            #expect(Self.trimmed(configured) == "deployment.apps/notepad configured", "\(configured.combined)")
            #expect(try await server.get("/apis/apps/v1/namespaces/default/deployments/notepad").body["spec"]["replicas"] == 4)

            let service = try server.skiff(["apply", "-f", serviceFile])
            #expect(Self.trimmed(service) == "service/my-service created", "\(service.combined)")

            // Tables as kubectl prints them.
            let table = try server.skiff(["get", "deploy,svc"])
            #expect(table.status == 0, "\(table.combined)")
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("NAME") == true && lines.first?.contains("READY   UP-TO-DATE   AVAILABLE   AGE") == true, "\(table.stdout)")
            #expect(lines.contains { $0.hasPrefix("deployment.apps/notepad") && $0.contains("0/4") }, "\(table.stdout)")
            #expect(lines.contains { $0.hasPrefix("service/my-service") && $0.contains("NodePort") && $0.contains("80:30036/TCP") }, "\(table.stdout)")
            let wide = try server.skiff(["get", "deploy", "notepad", "-o", "wide"])
            #expect(wide.stdout.contains("CONTAINERS") && wide.stdout.contains("mengsixing/notepad") && wide.stdout.contains("app=mytest"), "\(wide.stdout)")

            // Output forms.
            let json = try JSONValue(jsonString: try server.skiff(["get", "deploy", "notepad", "-o", "json"]).stdout)
            #expect(json["spec"]["replicas"] == 4 && json["kind"] == "Deployment")
            let yaml = try server.skiff(["get", "deploy", "notepad", "-o", "yaml"])
            #expect(yaml.stdout.contains("replicas: 4") && yaml.stdout.contains("kind: Deployment"), "\(yaml.stdout)")
            #expect(Self.trimmed(try server.skiff(["get", "svc", "-o", "name"])).contains("service/my-service"))
            let path = try server.skiff(["get", "svc", "my-service", "-o", "jsonpath={.spec.ports[0].nodePort}"])
            #expect(Self.trimmed(path) == "30036", "\(path.combined)")

            // scale, set image, label, annotate.
            let scaled = try server.skiff(["scale", "deployment/notepad", "--replicas=5"])
            #expect(Self.trimmed(scaled) == "deployment.apps/notepad scaled", "\(scaled.combined)")
            let image = try server.skiff(["set", "image", "deployment/notepad", "notepad=mengsixing/notepad:new"])
            #expect(Self.trimmed(image) == "deployment.apps/notepad image updated", "\(image.combined)")
            let labeled = try server.skiff(["label", "deployment", "notepad", "tier=web"])
            #expect(Self.trimmed(labeled) == "deployment.apps/notepad labeled", "\(labeled.combined)")
            let annotated = try server.skiff(["annotate", "deployment", "notepad", "owner=team-a"])
            #expect(Self.trimmed(annotated) == "deployment.apps/notepad annotated", "\(annotated.combined)")
            let live = try await server.get("/apis/apps/v1/namespaces/default/deployments/notepad")
            #expect(live.body["spec"]["replicas"] == 5)
            #expect(live.body["spec"]["template"]["spec"]["containers"][0]["image"] == "mengsixing/notepad:new")
            #expect(live.body.metadata.labels["tier"] == "web" && live.body.metadata.annotations["owner"] == "team-a")
            let selected = try server.skiff(["get", "deploy", "-l", "tier=web", "-o", "name"])
            #expect(Self.trimmed(selected) == "deployment.apps/notepad")
            let everywhere = try server.skiff(["get", "svc", "-A"])
            #expect(everywhere.stdout.hasPrefix("NAMESPACE") && everywhere.stdout.contains("kubernetes"), "\(everywhere.stdout)")

            let described = try server.skiff(["describe", "deployment", "notepad"])
            #expect(described.stdout.contains("Name:") && described.stdout.contains("notepad") && described.stdout.contains("Replicas:"), "\(described.combined)")

            let deleted = try server.skiff(["delete", "-f", deploymentFile])
            #expect(deleted.stdout.contains("deployment.apps \"notepad\" deleted"), "\(deleted.combined)")
            #expect(try await server.get("/apis/apps/v1/namespaces/default/deployments/notepad").status == 404)
            let missing = try server.skiff(["get", "deploy", "notepad"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("Error from server (NotFound): deployments.apps \"notepad\" not found"), "\(missing.combined)")
        }
    }

    @Test func rolloutHistoryAndUndoWithSkiffAndKubectl() async throws {
        try await TestServer.with { server in
            let deployments = "/apis/apps/v1/namespaces/default/deployments"
            let replicaSets = "/apis/apps/v1/namespaces/default/replicasets"
            #expect(Self.trimmed(try server.skiff(["apply", "-f", SeedManifests.path("deployment.yaml")])) == "deployment.apps/notepad created")
            try await Self.waitForReplicaSets(server, count: 1)
            _ = try server.skiff(["set", "image", "deployment/notepad", "notepad=mengsixing/notepad:new"])
            // The deployment controller makes one ReplicaSet per template, numbered by revision.
            try await Self.waitForReplicaSets(server, count: 2)
            let history = try server.skiff(["rollout", "history", "deployment/notepad"])
            #expect(history.stdout.contains("REVISION") && history.stdout.contains("1 ") && history.stdout.contains("2 "), "\(history.combined)")
            let kubectlHistory = try server.kubectl(["rollout", "history", "deployment/notepad"])
            #expect(kubectlHistory.stdout == history.stdout, "\(kubectlHistory.combined)")

            let undone = try server.skiff(["rollout", "undo", "deployment/notepad"])
            #expect(Self.trimmed(undone) == "deployment.apps/notepad rolled back", "\(undone.combined)")
            let after = try await server.get("\(deployments)/notepad").body
            #expect(after["spec"]["template"]["spec"]["containers"][0]["image"] == "mengsixing/notepad")
            #expect(after["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == .null)
            // The old ReplicaSet is reused and becomes revision 3: history reads 2, 3.
            var revisions: [String] = []
            for _ in 0..<100 where revisions != ["2", "3"] {
                let sets = try await server.get(replicaSets).body["items"].arrayValue ?? []
                revisions = sets.compactMap { $0.metadata.annotations["deployment.kubernetes.io/revision"] }.sorted()
                if revisions != ["2", "3"] { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(revisions == ["2", "3"])

            // kubectl's undo to revision 2 goes through the same JSON patch path.
            let kubectlUndo = try server.kubectl(["rollout", "undo", "deployment/notepad", "--to-revision=2"])
            #expect(kubectlUndo.status == 0, "\(kubectlUndo.combined)")
            let again = try await server.get("\(deployments)/notepad").body
            #expect(again["spec"]["template"]["spec"]["containers"][0]["image"] == "mengsixing/notepad:new")

            // Deleting the deployment takes its ReplicaSets with it (garbage collection).
            _ = try server.skiff(["delete", "deployment", "notepad"])
            try await Self.waitForReplicaSets(server, count: 0)
        }
    }

    private static func waitForReplicaSets(_ server: TestServer, count: Int) async throws {
        var seen = -1
        for _ in 0..<200 where seen != count {
            seen = (try await server.get("/apis/apps/v1/namespaces/default/replicasets").body["items"].arrayValue ?? []).count
            if seen != count { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(seen == count, "replicasets: \(seen), wanted \(count)")
    }

    @Test func brokenSeedManifestsAndConfig() async throws {
        try await TestServer.with { server in
            let secret = try server.skiff(["apply", "-f", SeedManifests.path("mysecret.yaml")])
            #expect(secret.status != 0)
            #expect(secret.stderr.contains("mysecret.yaml") && secret.stderr.contains("line 3"), "\(secret.combined)")
            #expect(try await server.get("/api/v1/namespaces/default/secrets/mysecret").status == 404)

            let pod = try server.skiff(["apply", "-f", SeedManifests.path("mypod.yaml")])
            #expect(pod.status != 0)
            #expect(pod.stderr.contains("unknown field \"spec.volumeMounts\""), "\(pod.combined)")
            #expect(try await server.get("/api/v1/namespaces/default/pods/mypod").status == 404)

            // Unknown kinds and versions are refused before anything is sent, naming the file.
            let unknownKind = server.base.appendingPathComponent("frob.yaml")
            try "apiVersion: v1\nkind: Frobnicator\nmetadata:\n  name: x\n".write(to: unknownKind, atomically: true, encoding: .utf8)
            let frob = try server.skiff(["apply", "-f", unknownKind.path])
            #expect(frob.status != 0)
            #expect(frob.stderr.contains("no matches for kind \"Frobnicator\" in version \"v1\"") && frob.stderr.contains("frob.yaml"), "\(frob.combined)")
            let wrongVersion = server.base.appendingPathComponent("v2.yaml")
            try "apiVersion: apps/v2\nkind: Deployment\nmetadata:\n  name: x\n".write(to: wrongVersion, atomically: true, encoding: .utf8)
            let v2 = try server.skiff(["apply", "-f", wrongVersion.path])
            #expect(v2.status != 0 && v2.stderr.contains("no matches for kind \"Deployment\" in version \"apps/v2\""), "\(v2.combined)")
            let kubectlFrob = try server.kubectl(["apply", "-f", unknownKind.path])
            #expect(kubectlFrob.status != 0 && kubectlFrob.stderr.contains("frob.yaml"), "\(kubectlFrob.combined)")
            #expect(try await server.get("/apis/apps/v1/namespaces/default/deployments/x").status == 404)

            let version = try server.skiff(["version"])
            #expect(version.stdout.contains("skiff version") && version.stdout.contains("v1.32.0"), "\(version.combined)")
            let context = try server.skiff(["config", "current-context"])
            #expect(Self.trimmed(context) == "skiff")
            let completion = try Command.run(Binaries.skiff, ["--generate-completion-script", "bash"])
            #expect(completion.status == 0 && completion.stdout.contains("skiff"), "\(completion.combined)")
        }
    }
}
