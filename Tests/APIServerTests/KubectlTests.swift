import Foundation
import SkiffAPI
import Testing

/// The real kubectl 1.32 (/usr/bin/kubectl) against a real skiffd over HTTPS,
/// with the seed's manifests as written. Pods need the controllers of a later
/// issue; here the objects themselves are checked.
@Suite(.serialized) struct KubectlTests {
    @Test func seedWalkthroughObjects() async throws {
        try await TestServer.with() { server in
            let deploymentFile = SeedManifests.path("deployment.yaml")
            let serviceFile = SeedManifests.path("service.yaml")

            let namespaces = try server.kubectl(["get", "namespaces"])
            #expect(namespaces.status == 0, "\(namespaces.combined)")
            #expect(namespaces.stdout.hasPrefix("NAME"), "\(namespaces.stdout)")
            #expect(namespaces.stdout.contains("default ") && namespaces.stdout.contains("Active"), "\(namespaces.stdout)")

            let created = try server.kubectl(["apply", "-f", deploymentFile])
            #expect(created.status == 0, "\(created.combined)")
            #expect(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "deployment.apps/notepad created")
            let unchanged = try server.kubectl(["apply", "-f", deploymentFile])
            #expect(unchanged.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "deployment.apps/notepad unchanged", "\(unchanged.combined)")

            // Reconfigure: replicas 3 -> 4 through a three-way strategic merge patch.
            let edited = server.base.appendingPathComponent("deployment.yaml")
            let text = try String(contentsOfFile: deploymentFile, encoding: .utf8).replacingOccurrences(of: "replicas: 3", with: "replicas: 4")
            try text.write(to: edited, atomically: true, encoding: .utf8)
            let configured = try server.kubectl(["apply", "-f", edited.path])
            #expect(configured.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "deployment.apps/notepad configured", "\(configured.combined)")
            let live = try await server.get("/apis/apps/v1/namespaces/default/deployments/notepad")
            #expect(live.body["spec"]["replicas"] == 4)
            let lastApplied = live.body.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] ?? ""
            #expect(lastApplied.contains("\"replicas\":4"), "\(lastApplied)")

            let service = try server.kubectl(["apply", "-f", serviceFile])
            #expect(service.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "service/my-service created", "\(service.combined)")
            let svc = try await server.get("/api/v1/namespaces/default/services/my-service")
            #expect(svc.body["spec"]["ports"][0]["nodePort"] == 30036)
            #expect(svc.body["spec"]["clusterIP"].stringValue?.hasPrefix("10.43.") == true)

            let table = try server.kubectl(["get", "deploy,svc"])
            #expect(table.status == 0, "\(table.combined)")
            #expect(table.stdout.contains("deployment.apps/notepad"), "\(table.stdout)")
            #expect(table.stdout.contains("service/my-service") && table.stdout.contains("80:30036/TCP"), "\(table.stdout)")

            let yaml = try server.kubectl(["get", "deployment", "notepad", "-o", "yaml"])
            #expect(yaml.stdout.contains("replicas: 4") && yaml.stdout.contains("image: mengsixing/notepad"), "\(yaml.combined)")

            let scaled = try server.kubectl(["scale", "deployment", "notepad", "--replicas=5"])
            #expect(scaled.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "deployment.apps/notepad scaled", "\(scaled.combined)")
            #expect(try await server.get("/apis/apps/v1/namespaces/default/deployments/notepad").body["spec"]["replicas"] == 5)

            let image = try server.kubectl(["set", "image", "deployment/notepad", "notepad=mengsixing/notepad:new"])
            #expect(image.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "deployment.apps/notepad image updated", "\(image.combined)")
            let updated = try await server.get("/apis/apps/v1/namespaces/default/deployments/notepad")
            #expect(updated.body["spec"]["template"]["spec"]["containers"][0]["image"] == "mengsixing/notepad:new")
            #expect(updated.body["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == 8083)

            let deleted = try server.kubectl(["delete", "-f", deploymentFile])
            #expect(deleted.stdout.contains("deployment.apps \"notepad\" deleted"), "\(deleted.combined)")
            #expect(try await server.get("/apis/apps/v1/namespaces/default/deployments/notepad").status == 404)
            let deletedService = try server.kubectl(["delete", "-f", serviceFile])
            #expect(deletedService.status == 0, "\(deletedService.combined)")

            // The deployment's pods go with it (garbage collection, in the background).
            var noPods = try server.kubectl(["get", "pods"])
            for _ in 0..<100 where !noPods.stderr.contains("No resources found") {
                try await Task.sleep(for: .milliseconds(100))
                noPods = try server.kubectl(["get", "pods"])
            }
            #expect(noPods.status == 0)
            #expect(noPods.stderr.contains("No resources found in default namespace."), "\(noPods.combined)")
        }
    }

    @Test func protobufCreatesAndBrokenSeedManifests() async throws {
        try await TestServer.with() { server in
            let secret = try server.kubectl(["create", "secret", "generic", "s1", "--from-literal=username=admin"])
            #expect(secret.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "secret/s1 created", "\(secret.combined)")
            let stored = try await server.get("/api/v1/namespaces/default/secrets/s1")
            #expect(stored.body["data"]["username"] == "YWRtaW4=")
            #expect(stored.body["type"] == "Opaque")
            let configMap = try server.kubectl(["create", "configmap", "c1", "--from-literal=color=blue"])
            #expect(configMap.status == 0, "\(configMap.combined)")
            #expect(try await server.get("/api/v1/namespaces/default/configmaps/c1").body["data"]["color"] == "blue")
            let namespace = try server.kubectl(["create", "namespace", "n1"])
            #expect(namespace.stdout.contains("namespace/n1 created"), "\(namespace.combined)")
            let account = try server.kubectl(["create", "serviceaccount", "robot", "-n", "n1"])
            #expect(account.status == 0, "\(account.combined)")

            let brokenSecret = try server.kubectl(["apply", "-f", SeedManifests.path("mysecret.yaml")])
            #expect(brokenSecret.status != 0)
            #expect(brokenSecret.stderr.contains("mysecret.yaml"), "\(brokenSecret.combined)")
            #expect(try await server.get("/api/v1/namespaces/default/secrets/mysecret").status == 404)

            let brokenPod = try server.kubectl(["apply", "-f", SeedManifests.path("mypod.yaml")])
            #expect(brokenPod.status != 0)
            #expect(brokenPod.stderr.contains("unknown field \"spec.volumeMounts\""), "\(brokenPod.combined)")
            #expect(try await server.get("/api/v1/namespaces/default/pods/mypod").status == 404)
        }
    }
}
