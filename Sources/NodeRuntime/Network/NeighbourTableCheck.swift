import Foundation

/// The kernel's neighbour (ARP) table is one table for every network
/// namespace, capped by `gc_thresh3` (1,024 by default). Each pod takes
/// about two entries (its gateway in the pod, the pod on the bridge), so a
/// node of more than ~500 pods overflows it and some pods stop answering
/// through their Services (measured by scripts/bench-scale at 1,000 pods).
/// The limit is the host's to set, so the daemon says so instead of
/// changing it.
package enum NeighbourTableCheck {
    package static let path = "/proc/sys/net/ipv4/neigh/default/gc_thresh3"

    package static func warning(maxPods: Int, limit: Int? = currentLimit()) -> String? {
        guard let limit else { return nil }
        let needed = maxPods * 2 + 64
        guard limit < needed else { return nil }
        return "--max-pods \(maxPods) needs about \(needed) neighbour (ARP) entries but \(path) is \(limit): "
            + "pods beyond ~\((limit - 64) / 2) may not answer through Services; raise it, e.g. "
            + "sysctl -w net.ipv4.neigh.default.gc_thresh3=\(needed) net.ipv4.neigh.default.gc_thresh2=\(needed * 3 / 4)"
    }

    package static func currentLimit() -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
