/// A veth pair to create in one RTM_NEWLINK. The peer is born inside
/// `peerNamespace`, so there is no separate move step, and it may take a name
/// (eth0) that exists in the creating namespace: names are per namespace.
package struct VethPair: Sendable {
    /// The end that stays in the handle's namespace (the host side).
    package var name: String
    /// The other end's name inside `peerNamespace`.
    package var peerName: String
    /// nil keeps the peer in the handle's namespace.
    package var peerNamespace: NetworkNamespace?
    /// Both ends; nil keeps the kernel default (1500).
    package var mtu: UInt32?
    /// Enslave `name` to this bridge at creation (needs the bridge's index).
    package var master: NetlinkLinkReference?
    /// Bring `name` up at creation.
    package var up: Bool
    /// Bring the peer up at creation.
    package var peerUp: Bool

    package init(
        name: String, peerName: String, peerNamespace: NetworkNamespace? = nil, mtu: UInt32? = nil,
        master: NetlinkLinkReference? = nil, up: Bool = false, peerUp: Bool = false
    ) {
        self.name = name
        self.peerName = peerName
        self.peerNamespace = peerNamespace
        self.mtu = mtu
        self.master = master
        self.up = up
        self.peerUp = peerUp
    }
}
