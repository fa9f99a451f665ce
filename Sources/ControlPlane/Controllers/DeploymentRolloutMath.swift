import SkiffAPI

/// The arithmetic of a rolling update, as `k8s.io/kubernetes/pkg/controller/deployment/util`
/// does it, kept free of the store so it can be checked number by number.
enum DeploymentRolloutMath {
    /// `maxSurge` or `maxUnavailable` (an integer or a percentage of
    /// `total`) as a count; percentages round up for the surge and down for
    /// unavailability (`GetScaledValueFromIntOrPercent`). nil when malformed.
    static func scaled(_ value: JSONValue, total: Int64, roundUp: Bool) -> Int64? {
        if let number = value.int64Value { return number }
        guard let text = value.stringValue, text.hasSuffix("%"), let percent = Int64(text.dropLast()) else { return nil }
        let product = percent * total
        return roundUp ? (product + 99) / 100 : product / 100
    }

    /// `ResolveFenceposts`: the surge and unavailability a Deployment allows;
    /// both zero would let nothing move, so unavailability becomes 1.
    static func fenceposts(_ deployment: JSONValue) -> (surge: Int64, unavailable: Int64) {
        let desired = replicas(deployment)
        let rolling = deployment["spec"]["strategy"]["rollingUpdate"]
        let surge = scaled(rolling["maxSurge"].isNull ? "25%" : rolling["maxSurge"], total: desired, roundUp: true) ?? 0
        let unavailable =
            scaled(rolling["maxUnavailable"].isNull ? "25%" : rolling["maxUnavailable"], total: desired, roundUp: false) ?? 0
        if surge == 0 && unavailable == 0 { return (0, 1) }
        return (surge, unavailable)
    }

    static func isRecreate(_ deployment: JSONValue) -> Bool {
        deployment["spec"]["strategy"]["type"].stringValue == "Recreate"
    }

    /// `MaxSurge`: 0 for Recreate.
    static func maxSurge(_ deployment: JSONValue) -> Int64 {
        isRecreate(deployment) ? 0 : fenceposts(deployment).surge
    }

    /// `MaxUnavailable`: 0 for Recreate or no replicas, never more than the replicas.
    static func maxUnavailable(_ deployment: JSONValue) -> Int64 {
        let desired = replicas(deployment)
        guard !isRecreate(deployment), desired > 0 else { return 0 }
        return min(fenceposts(deployment).unavailable, desired)
    }

    static func replicas(_ object: JSONValue) -> Int64 {
        object["spec"]["replicas"].int64Value ?? 1
    }

    /// `NewRSNewReplicas` for RollingUpdate: the new ReplicaSet grows while
    /// the pods of all ReplicaSets stay within replicas + surge.
    /// `current` counts each ReplicaSet's pods (its replicas, or its live pods
    /// when more are still there).
    static func newReplicaSetReplicas(desired: Int64, surge: Int64, currentTotal: Int64, newReplicas: Int64) -> Int64 {
        let maxTotal = desired + surge
        guard currentTotal < maxTotal else { return newReplicas }
        let scaleUp = min(maxTotal - currentTotal, desired - newReplicas)
        return newReplicas + max(0, scaleUp)
    }

    /// How many old pods may go now (`reconcileOldReplicaSets`): everything
    /// above `minAvailable`, minus the new pods not yet available (they may
    /// never become so, and must not be counted on).
    static func maxScaledDown(allPods: Int64, desired: Int64, unavailable: Int64, newUnavailable: Int64) -> Int64 {
        allPods - (desired - unavailable) - newUnavailable
    }

    /// An active ReplicaSet as proportional scaling sees it.
    struct Share: Equatable {
        var id: String
        var replicas: Int64
        /// `deployment.kubernetes.io/max-replicas` when it was last sized.
        var maxBefore: Int64?
    }

    /// `dc.scale` for a RollingUpdate with several active ReplicaSets: the
    /// change of `replicas + maxSurge` shared in proportion to each one's
    /// size (`GetProportion`), the largest first (ties: newest first growing,
    /// oldest first shrinking), the rounding leftover to the first.
    /// `shares` are oldest first; `statusReplicas` stands in for a missing annotation.
    static func proportionalSizes(_ shares: [Share], desired: Int64, surge: Int64, statusReplicas: Int64) -> [String: Int64] {
        let allowed = desired > 0 ? desired + surge : 0
        let toAdd = allowed - shares.reduce(0) { $0 + $1.replicas }
        var sizes = Dictionary(uniqueKeysWithValues: shares.map { ($0.id, $0.replicas) })
        guard toAdd != 0 else { return sizes }
        let ordered = shares.enumerated().sorted { a, b in
            if a.element.replicas != b.element.replicas { return a.element.replicas > b.element.replicas }
            return toAdd > 0 ? a.offset > b.offset : a.offset < b.offset
        }.map(\.element)
        var added: Int64 = 0
        for share in ordered {
            let proportion = self.proportion(share, toAdd: toAdd, added: added, desired: desired, surge: surge,
                statusReplicas: statusReplicas)
            sizes[share.id] = share.replicas + proportion
            added += proportion
        }
        if let first = ordered.first {
            sizes[first.id] = max(0, (sizes[first.id] ?? 0) + toAdd - added)
        }
        return sizes
    }

    private static func proportion(
        _ share: Share, toAdd: Int64, added: Int64, desired: Int64, surge: Int64, statusReplicas: Int64
    ) -> Int64 {
        guard share.replicas > 0, toAdd != added else { return 0 }
        let fraction: Int64
        if desired == 0 {
            fraction = -share.replicas
        } else {
            let before = (share.maxBefore ?? 0) > 0 ? (share.maxBefore ?? 0) : statusReplicas
            guard before > 0 else { return 0 }
            // math.Round: halves away from zero.
            let scaled = (Double(share.replicas * (desired + surge)) / Double(before)).rounded(.toNearestOrAwayFromZero)
            fraction = Int64(scaled) - share.replicas
        }
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }
}
