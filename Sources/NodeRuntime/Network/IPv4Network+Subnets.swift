/// Carving a network into equal, longer-prefix subnets, the way a cluster CIDR
/// is cut into one pod subnet per node (10.42.0.0/16 → 10.42.0.0/24,
/// 10.42.1.0/24, ...). Subnets are numbered in address order so that node n
/// always gets the same block, whichever order the nodes join in.
extension IPv4Network {
    /// How many /`prefixLength` subnets this network holds; 0 when that prefix
    /// is shorter than this network's or longer than 32.
    package func subnetCount(prefixLength subnetPrefix: Int) -> Int {
        guard (prefixLength...32).contains(subnetPrefix) else { return 0 }
        return 1 << (subnetPrefix - prefixLength)
    }

    /// The `index`-th /`prefixLength` subnet, counting from 0 at this network's
    /// first address: `10.42.0.0/16`, index 1, /24 is `10.42.1.0/24`.
    package func subnet(_ index: Int, prefixLength subnetPrefix: Int) throws -> IPv4Network {
        guard (prefixLength...32).contains(subnetPrefix) else {
            throw RuntimeError("subnet prefix length \(subnetPrefix): must be \(prefixLength)...32 to fit in \(self)")
        }
        let count = subnetCount(prefixLength: subnetPrefix)
        guard index >= 0, index < count else {
            throw RuntimeError("subnet index \(index): \(self) holds \(count) /\(subnetPrefix) subnets (index 0...\(count - 1))")
        }
        // index < 2^(subnetPrefix - prefixLength), so the shifted value stays
        // inside the host bits of this network and cannot overflow.
        let offset = UInt64(index) << UInt64(32 - subnetPrefix)
        return try IPv4Network(
            network: IPv4Address(network.value | UInt32(truncatingIfNeeded: offset)), prefixLength: subnetPrefix)
    }
}
