import Foundation
import SkiffTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory for one PKI test, removed afterwards.
final class PKITestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-pki-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    func text(_ relative: String) throws -> String {
        try String(contentsOf: file(relative), encoding: .utf8)
    }

    /// The permission bits of a file (`0o600`).
    func mode(_ relative: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file(relative).path)
        return ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1) & 0o777
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// The output of a command-line tool the tests check our files with (openssl, kubectl).
struct ToolResult {
    var status: Int32
    var output: String
    var errorOutput: String
}

/// Runs `executable` with `arguments` and waits; stdout and stderr are captured.
/// Through `ChildProcess`, not Foundation's `Process`, whose `waitUntilExit`
/// needs Dispatch's pool to learn of the exit and can stall the test process.
func runTool(_ executable: String, _ arguments: [String]) throws -> ToolResult {
    let result = try ChildProcess.run(executable, arguments, timeout: .seconds(120))
    return ToolResult(status: result.status, output: result.stdout, errorOutput: result.stderr)
}

let opensslPath = "/usr/bin/openssl"
let kubectlPath = "/usr/bin/kubectl"

/// The subjectAltName line of a certificate as openssl prints it
/// (`DNS:localhost, …, IP Address:127.0.0.1, …`).
func subjectAlternativeNames(ofCertificateAt path: String) throws -> String {
    let result = try runTool(opensslPath, ["x509", "-in", path, "-noout", "-ext", "subjectAltName"])
    #expect(result.status == 0, "openssl x509: \(result.errorOutput)")
    return result.output
}

/// `openssl s_server -www` presenting a certificate on 127.0.0.1: a TLS peer that is not
/// ours, so that kubectl's own (Go) verification of our certificates can be exercised.
final class OpenSSLTestServer {
    let port: Int
    private let process: Process

    init(certificate: String, key: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: opensslPath)
        process.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key, "-www"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("ACCEPT") || !text.hasSuffix("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
            let port = line.split(separator: ":").last.flatMap({ Int($0) })
        else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "s_server did not start: \(text)"])
        }
        self.port = port
    }

    deinit {
        // SIGKILL: the test process may block SIGTERM, and children inherit the mask.
        // Not waited for: Foundation reaps it, and a wait here would hold a pool thread.
        kill(process.processIdentifier, SIGKILL)
    }
}
