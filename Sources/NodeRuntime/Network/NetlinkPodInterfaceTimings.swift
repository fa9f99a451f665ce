import Glibc

/// Where the time of one `PodInterfaceSetup.run` went, in monotonic
/// nanoseconds, so a benchmark can tell kernel work per step apart.
package struct PodInterfaceTimings: Sendable, CustomStringConvertible {
    /// Opening the rtnetlink socket inside the pod netns (thread + setns);
    /// 0 when the caller passed an open handle.
    package var podSocket: UInt64 = 0
    /// The RTM_NEWLINK that creates the veth pair with the peer born inside
    /// the pod netns (IFLA_NET_NS_FD), so it includes what would otherwise be
    /// a separate move; the host end gets its MTU, master and IFF_UP in the
    /// same message.
    package var veth: UInt64 = 0
    /// RTM_GETLINK for the pod end's ifindex (and the bridge's, when the
    /// caller did not pass it).
    package var lookup: UInt64 = 0
    /// Stepwise mode only: RTM_NEWADDR on the pod end.
    package var address: UInt64?
    /// Stepwise mode only: the pod end and lo up.
    package var linksUp: UInt64?
    /// Stepwise mode only: the default route.
    package var route: UInt64?
    /// Address, links up and route together: one batch, or the sum of the steps.
    package var podConfig: UInt64 = 0
    package var total: UInt64 = 0

    package init() {}

    package var description: String {
        func us(_ ns: UInt64?) -> String {
            guard let ns else { return "-" }
            let tenths = (ns + 50) / 100
            return "\(tenths / 10).\(tenths % 10)µs"
        }
        return "total \(us(total)): podSocket \(us(podSocket)), veth \(us(veth)), lookup \(us(lookup)), "
            + "podConfig \(us(podConfig)) (address \(us(address)), linksUp \(us(linksUp)), route \(us(route)))"
    }
}

/// CLOCK_MONOTONIC in nanoseconds: not affected by wall-clock changes.
enum MonotonicClock {
    static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
