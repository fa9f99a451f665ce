import Glibc

extension NetlinkHandle {
    /// Makes sure bridge `name` exists, is up and carries `address` in
    /// `network` (the pod subnet's gateway), creating what is missing. Safe to
    /// repeat, e.g. on every daemon start: EEXIST from the kernel is checked,
    /// not trusted — a link of that name that is not a bridge is an error, not
    /// something to enslave pods to.
    /// - Returns: the bridge as it stands afterwards.
    @discardableResult
    package func ensureBridge(name: String, mtu: UInt32? = nil, address: IPv4Address? = nil, in network: IPv4Network? = nil)
        throws -> NetlinkLink
    {
        do {
            try addBridge(name: name, mtu: mtu)
        } catch let error as SystemError where error.errno == EEXIST {
            let existing = try link(NetlinkLinkReference(name: name))
            guard existing.kind == "bridge" else {
                throw RuntimeError(
                    "link \(name) exists in \(context) but is \(existing.kind.isEmpty ? "a device" : "a \(existing.kind)"), not a bridge")
            }
            if let mtu, existing.mtu != mtu { try setMTU(mtu, of: NetlinkLinkReference(existing)) }
        }
        let bridge = try link(NetlinkLinkReference(name: name))
        let reference = NetlinkLinkReference(bridge)
        if let address {
            guard let network else { throw RuntimeError("bridge \(name): address \(address) needs its network") }
            do {
                try addAddress(address, in: network, to: reference)
            } catch let error as SystemError where error.errno == EEXIST {
                let present = try addresses().contains {
                    $0.linkIndex == bridge.index && $0.address == address && $0.network == network
                }
                guard present else { throw error }
            }
        }
        if !bridge.isUp { try setUp(reference) }
        return try link(reference)
    }
}
