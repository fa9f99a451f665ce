/// One line of container output as `kubectl logs` shows it: the `P` chunks the
/// pump split it into joined back together.
package struct ContainerLogLine: Equatable, Sendable {
    /// When the line's first chunk was read from the pipe.
    package var timestamp: LogTimestamp
    package var stream: LogStream
    /// The bytes the container wrote, without the newline.
    package var content: [UInt8]
    /// False when the container never finished the line (it exited or the output
    /// was cut mid-line) or the line was too long to join; rendered without a newline.
    package var isComplete: Bool

    package init(timestamp: LogTimestamp, stream: LogStream, content: [UInt8], isComplete: Bool = true) {
        self.timestamp = timestamp
        self.stream = stream
        self.content = content
        self.isComplete = isComplete
    }

    /// The content as text, with invalid UTF-8 replaced (containers may write anything).
    package var text: String { String(decoding: content, as: UTF8.self) }
}
