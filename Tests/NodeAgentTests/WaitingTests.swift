import Foundation
import SkiffAPI
import Testing

/// A pod naming something that is not there waits with a clear reason and
/// starts once it exists.
@Suite struct WaitingTests {
    @Test func missingSecretConfigMapAndImage() async throws {
        // notepad:new is not on the node at first.
        try await AgentNode.with(images: ["busybox.tar", "notepad-latest.tar"]) { node in
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: needs-secret}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - name: app
                    image: busybox
                    command: ["sh", "-c", "echo $TOKEN; sleep 3600"]
                    env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: later, key: token}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: needs-config}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - name: app
                    image: busybox
                    command: ["sleep", "3600"]
                    volumeMounts: [{name: cfg, mountPath: /cfg}]
                  volumes: [{name: cfg, configMap: {name: later-config}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: needs-image}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - {name: app, image: "example.com/not-here:1.0", imagePullPolicy: Never}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: needs-import}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - {name: app, image: "mengsixing/notepad:new"}
                """)
            let secret = try await node.waitForPod("needs-secret", "waiting for its Secret") {
                $0.containerStatus("app")["state"]["waiting"]["reason"].stringValue == "CreateContainerConfigError"
            }
            #expect(secret.containerStatus("app")["state"]["waiting"]["message"].stringValue == #"secret "later" not found"#)
            let config = try await node.waitForPod("needs-config", "waiting for its ConfigMap") {
                $0.containerStatus("app")["state"]["waiting"]["reason"].stringValue == "ContainerCreating"
            }
            #expect(config.phase == "Pending")
            try await eventually("a FailedMount event") {
                try await node.events(for: "needs-config").contains {
                    $0["reason"].stringValue == "FailedMount"
                        && $0["message"].stringValue == #"MountVolume.SetUp failed for volume "cfg" : configmap "later-config" not found"#
                }
            }
            let image = try await node.waitForPod("needs-image", "waiting for its image") {
                $0.containerStatus("app")["state"]["waiting"]["reason"].stringValue == "ErrImageNeverPull"
            }
            #expect(image.containerStatus("app")["state"]["waiting"]["message"].stringValue
                == #"Container image "example.com/not-here:1.0" is not present with pull policy of Never"#)
            let pull = try await node.waitForPod("needs-import", "waiting for an image import") {
                $0.containerStatus("app")["state"]["waiting"]["reason"].stringValue == "ImagePullBackOff"
            }
            #expect(pull.containerStatus("app")["state"]["waiting"]["message"].stringValue == #"Back-off pulling image "mengsixing/notepad:new""#)
            let table = try await node.kubectl(["get", "pods"])
            #expect(table.stdout.contains("CreateContainerConfigError") && table.stdout.contains("ErrImageNeverPull"), "\(table.stdout)")

            try await node.apply("""
                apiVersion: v1
                kind: Secret
                metadata: {name: later}
                stringData: {token: s3cret}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: later-config}
                data: {a: b}
                """)
            try await node.waitForPod("needs-secret", "Running once the Secret exists") { $0.phase == "Running" }
            try await node.waitForPod("needs-config", "Running once the ConfigMap exists") { $0.phase == "Running" }
            #expect(try await node.kubectl(["logs", "needs-secret"]).stdout == "s3cret\n")
            // The image arrives through the node's image store (no registry here).
            let archive = try #require(try AgentTestImages.archives().first { $0.hasSuffix("notepad-new.tar") })
            let imported = try await AgentShell.run(AgentBinaries.skiff, ["image", "import", "--data-dir", node.dataDir, archive])
            #expect(imported.status == 0, "\(imported.combined)")
            try await node.waitForPod("needs-import", "Running once the image is imported") { $0.phase == "Running" }
            #expect(try await node.kubectl(["exec", "needs-config", "--", "cat", "/cfg/a"]).stdout == "b")
        }
    }
}
