import Foundation

/// How often the workload controllers look again: soon
/// enough for what falls due, rarely enough to stay cheap with many pods.
enum ControllerPacing {
    /// How long a controller may sleep before something it knows of falls
    /// due: `due` (a pod becoming available, a deadline passing), capped so a
    /// missed event costs at most `cap`, and never less than a short floor so
    /// a due time that is already past does not spin.
    static func timeout(until due: Date?, now: Date, cap: Duration = .seconds(5)) -> Duration {
        guard let due else { return cap }
        let seconds = max(0.05, due.timeIntervalSince(now) + 0.05)
        return min(cap, .milliseconds(Int64(seconds * 1000)))
    }

    /// How long to let changes gather after a wake-up: twice what reading the
    /// store took in the last pass (within `floor` and 1 s), so that with
    /// thousands of pods churning a controller spends at most a third of a
    /// core re-reading them. The 25 ms floor gathers small bursts too; the
    /// scheduler, which every pod's start waits on, passes a lower one.
    static func settle(after read: Duration, floor: Duration = .milliseconds(25)) -> Duration {
        min(.seconds(1), max(floor, read * 2))
    }
}
