/// Hardening inputs shared by every container on the node: capability sets
/// and the compiled seccomp programs (compiled once per profile, not per start).
extension SeccompProfile: CompiledSeccompFilter {}

extension CapabilityMasks {
    /// What a root process in a container gets: the set in bounding,
    /// effective and permitted, nothing inheritable or ambient.
    package init(_ set: CapabilitySet) {
        self.init(uniform: set.rawValue)
    }
}
