import Foundation
import NodeRuntime

/// Runs one probe or hook attempt against a container: exec inside it, or an
/// HTTP GET / TCP connect to the pod's address from the node's network
/// namespace, as kubelet probes from the host.
package struct ProbeRunner: Sendable {
    package let runtime: RuntimeService
    package let nodeNetnsPath: String?

    package init(runtime: RuntimeService, nodeNetnsPath: String?) {
        self.runtime = runtime
        self.nodeNetnsPath = nodeNetnsPath
    }

    package func run(_ probe: ProbeSpec, containerID: String, podIP: String?) async -> ProbeResult {
        switch probe.action {
        case .exec(let command):
            do {
                let result = try await runtime.execSync(containerID, command: command, timeout: probe.timeout)
                if result.timedOut {
                    return .failure("command \(Self.goList(command)) timed out")
                }
                if result.exitCode == 0 { return .success }
                let output = (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
                return .failure(output.isEmpty ? "command \(Self.goList(command)) exited with \(result.exitCode)" : output)
            } catch {
                return .failure("\(error)")
            }
        case .httpGet(let host, let port, let path, let scheme, let headers):
            guard let address = host ?? podIP else { return .failure("the pod has no IP address yet") }
            let outcome = await ProbeDialer().httpGet(
                netnsPath: nodeNetnsPath, host: address, port: port, path: path,
                scheme: scheme.uppercased() == "HTTPS" ? .https : .http,
                headers: headers.map { ProbeHeader(name: $0.0, value: $0.1) }, timeout: probe.timeout)
            return Self.result(outcome)
        case .tcpSocket(let host, let port):
            guard let address = host ?? podIP else { return .failure("the pod has no IP address yet") }
            let outcome = await ProbeDialer().tcpCheck(
                netnsPath: nodeNetnsPath, host: address, port: port, timeout: probe.timeout)
            return Self.result(outcome)
        case .sleep(let duration):
            try? await Task.sleep(for: min(duration, probe.timeout))
            return .success
        case .unsupported(let message):
            return .failure(message)
        }
    }

    private static func result(_ outcome: ProbeOutcome) -> ProbeResult {
        switch outcome {
        case .success, .warning: .success
        case .failure(let message): .failure(message)
        }
    }

    /// Go's `%v` of a string slice: `[cat /tmp/healthy]`.
    static func goList(_ items: [String]) -> String { "[\(items.joined(separator: " "))]" }
}
