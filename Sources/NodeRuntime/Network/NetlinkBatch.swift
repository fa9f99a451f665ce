import CShims

/// Changes queued on one netlink socket and sent together in a single
/// sendmsg by `NetlinkHandle.batch`. The kernel applies them in order and
/// ACKs each; the first refused one is reported by its description, e.g.
/// `RTM_NEWADDR 10.244.0.2/24 dev eth0: EEXIST`.
package struct NetlinkBatch: ~Copyable {
    private let raw: OpaquePointer
    /// One description per queued message, indexed like the kernel's ACKs.
    private(set) var steps: [String] = []

    init(raw: OpaquePointer) {
        self.raw = raw
    }

    /// Creates a bridge; EEXIST when any link already has the name.
    package mutating func addBridge(name: String, mtu: UInt32? = nil) throws {
        try NetlinkInterfaceName.validate(name)
        try queue("RTM_NEWLINK bridge \(name)", skiff_nl_link_add_bridge(raw, name, mtu ?? 0))
    }

    /// Creates a veth pair, the peer directly inside its namespace.
    package mutating func addVeth(_ pair: VethPair) throws {
        try NetlinkInterfaceName.validate(pair.name)
        try NetlinkInterfaceName.validate(pair.peerName)
        let master = try pair.master.map { try Self.requireIndex($0, for: "enslaving veth \(pair.name)") } ?? 0
        let step = "RTM_NEWLINK veth \(pair.name) peer \(pair.peerName)"
            + (pair.peerNamespace.map { " in netns \($0.path)" } ?? "")
        let rc = pair.name.withCString { name in
            pair.peerName.withCString { peerName in
                var veth = skiff_nl_veth(
                    name: name, peer_name: peerName, peer_netns_fd: pair.peerNamespace?.fd ?? -1,
                    mtu: pair.mtu ?? 0, master_index: master, up: pair.up ? 1 : 0, peer_up: pair.peerUp ? 1 : 0)
                return skiff_nl_link_add_veth(raw, &veth)
            }
        }
        try queue(step, rc)
    }

    package mutating func setUp(_ link: NetlinkLinkReference, _ up: Bool = true) throws {
        try Self.validate(link)
        try queue("RTM_NEWLINK \(link) \(up ? "up" : "down")", skiff_nl_link_set_up(raw, link.index, link.name, up ? 1 : 0))
    }

    package mutating func setMTU(_ mtu: UInt32, of link: NetlinkLinkReference) throws {
        try Self.validate(link)
        try queue("RTM_NEWLINK \(link) mtu \(mtu)", skiff_nl_link_set_mtu(raw, link.index, link.name, mtu))
    }

    /// Enslaves `link` to `bridge`, or releases it when `bridge` is nil.
    package mutating func setMaster(of link: NetlinkLinkReference, to bridge: NetlinkLinkReference?) throws {
        try Self.validate(link)
        let master = try bridge.map { try Self.requireIndex($0, for: "enslaving \(link)") } ?? 0
        let step = "RTM_NEWLINK \(link) " + (bridge.map { "master \($0)" } ?? "nomaster")
        try queue(step, skiff_nl_link_set_master(raw, link.index, link.name, master))
    }

    /// Lets frames leave a bridge port by the port they came in (hairpin).
    package mutating func setHairpin(_ link: NetlinkLinkReference, _ on: Bool) throws {
        try Self.validate(link)
        try queue("RTM_NEWLINK \(link) bridge_slave hairpin \(on ? "on" : "off")", skiff_nl_link_set_hairpin(raw, link.index, link.name, on ? 1 : 0))
    }

    /// Renames a link; the kernel refuses while it is up (EBUSY).
    package mutating func rename(_ link: NetlinkLinkReference, to newName: String) throws {
        try NetlinkInterfaceName.validate(newName)
        let index = try Self.requireIndex(link, for: "renaming")
        try queue("RTM_NEWLINK \(link) name \(newName)", skiff_nl_link_rename(raw, index, newName))
    }

    /// Deletes a link; for a veth, both ends go.
    package mutating func deleteLink(_ link: NetlinkLinkReference) throws {
        try Self.validate(link)
        try queue("RTM_DELLINK \(link)", skiff_nl_link_delete(raw, link.index, link.name))
    }

    /// Assigns `address` to `link` with the prefix length of `network` and
    /// its broadcast address (none for /31 and /32); EEXIST when present.
    package mutating func addAddress(_ address: IPv4Address, in network: IPv4Network, to link: NetlinkLinkReference) throws {
        let step = "RTM_NEWADDR \(address)/\(network.prefixLength) dev \(link)"
        let index = try Self.requireIndex(link, for: step)
        try Self.requireMember(address, of: network, for: step)
        let broadcast = network.prefixLength >= 31 ? 0 : network.broadcast.netlinkValue
        try queue(step, skiff_nl_addr_add(raw, index, address.netlinkValue, UInt8(network.prefixLength), broadcast))
    }

    package mutating func deleteAddress(_ address: IPv4Address, in network: IPv4Network, from link: NetlinkLinkReference) throws {
        let step = "RTM_DELADDR \(address)/\(network.prefixLength) dev \(link)"
        let index = try Self.requireIndex(link, for: step)
        try Self.requireMember(address, of: network, for: step)
        try queue(step, skiff_nl_addr_delete(raw, index, address.netlinkValue, UInt8(network.prefixLength)))
    }

    /// The default route through `gateway`, out of `link` when given.
    package mutating func addDefaultRoute(via gateway: IPv4Address, dev link: NetlinkLinkReference? = nil) throws {
        try addRoute(to: nil, via: gateway, dev: link)
    }

    /// A directly connected route to `network` out of `link`.
    package mutating func addRoute(to network: IPv4Network, dev link: NetlinkLinkReference) throws {
        try addRoute(to: network, via: nil, dev: link)
    }

    /// Adds a main-table route to `network` (nil: the default route), through
    /// `gateway` and/or out of `link`; at least one of the two is required.
    package mutating func addRoute(to network: IPv4Network?, via gateway: IPv4Address?, dev link: NetlinkLinkReference?) throws {
        try routeMessage("RTM_NEWROUTE", network, gateway, link, skiff_nl_route_add)
    }

    /// Deletes the main-table route matching what is given.
    package mutating func deleteRoute(to network: IPv4Network?, via gateway: IPv4Address? = nil, dev link: NetlinkLinkReference? = nil) throws {
        try routeMessage("RTM_DELROUTE", network, gateway, link, skiff_nl_route_delete)
    }

    private mutating func routeMessage(
        _ type: String, _ network: IPv4Network?, _ gateway: IPv4Address?, _ link: NetlinkLinkReference?,
        _ build: (OpaquePointer?, UInt32, UInt8, UInt32, Int32) -> Int32
    ) throws {
        let step = "\(type) \(network.map(\.description) ?? "default")" + (gateway.map { " via \($0)" } ?? "")
            + (link.map { " dev \($0)" } ?? "")
        guard gateway != nil || link != nil else { throw RuntimeError("\(step): a route needs a gateway or a device") }
        let oif = try link.map { try Self.requireIndex($0, for: step) } ?? 0
        let rc = build(raw, network?.network.netlinkValue ?? 0, UInt8(network?.prefixLength ?? 0), gateway?.netlinkValue ?? 0, oif)
        try queue(step, rc)
    }

    /// Records a queued message, or turns the shim's refusal into an error.
    private mutating func queue(_ step: String, _ rc: Int32) throws {
        guard rc == 0 else { throw SystemError("queue \(step)", errno: -rc) }
        steps.append(step)
    }

    /// Sends everything queued and waits for every ACK.
    mutating func commit(context: String) throws {
        defer { steps.removeAll() }
        var error = skiff_nl_error()
        if skiff_nl_commit(raw, &error) != 0 {
            throw SystemError(netlink: error, steps: steps, context: context)
        }
    }

    /// Drops what was queued (the caller's batch body failed).
    mutating func discard() {
        skiff_nl_discard(raw)
        steps.removeAll()
    }

    private static func validate(_ link: NetlinkLinkReference) throws {
        if link.index <= 0 { try NetlinkInterfaceName.validate(link.name) }
    }

    private static func requireMember(_ address: IPv4Address, of network: IPv4Network, for step: String) throws {
        guard network.contains(address) else { throw RuntimeError("\(step): \(address) is not in \(network)") }
    }

    private static func requireIndex(_ link: NetlinkLinkReference, for purpose: String) throws -> Int32 {
        guard link.index > 0 else {
            throw RuntimeError("\(purpose): the ifindex of \(link.name) is needed; look the link up first")
        }
        return link.index
    }
}
