import Foundation
import SkiffAPI

/// The text builder behind `describe`, after kubectl's `PrefixWriter` over a tabwriter
/// (minimum width 0, padding 2): each level indents two spaces, tabs separate the label
/// from the value, and `flush()` closes a run of aligned lines (as kubectl flushes
/// before the Events table).
public struct DescribeWriter {
    private var writer = TabWriter.kubectlDescribe()
    private var flushed = ""
    /// Text kept as written, tabs included: kubectl prints `rollout history --revision`'s pod
    /// template through its prefix writer alone, without a tabwriter.
    private let aligned: Bool
    private var raw = ""

    public init(aligned: Bool = true) {
        self.aligned = aligned
    }

    /// Writes `text` indented by `level` (two spaces each).
    public mutating func write(_ level: Int, _ text: String) {
        let indented = String(repeating: "  ", count: level) + text
        if aligned { writer.write(indented) } else { raw += indented }
    }

    /// Aligns what was written so far; later lines align among themselves.
    public mutating func flush() {
        if aligned {
            flushed += writer.flush()
        } else {
            flushed += raw
            raw = ""
        }
    }

    /// The finished text.
    public mutating func text() -> String {
        flush()
        return flushed
    }

    /// `Labels:  a=b` with further labels on their own lines, or `<none>`.
    mutating func labels(_ title: String, _ labels: [String: String], indent: String = "") {
        write(0, "\(indent)\(title):\t")
        guard !labels.isEmpty else {
            write(0, "<none>\n")
            return
        }
        for (index, key) in labels.keys.sorted().enumerated() {
            if index > 0 { write(0, "\(indent)\t") }
            write(0, "\(key)=\(labels[key] ?? "")\n")
        }
    }

    /// Annotations as kubectl shows them: `key: value`, long or multi-line values on their
    /// own indented lines (cut at 140 characters), the last-applied annotation left out.
    mutating func annotations(_ title: String, _ annotations: [String: String], indent: String = "") {
        write(0, "\(indent)\(title):\t")
        let keys = annotations.keys.filter { $0 != KnownAnnotations.lastAppliedConfiguration }.sorted()
        guard !keys.isEmpty else {
            write(0, "<none>\n")
            return
        }
        let continuation = indent + "\t"
        let maximum = 140
        for (index, key) in keys.enumerated() {
            if index > 0 { write(0, continuation) }
            var value = annotations[key] ?? ""
            if value.hasSuffix("\n") { value.removeLast() }
            if value.count + key.count + 2 > maximum || value.contains("\n") {
                write(0, "\(key):\n")
                for line in value.split(separator: "\n", omittingEmptySubsequences: false) {
                    let shortened = line.count > maximum - 2 ? String(line.prefix(maximum - 2)) + "..." : String(line)
                    write(0, "\(continuation)  \(shortened)\n")
                }
            } else {
                write(0, "\(key): \(value)\n")
            }
        }
    }

    /// Times as kubectl prints them (Go's RFC1123Z in the local zone): `Fri, 28 Nov 2026 01:00:00 +0000`.
    static func time(_ timestamp: String?) -> String {
        guard let timestamp, let seconds = RFC3339.seconds(timestamp) else {
            return "Mon, 01 Jan 0001 00:00:00 +0000"
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}

/// Annotation keys with a meaning to kubectl.
enum KnownAnnotations {
    /// Where client-side `apply` keeps the configuration it applied last; `describe` hides it.
    static let lastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration"
}
