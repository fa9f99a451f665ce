/// When each pod of a `pod-start` run was first seen `Running` with an IP on
/// the watch, and the workers waiting for that moment.
actor RunningBoard {
    struct Seen: Sendable {
        var wallNanoseconds: UInt64
        var ip: String
    }

    private var seen: [Int: Seen] = [:]
    private var waiters: [Int: CheckedContinuation<Seen?, Never>] = [:]

    func record(_ index: Int, _ sighting: Seen) {
        guard seen[index] == nil else { return }
        seen[index] = sighting
        waiters.removeValue(forKey: index)?.resume(returning: sighting)
    }

    /// The sighting of pod `index`, waiting up to `timeout` for it; nil if none came.
    func wait(for index: Int, timeout: Duration) async -> Seen? {
        if let sighting = seen[index] { return sighting }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(index)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { waiters[index] = $0 }
    }

    private func expire(_ index: Int) {
        waiters.removeValue(forKey: index)?.resume(returning: nil)
    }
}
