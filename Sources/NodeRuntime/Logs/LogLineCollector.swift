/// Applies the time filter and `tailLines` to lines in log order, handing them
/// on at once when there is no tail and only at `finish` when there is.
///
/// With a tail it keeps at most about twice the tail in memory, so tailing a
/// 50 MiB log does not hold all of it; without one, nothing is held at all.
struct LogLineCollector {
    let since: LogTimestamp?
    let tail: Int?
    private var kept: [ContainerLogLine] = []

    init(since: LogTimestamp?, tail: Int?) {
        self.since = since
        self.tail = tail
    }

    func accepts(_ line: ContainerLogLine) -> Bool {
        guard let since else { return true }
        return line.timestamp >= since
    }

    /// Offers a line; `emit` runs now unless a tail defers it to `finish`.
    mutating func add(_ line: ContainerLogLine, emit: (ContainerLogLine) throws -> Void) rethrows {
        guard accepts(line) else { return }
        guard let tail else {
            try emit(line)
            return
        }
        kept.append(line)
        if kept.count > max(2 * tail, 1024) {
            kept.removeFirst(kept.count - tail)
        }
    }

    /// Emits the tail, once all lines were offered.
    mutating func finish(emit: (ContainerLogLine) throws -> Void) rethrows {
        defer { kept.removeAll() }
        guard let tail else { return }
        for line in kept.suffix(tail) { try emit(line) }
    }
}
