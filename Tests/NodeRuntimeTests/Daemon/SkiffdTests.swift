import Foundation
import Glibc
import Testing
@testable import NodeRuntime

/// `skiffd` as `make run` starts it: imports the inbox, reports ready, and
/// shuts down cleanly on SIGTERM without touching running pods.
@Suite struct SkiffdTests {
    @Test func importsTheInboxAndStopsOnSIGTERM() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("skiffd-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let inbox = "\(base)/data/images"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        for archive in try TestImages.archives() {
            try FileManager.default.copyItem(atPath: archive, toPath: "\(inbox)/\((archive as NSString).lastPathComponent)")
        }
        try Data("not an archive".utf8).write(to: URL(fileURLWithPath: "\(inbox)/broken.tar"))

        let stderrPath = "\(base)/skiffd.log"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SkiffBinary.path.replacingOccurrences(of: "/skiff", with: "/skiffd", options: .backwards))
        // The node's network lives in a namespace made for this test, never on the host.
        let netns = try TestNetns()
        defer { netns.remove() }
        process.arguments = [
            "--data-dir", "\(base)/data", "--state-dir", "\(base)/run", "--node-netns", netns.name,
            "--cluster-cidr", "10.244.0.0/16", "--service-cidr", "10.245.0.0/16",
            // The API server on a free loopback port, so parallel tests never collide.
            "--port", "0", "--bind-address", "127.0.0.1",
        ]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        var log = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, !log.contains("node runtime ready") {
            try await Task.sleep(for: .milliseconds(50))
            log = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        }
        #expect(log.contains("node runtime ready"), "\(log)")
        #expect(log.contains("images=3"), "\(log)")
        #expect(log.contains("podSubnet=10.244.0.0/24 via 10.244.0.1"), "\(log)")
        // A bad archive is reported by name and does not stop the node.
        #expect(log.contains("broken.tar"), "\(log)")

        let stopAsked = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        // About 3 s on an idle machine (in-flight requests get 2 s); generous under load.
        while process.isRunning, ContinuousClock.now - stopAsked < .seconds(15) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!process.isRunning, "skiffd did not stop within 15 s of SIGTERM")
        if !process.isRunning { #expect(process.terminationStatus == 0) }

        let store = try ImageStore(root: "\(base)/data/image-store")
        #expect(try store.resolve(reference: "mengsixing/notepad").repoTags.contains("docker.io/mengsixing/notepad:latest"))
    }
}
