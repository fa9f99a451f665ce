import Foundation
import NetnsLab
import NodeRuntime

/// Bulk TCP throughput with iperf3 from the client namespace to pod 0,
/// through a Service IP and straight to the pod's IP, on the same path
/// otherwise (client → node → bridge → pod). Only a connection's first
/// packet meets the proxy's rules; after that conntrack carries the NAT, so
/// this shows what NAT costs per byte, not per Service.
struct ThroughputStats: Codable {
    var seconds: Int
    /// Mean over the runs, bits/s received by the server.
    var podIPBitsPerSecond: Double
    var clusterIPBitsPerSecond: Double
    /// ClusterIP / pod IP.
    var ratio: Double
    /// Each run in order (pod, VIP, VIP, pod: ABBA, so a drift in the
    /// machine's load falls on both sides alike).
    var runs: [Run]

    struct Run: Codable {
        var target: String
        var bitsPerSecond: Double
    }
}

enum Throughput {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Nil when iperf3 is not installed.
    static func measure(lab: NetnsLab, clusterIP: IPv4Address, port: UInt16, seconds: Int) throws -> ThroughputStats? {
        guard let iperf = executable("iperf3") else { return nil }
        let pod = NetnsLab.podIP(0)
        var runs: [ThroughputStats.Run] = []
        for (target, label) in [(pod, "podIP"), (clusterIP, "clusterIP"), (clusterIP, "clusterIP"), (pod, "podIP")] {
            let rate = try once(iperf: iperf, lab: lab, target: target, port: port, seconds: seconds)
            runs.append(.init(target: label, bitsPerSecond: rate))
        }
        func mean(_ label: String) -> Double {
            let values = runs.filter { $0.target == label }.map(\.bitsPerSecond)
            return values.reduce(0, +) / Double(values.count)
        }
        let direct = mean("podIP"), viaService = mean("clusterIP")
        return ThroughputStats(
            seconds: seconds, podIPBitsPerSecond: direct, clusterIPBitsPerSecond: viaService,
            ratio: direct > 0 ? viaService / direct : 0, runs: runs)
    }

    /// One `iperf3 -s -1` in pod 0 and one client run against it; the
    /// client's first second (slow start) is left out (`-O 1`).
    private static func once(iperf: String, lab: NetnsLab, target: IPv4Address, port: UInt16, seconds: Int) throws -> Double {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        server.arguments = ["netns", "exec", lab.podNames[0], iperf, "-s", "-1", "-p", "\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
        }
        // The server needs a moment to listen; the client fails fast until it does.
        var lastError = "no attempt"
        for _ in 0..<50 {
            let (status, output) = try run("/usr/sbin/ip", [
                "netns", "exec", lab.clientName, iperf, "-c", "\(target)", "-p", "\(port)", "-t", "\(seconds)",
                "-O", "1", "-J",
            ])
            let report = (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any]
            if status == 0, let end = report?["end"] as? [String: Any],
               let received = end["sum_received"] as? [String: Any],
               let bits = received["bits_per_second"] as? Double {
                return bits
            }
            lastError = (report?["error"] as? String) ?? "exit \(status): \(output.prefix(300))"
            guard lastError.contains("connect") else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "iperf3 to \(target):\(port): \(lastError)")
    }

    /// Runs a tool, stdout only (iperf3's JSON), stderr dropped.
    private static func run(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
