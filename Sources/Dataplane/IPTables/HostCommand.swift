import CShims
import Glibc

/// A host program (iptables-restore, iptables-save) run to completion, in the
/// node's network namespace when there is one.
///
/// Runs blocking on the caller's thread: the proxy calls its backend from its
/// own dedicated queue, and a program that needs its whole stdin before it
/// answers gains nothing from being awaited asynchronously.
package struct HostCommand: Sendable {
    /// Absolute: no `PATH` search, so what runs does not depend on the daemon's environment.
    package var path: String
    /// Without argv[0] (which is `path`: multi-call binaries such as
    /// xtables-nft-multi pick their personality from it).
    package var arguments: [String]
    /// The nsfs path of the network namespace to run in; nil is the caller's.
    package var netnsPath: String?
    /// How much of stdout and stderr is kept; the rest is read and dropped.
    package var outputLimit: Int

    /// What a run produced. `output` interleaves stdout and stderr as written.
    package struct Result: Sendable, Equatable {
        package var status: Int32
        package var output: String
        /// The program wrote more than `outputLimit` bytes.
        package var truncated: Bool
    }

    /// Enough for any error message; callers that parse listings raise it.
    package static let defaultOutputLimit = 64 * 1024

    package init(path: String, arguments: [String], netnsPath: String? = nil, outputLimit: Int = defaultOutputLimit) {
        self.path = path
        self.arguments = arguments
        self.netnsPath = netnsPath
        self.outputLimit = outputLimit
    }

    /// `iptables-restore --noflush -w 5`: how errors name the command.
    package var commandLine: String {
        ([path] + arguments).joined(separator: " ")
    }

    /// Runs the program and returns its status and output whatever the status;
    /// throws only when it could not be run (`setns /run/netns/x: EBADF`).
    package func run(input: String = "") throws(DataplaneError) -> Result {
        var netnsFD: Int32 = -1
        if let netnsPath {
            netnsFD = open(netnsPath, O_RDONLY | O_CLOEXEC)
            guard netnsFD >= 0 else { throw .kernel(step: "open \(netnsPath)", errno: errno) }
        }
        defer { if netnsFD >= 0 { close(netnsFD) } }

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var result = skiff_hostexec_result()
        var input = input
        let rc = input.withUTF8 { bytes in
            argv.withUnsafeBufferPointer { argvBuffer in
                skiff_hostexec(path, argvBuffer.baseAddress, netnsFD, bytes.baseAddress, bytes.count, outputLimit, &result)
            }
        }
        defer { free(result.output) }
        guard rc == 0 else { throw .kernel(step: failedStep(result.step), errno: result.err) }
        let output = result.output.map { pointer in
            String(decoding: UnsafeRawBufferPointer(start: pointer, count: result.output_len), as: UTF8.self)
        }
        return Result(status: result.status, output: output ?? "", truncated: result.truncated != 0)
    }

    /// Runs the program and returns its output, throwing `.command` with that
    /// output (iptables-restore's `line 7 failed`) when it exits non-zero.
    package func check(input: String = "") throws(DataplaneError) -> String {
        let result = try run(input: input)
        guard result.status == 0 else {
            throw .command(step: commandLine, status: result.status, output: result.output)
        }
        return result.output
    }

    /// `setns /run/netns/node`, `execve /usr/sbin/iptables-restore`, `poll (iptables-restore)`.
    private func failedStep(_ step: Int32) -> String {
        let name = String(cString: skiff_hostexec_step_name(step))
        switch UInt32(bitPattern: step) {
        case SKIFF_HOSTEXEC_SETNS.rawValue: return "\(name) \(netnsPath ?? "")"
        case SKIFF_HOSTEXEC_EXEC.rawValue: return "\(name) \(path)"
        default: return "\(name) (\(commandLine))"
        }
    }
}
