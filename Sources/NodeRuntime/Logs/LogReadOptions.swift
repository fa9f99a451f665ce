/// The `kubectl logs` knobs (`PodLogOptions`) a container log read understands.
package struct LogReadOptions: Equatable, Sendable {
    /// Only this stream; nil for both, interleaved as written.
    package var stream: LogStream?
    /// Only the last N lines (after the other filters); nil for all, 0 for none.
    package var tailLines: Int?
    /// Only lines stamped at or after this instant.
    package var sinceTime: LogTimestamp?
    /// Only lines from the last N seconds; exclusive with `sinceTime`, as in the API.
    package var sinceSeconds: Int?
    /// Prefix each line with its timestamp (nine fractional digits, like kubelet).
    package var timestamps: Bool
    /// Stop after this many bytes of output, even mid-line, as kubelet does.
    package var limitBytes: Int?

    package init(
        stream: LogStream? = nil, tailLines: Int? = nil, sinceTime: LogTimestamp? = nil,
        sinceSeconds: Int? = nil, timestamps: Bool = false, limitBytes: Int? = nil
    ) {
        self.stream = stream
        self.tailLines = tailLines
        self.sinceTime = sinceTime
        self.sinceSeconds = sinceSeconds
        self.timestamps = timestamps
        self.limitBytes = limitBytes
    }

    /// Rejects the combinations the Kubernetes API rejects.
    package func validate() throws {
        if let tailLines, tailLines < 0 {
            throw RuntimeError("tailLines must not be negative, got \(tailLines)")
        }
        if let sinceSeconds, sinceSeconds <= 0 {
            throw RuntimeError("sinceSeconds must be positive, got \(sinceSeconds)")
        }
        if sinceSeconds != nil && sinceTime != nil {
            throw RuntimeError("sinceSeconds and sinceTime are mutually exclusive")
        }
        if let limitBytes, limitBytes <= 0 {
            throw RuntimeError("limitBytes must be positive, got \(limitBytes)")
        }
    }

    /// The earliest timestamp to show, resolving `sinceSeconds` against `now`.
    package func sinceCutoff(now: LogTimestamp) -> LogTimestamp? {
        if let sinceSeconds { return now.adding(seconds: -Int64(sinceSeconds)) }
        return sinceTime
    }

    /// The streams to keep.
    package var streams: Set<LogStream> { stream.map { [$0] } ?? Set(LogStream.allCases) }
}
