import Dispatch
import Glibc

/// Waits for SIGTERM or SIGINT without a handler running on arbitrary threads.
enum ShutdownSignal {
    static func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let queue = DispatchQueue(label: "skiffd.signals")
            let box = SignalBox(continuation)
            for signal in [SIGTERM, SIGINT] {
                Glibc.signal(signal, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
                source.setEventHandler { box.fire(signal) }
                source.resume()
                box.keep(source)
            }
        }
    }

    /// Resumes the continuation once; keeps the sources alive until then.
    private final class SignalBox: @unchecked Sendable {
        // Only touched on the serial signal queue.
        private var continuation: CheckedContinuation<Int32, Never>?
        private var sources: [any DispatchSourceSignal] = []

        init(_ continuation: CheckedContinuation<Int32, Never>) { self.continuation = continuation }

        func keep(_ source: any DispatchSourceSignal) { sources.append(source) }

        func fire(_ signal: Int32) {
            continuation?.resume(returning: signal)
            continuation = nil
            for source in sources { source.cancel() }
        }
    }
}
