/// An IPv4 network in CIDR form (`10.42.0.0/16`): a network address whose
/// host bits are all zero, and a prefix length.
///
/// Host bits must be clear when parsing: `10.42.0.5/16` is refused rather than
/// silently read as `10.42.0.0/16`, because in a config file it is almost
/// always a typo for a different network, and a wrong cluster CIDR only shows
/// up later as pods that cannot reach each other.
package struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the network (host bits zero).
    package let network: IPv4Address
    /// 0...32.
    package let prefixLength: Int

    /// - Parameter field: what the network is (`cluster CIDR`), for the error.
    package init(network: IPv4Address, prefixLength: Int, field: String = "IPv4 network") throws {
        guard (0...32).contains(prefixLength) else {
            throw RuntimeError("\(field) \"\(network)/\(prefixLength)\": prefix length must be 0...32")
        }
        let mask = Self.mask(prefixLength: prefixLength)
        guard network.value & ~mask == 0 else {
            throw RuntimeError(
                "\(field) \"\(network)/\(prefixLength)\": host bits are set; the network is \(IPv4Address(network.value & mask))/\(prefixLength)")
        }
        self.network = network
        self.prefixLength = prefixLength
    }

    /// For constants in code (defaults), which are not input: host bits are
    /// cleared and the prefix length must already be 0...32.
    init(unchecked network: IPv4Address, prefixLength: Int) {
        precondition((0...32).contains(prefixLength), "prefix length \(prefixLength) outside 0...32")
        self.network = IPv4Address(network.value & Self.mask(prefixLength: prefixLength))
        self.prefixLength = prefixLength
    }

    /// Parses `10.42.0.0/16`. Errors quote the whole text and name `field`, e.g.
    /// `cluster CIDR "10.42.0.0/33": prefix length must be 0...32`.
    package init(parsing text: String, field: String = "CIDR") throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw RuntimeError("\(field) \"\(text)\": expected address/prefix-length, e.g. 10.42.0.0/16")
        }
        let address: UInt32
        switch IPv4Address.value(parsing: parts[0]) {
        case .success(let value): address = value
        case .failure(let reason): throw RuntimeError("\(field) \"\(text)\": \(reason.message)")
        }
        let prefix = parts[1]
        guard (1...2).contains(prefix.count), prefix.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              prefix.count == 1 || prefix.first != "0",
              let length = Int(prefix), (0...32).contains(length)
        else {
            throw RuntimeError("\(field) \"\(text)\": prefix length must be 0...32")
        }
        let mask = Self.mask(prefixLength: length)
        guard address & ~mask == 0 else {
            throw RuntimeError(
                "\(field) \"\(text)\": host bits are set; the network is \(IPv4Address(address & mask))/\(length)")
        }
        network = IPv4Address(address)
        prefixLength = length
    }

    /// The netmask as a number: /24 is `0xFFFF_FF00`.
    package var mask: UInt32 { Self.mask(prefixLength: prefixLength) }

    /// How many addresses the network spans, network and broadcast included
    /// (2^32 for /0, hence not a UInt32).
    package var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }

    /// The last address of the network (all host bits set).
    package var broadcast: IPv4Address { IPv4Address(network.value | ~mask) }

    /// The first address a host may use: the one after the network address,
    /// except in /31 and /32 where every address is a host (RFC 3021).
    package var firstHost: IPv4Address {
        prefixLength >= 31 ? network : IPv4Address(network.value + 1)
    }

    /// The last address a host may use: the one before the broadcast address,
    /// except in /31 and /32 where every address is a host (RFC 3021).
    package var lastHost: IPv4Address {
        prefixLength >= 31 ? broadcast : IPv4Address(broadcast.value - 1)
    }

    package func contains(_ address: IPv4Address) -> Bool {
        address.value & mask == network.value
    }

    /// Whether every address of `other` lies in this network.
    package func contains(_ other: IPv4Network) -> Bool {
        other.prefixLength >= prefixLength && contains(other.network)
    }

    /// Whether the two networks share any address. CIDR blocks either nest or
    /// are disjoint, so one containing the other's first address decides it.
    package func overlaps(_ other: IPv4Network) -> Bool {
        contains(other.network) || other.contains(network)
    }

    package var description: String { "\(network)/\(prefixLength)" }

    static func mask(prefixLength: Int) -> UInt32 {
        prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
    }
}
