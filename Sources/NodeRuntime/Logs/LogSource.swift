/// One output stream of a container for the pump hub to drain.
///
/// A FIFO path is the normal case: the hub opens it itself, on its own thread,
/// `O_RDONLY | O_NONBLOCK`, which never blocks and works the same for a fresh
/// container and for one a previous daemon was pumping. A descriptor is for
/// callers that already hold the read end (an anonymous pipe, tests).
package struct LogSource: Sendable {
    package enum Endpoint: Sendable, Equatable {
        /// A named pipe the hub opens for reading.
        case fifo(path: String)
        /// An open read end. The hub owns it from `register` on (it is closed even
        /// if registration fails) and switches it to non-blocking.
        case descriptor(Int32)
    }

    package var endpoint: Endpoint
    package var stream: LogStream

    package init(_ endpoint: Endpoint, stream: LogStream) {
        self.endpoint = endpoint
        self.stream = stream
    }

    package static func fifo(_ path: String, stream: LogStream) -> LogSource {
        LogSource(.fifo(path: path), stream: stream)
    }

    package static func descriptor(_ fd: Int32, stream: LogStream) -> LogSource {
        LogSource(.descriptor(fd), stream: stream)
    }
}
