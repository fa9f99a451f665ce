import Foundation
import SkiffAPI
import Testing

/// persistentVolumeClaim (bound by the built-in local-path provisioner),
/// downwardAPI and a size-limited memory emptyDir.
@Suite struct VolumeTests {
    @Test func claimOutlivesItsPodAndDownwardAPIFiles() async throws {
        try await AgentNode.with { node in
            try await node.apply("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: writer, labels: {tier: db, app: store}}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - name: app
                    image: busybox
                    command: ["sh", "-c", "echo kept > /data/note; sleep 3600"]
                    volumeMounts:
                    - {name: data, mountPath: /data}
                    - {name: info, mountPath: /info}
                    - {name: scratch, mountPath: /scratch}
                  volumes:
                  - {name: data, persistentVolumeClaim: {claimName: data}}
                  - name: info
                    downwardAPI:
                      items:
                      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                      - {path: name, fieldRef: {fieldPath: metadata.name}}
                  - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 4Mi}}
                """)
            try await node.waitForPod("writer", "Running") { $0.phase == "Running" }
            let claim = try #require(try await node.api.get("/api/v1/namespaces/default/persistentvolumeclaims/data"))
            #expect(claim["status"]["phase"].stringValue == "Bound")
            let volumeName = try #require(claim["spec"]["volumeName"].stringValue)
            let volume = try #require(try await node.api.get("/api/v1/persistentvolumes/\(volumeName)"))
            #expect(volume["spec"]["claimRef"]["name"].stringValue == "data")
            let hostPath = try #require(volume["spec"]["hostPath"]["path"].stringValue)
            #expect(hostPath.hasPrefix("\(node.dataDir)/storage/"))
            try await eventually("the note on the volume's host directory") {
                (try? String(contentsOfFile: "\(hostPath)/note", encoding: .utf8)) == "kept\n"
            }
            let info = try await node.kubectl(["exec", "writer", "--", "sh", "-c", "cat /info/labels; echo; cat /info/name"])
            #expect(info.stdout == "app=\"store\"\ntier=\"db\"\nwriter", "\(info.combined)")
            // The memory emptyDir is a tmpfs of its size limit.
            let full = try await node.kubectl(["exec", "writer", "--", "sh", "-c", "dd if=/dev/zero of=/scratch/f bs=1M count=8 2>&1; ls -l /scratch/f"])
            #expect(full.stdout.contains("No space left on device"), "\(full.combined)")

            #expect(try await node.kubectl(["delete", "pod", "writer", "--wait=true"]).status == 0)
            try await node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: reader}
                spec:
                  nodeName: \(AgentNode.nodeName)
                  containers:
                  - {name: app, image: busybox, command: ["sh", "-c", "cat /data/note; sleep 3600"], volumeMounts: [{name: data, mountPath: /data}]}
                  volumes:
                  - {name: data, persistentVolumeClaim: {claimName: data}}
                """)
            try await node.waitForPod("reader", "Running") { $0.phase == "Running" }
            try await eventually("the second pod to read the first one's note") {
                try await node.kubectl(["logs", "reader"]).stdout == "kept\n"
            }
            #expect(try await node.kubectl(["delete", "pod", "reader", "--wait=true"]).status == 0)
            // Deleting the claim deletes its volume and directory.
            #expect(try await node.kubectl(["delete", "pvc", "data", "--wait=true"]).status == 0)
            try await eventually("the local-path volume to go") {
                try await node.api.get("/api/v1/persistentvolumes/\(volumeName)") == nil
                    && !FileManager.default.fileExists(atPath: hostPath)
            }
        }
    }
}
