/// Which device nodes a container may open or create, enforced through the
/// v1 devices controller.
///
/// cgroup v2 has no devices files (it needs an eBPF program attached to the
/// cgroup), so on a unified host this policy is not enforced by the cgroup
/// driver; there the mount namespace's minimal /dev is the protection.
package enum DevicePolicy: Sendable, Equatable {
    /// Leave the devices cgroup as inherited (everything the parent allows).
    case unrestricted
    /// Deny everything, then allow exactly these rules.
    case allowList([DeviceRule])

    package static let standardContainer = DevicePolicy.allowList(DeviceRule.standardContainer)
}
