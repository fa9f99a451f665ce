/// Turns selected lines into the bytes `kubectl logs` prints: optional timestamp
/// prefix, content, newline for complete lines, cut off after `limitBytes`.
///
/// Separate from selection so a `follow` consumer renders exactly like a one-shot
/// read, and stops once `isExhausted`.
package struct LogRenderer: Sendable {
    package let timestamps: Bool
    /// Bytes still allowed; nil for unlimited.
    package private(set) var remaining: Int?

    package init(timestamps: Bool = false, limitBytes: Int? = nil) {
        self.timestamps = timestamps
        self.remaining = limitBytes
    }

    package init(_ options: LogReadOptions) {
        self.init(timestamps: options.timestamps, limitBytes: options.limitBytes)
    }

    package var isExhausted: Bool { remaining == 0 }

    /// Appends the rendered line to `out`, truncated to what the limit allows.
    package mutating func render(_ line: ContainerLogLine, into out: inout [UInt8]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.content.count + 32)
        if timestamps {
            line.timestamp.appendRFC3339(to: &bytes, fixedFraction: true)
            bytes.append(UInt8(ascii: " "))
        }
        bytes.append(contentsOf: line.content)
        if line.isComplete { bytes.append(UInt8(ascii: "\n")) }
        guard let limit = remaining else {
            out.append(contentsOf: bytes)
            return
        }
        let allowed = min(limit, bytes.count)
        out.append(contentsOf: bytes.prefix(allowed))
        remaining = limit - allowed
    }

    package mutating func render(_ line: ContainerLogLine) -> [UInt8] {
        var out: [UInt8] = []
        render(line, into: &out)
        return out
    }
}
