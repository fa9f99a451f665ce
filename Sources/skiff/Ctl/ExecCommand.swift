import ArgumentParser
import Dispatch
import Foundation
import Glibc
import SkiffClient
import Synchronization

/// `skiff exec [-i] [-t] POD [-c CONTAINER] -- COMMAND…`: runs a command in a pod's
/// container through the API server, as `kubectl exec` does, and exits with the
/// command's exit code. (`skiff runtime exec` runs one in a local OCI container.)
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Execute a command in a container of a pod.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "The pod.")
    var pod: String
    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []
    @Option(name: .shortAndLong, help: "The container (default: the pod's default container, else its first).")
    var container: String?
    @Flag(name: [.customShort("i"), .long], help: "Pass standard input to the command.")
    var stdin = false
    @Flag(name: .shortAndLong, help: "Give the command a terminal (with -i, when standard input is one).")
    var tty = false
    @Flag(name: .shortAndLong, help: "Print nothing but the command's output.")
    var quiet = false

    func run() async throws {
        guard !command.isEmpty else {
            FileHandle.standardError.write(Data("error: you must specify at least one command for the container\n".utf8))
            throw ExitCode(1)
        }
        // kubectl's SetupTTY: no tty without stdin, and none when stdin is not a terminal.
        var useTTY = tty && stdin
        if useTTY, isatty(0) != 1 {
            useTTY = false
            if !quiet {
                FileHandle.standardError.write(
                    Data("Unable to use a TTY - input is not a terminal or the right kind of file\n".utf8))
            }
        }
        let options = ExecOptions(container: container, command: command, stdin: stdin, tty: useTTY, quiet: quiet)
        let pod = pod
        let outcome = Mutex<ExecOutcome?>(nil)
        try await KubeRunner.run(kube, streaming: true) { session, output throws(CtlError) in
            guard let dialer = session.transport as? any ExecDialer else {
                throw .message("this connection cannot open an exec stream")
            }
            let streams = ExecStreams(
                stdin: options.stdin ? StandardInput.chunks() : nil,
                resizes: options.tty ? TerminalResizes.stream() : nil,
                stdout: { StandardStream.write(1, $0) }, stderr: { StandardStream.write(2, $0) })
            let restore = options.tty ? RawTerminal.enter(fd: 0) : nil
            defer { restore?() }
            let result = try await ExecAction(session: session, output: output, dialer: dialer)
                .run(pod: pod, options: options, streams: streams)
            outcome.withLock { $0 = result }
            return true
        }
        guard let result = outcome.withLock({ $0 }), let message = result.message else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        throw ExitCode(result.exitCode)
    }
}

/// Standard input in chunks as it arrives, read on a thread of its own (a blocking
/// read cannot be cancelled; the process ends with the command anyway).
enum StandardInput {
    static func chunks() -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 32 * 1024)
            while true {
                let count = read(0, &buffer, buffer.count)
                if count > 0 {
                    continuation.yield(Array(buffer[0..<count]))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            continuation.finish()
        }
        reader.start()
        return stream
    }
}

/// The terminal's size now and after every SIGWINCH, as kubectl sends it.
enum TerminalResizes {
    static func stream() -> AsyncStream<TerminalSize> {
        let (stream, continuation) = AsyncStream<TerminalSize>.makeStream(bufferingPolicy: .bufferingNewest(1))
        if let size = current() { continuation.yield(size) }
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler {
            if let size = current() { continuation.yield(size) }
        }
        source.resume()
        let watch = SignalWatch(source)
        continuation.onTermination = { _ in watch.cancel() }
        return stream
    }

    /// Holds the signal source until the stream ends; Dispatch sources are thread-safe.
    private final class SignalWatch: @unchecked Sendable {
        private let source: any DispatchSourceSignal

        init(_ source: any DispatchSourceSignal) {
            self.source = source
        }

        func cancel() { source.cancel() }
    }

    /// The size of standard output's terminal (kubectl measures its output).
    private static func current() -> TerminalSize? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0 || ioctl(0, UInt(TIOCGWINSZ), &size) == 0,
            size.ws_col > 0, size.ws_row > 0
        else { return nil }
        return TerminalSize(columns: size.ws_col, rows: size.ws_row)
    }
}

/// Unbuffered writes of remote output to file descriptors 1 and 2.
enum StandardStream {
    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
