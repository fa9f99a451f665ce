import CShims
import Dispatch
import Glibc

/// Forwards the signals a foreground `skiff runtime run` receives (Ctrl-C,
/// SIGTERM from a supervisor) to the container's init, as runc does.
final class SignalForwarder {
    private let sources: [DispatchSourceSignal]
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH]

    init(pidfd: Int32) {
        let queue = DispatchQueue(label: "skiff.signal-forwarder")
        sources = Self.forwarded.map { signal in
            Glibc.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler { _ = skiff_pidfd_send_signal(pidfd, signal) }
            source.resume()
            return source
        }
    }

    func stop() {
        for source in sources { source.cancel() }
    }
}
