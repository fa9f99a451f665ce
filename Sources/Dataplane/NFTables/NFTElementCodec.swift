import NodeRuntime

/// Encodes keys and data the way nft lays concatenations out in registers:
/// every field starts on a 4-byte boundary; addresses and ports in network
/// order; `numgen` values in host order (they are computed, not read from
/// the packet).
package enum NFTElementCodec {
    /// `ip daddr . meta l4proto . th dport`
    package static func serviceKey(_ ip: IPv4Address, _ proto: L4Protocol, _ port: UInt16) -> [UInt8] {
        ip.bytes + protoField(proto) + portField(port)
    }

    /// `ip daddr . meta l4proto . th dport . numgen` (the endpoint slot)
    package static func serviceSlotKey(_ ip: IPv4Address, _ proto: L4Protocol, _ port: UInt16, slot: Int) -> [UInt8] {
        serviceKey(ip, proto, port) + slotField(slot)
    }

    /// `meta l4proto . th dport`
    package static func nodePortKey(_ proto: L4Protocol, _ port: UInt16) -> [UInt8] {
        protoField(proto) + portField(port)
    }

    /// `meta l4proto . th dport . numgen`
    package static func nodePortSlotKey(_ proto: L4Protocol, _ port: UInt16, slot: Int) -> [UInt8] {
        nodePortKey(proto, port) + slotField(slot)
    }

    /// The map data `ip daddr . th dport` that `dnat ip to` takes.
    package static func backendData(_ backend: BackendAddress) -> [UInt8] {
        backend.ip.bytes + portField(backend.port)
    }

    /// `ip saddr . ip daddr` with both the same address: the hairpin pair.
    package static func hairpinKey(_ ip: IPv4Address) -> [UInt8] {
        ip.bytes + ip.bytes
    }

    /// The destination part (`ip daddr . meta l4proto . th dport`) of an
    /// affinity key (`ip saddr . ip daddr . meta l4proto . th dport`).
    package static func affinityDestination(ofKey key: [UInt8]) -> ArraySlice<UInt8>? {
        key.count == 16 ? key[4..<16] : nil
    }

    private static func protoField(_ proto: L4Protocol) -> [UInt8] {
        [proto.number, 0, 0, 0]
    }

    private static func portField(_ port: UInt16) -> [UInt8] {
        [UInt8(port >> 8), UInt8(port & 0xff), 0, 0]
    }

    private static func slotField(_ slot: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: slot)) { Array($0) }
    }
}
