import Synchronization

/// Compiled seccomp programs shared by every container with the same policy.
///
/// Compiling the default profile builds ~400 libseccomp rules over three
/// architectures; doing that once per distinct (policy, capabilities) instead
/// of once per container keeps container start cheap. Thread-safe: the first
/// caller for a key compiles under the lock, so concurrent starts of the same
/// profile compile it once.
package final class SeccompProfileCache: Sendable {
    private struct Key: Hashable {
        var policy: SeccompPolicy
        var capabilities: UInt64
    }

    private let profiles = Mutex<[Key: SeccompProfile]>([:])

    /// The node-wide cache.
    package static let shared = SeccompProfileCache()

    package init() {}

    /// The compiled program for `policy` in a container holding `capabilities`.
    /// Custom policies do not depend on capabilities and share one entry.
    package func profile(for policy: SeccompPolicy, capabilities: CapabilitySet) throws -> SeccompProfile {
        let key = Key(
            policy: policy,
            capabilities: policy == .runtimeDefault ? capabilities.rawValue : 0)
        return try profiles.withLock { cache in
            if let profile = cache[key] { return profile }
            let profile = try SeccompProfile.compile(policy, capabilities: capabilities)
            cache[key] = profile
            return profile
        }
    }

    /// Number of distinct programs compiled so far.
    package var count: Int {
        profiles.withLock { $0.count }
    }
}
