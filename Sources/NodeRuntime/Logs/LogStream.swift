/// Which of a container's output streams a log record came from.
///
/// The raw values are the exact words the CRI log format puts in its second
/// field, so encoding and parsing never need a lookup table.
package enum LogStream: String, CaseIterable, Hashable, Sendable {
    case stdout
    case stderr
}
