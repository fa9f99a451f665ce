import CShims
import Glibc
import Synchronization

/// An rtnetlink connection to one network namespace. A netlink socket
/// speaks for the namespace it was created in, so the socket is created once
/// on a short-lived thread inside that namespace and then reused from any
/// thread: open one handle per namespace (node, each pod) and keep it.
/// Requests are serialised by a lock; each batch is one sendmsg.
package final class NetlinkHandle: Sendable {
    /// nil when the handle was opened in the caller's own namespace.
    package let namespace: NetworkNamespace?
    private let socket: Mutex<NetlinkSocket>

    /// Opens a handle in the namespace at `netnsPath` (`/run/netns/x`, a
    /// pod's nsfs bind mount), or in the calling thread's namespace when nil.
    package convenience init(netnsPath: String?) throws {
        try self.init(namespace: netnsPath.map { try NetworkNamespace(path: $0) })
    }

    package init(namespace: NetworkNamespace?) throws {
        self.namespace = namespace
        socket = Mutex(try NetlinkSocket(netnsFD: namespace?.fd, context: Self.context(of: namespace)))
    }

    /// Where requests go, for error messages.
    package var context: String { Self.context(of: namespace) }

    private static func context(of namespace: NetworkNamespace?) -> String {
        namespace.map { "netns \($0.path)" } ?? "current netns"
    }

    /// Queues the changes `body` makes and sends them in one sendmsg; throws
    /// the first refused one. Nothing is sent when `body` throws. Not atomic:
    /// the kernel goes on after a refused message, so the others still apply.
    package func batch(_ body: (inout NetlinkBatch) throws -> Void) throws {
        let context = self.context
        try socket.withLock { (socket: inout NetlinkSocket) throws -> Void in
            var batch = NetlinkBatch(raw: socket.raw)
            do {
                try body(&batch)
            } catch {
                batch.discard()
                throw error
            }
            try batch.commit(context: context)
        }
    }

    // MARK: Single changes (one message each)

    package func addBridge(name: String, mtu: UInt32? = nil) throws {
        try batch { try $0.addBridge(name: name, mtu: mtu) }
    }

    package func addVeth(_ pair: VethPair) throws {
        try batch { try $0.addVeth(pair) }
    }

    package func setUp(_ link: NetlinkLinkReference, _ up: Bool = true) throws {
        try batch { try $0.setUp(link, up) }
    }

    package func setMTU(_ mtu: UInt32, of link: NetlinkLinkReference) throws {
        try batch { try $0.setMTU(mtu, of: link) }
    }

    /// Enslaves `link` to the bridge named `bridge` (nil releases it).
    package func setMaster(of link: NetlinkLinkReference, to bridge: NetlinkLinkReference?) throws {
        let bridge = try bridge.map(resolve)
        try batch { try $0.setMaster(of: link, to: bridge) }
    }

    package func setHairpin(_ link: NetlinkLinkReference, _ on: Bool) throws {
        try batch { try $0.setHairpin(link, on) }
    }

    package func rename(_ link: NetlinkLinkReference, to newName: String) throws {
        let link = try resolve(link)
        try batch { try $0.rename(link, to: newName) }
    }

    package func deleteLink(_ link: NetlinkLinkReference) throws {
        try batch { try $0.deleteLink(link) }
    }

    package func addAddress(_ address: IPv4Address, in network: IPv4Network, to link: NetlinkLinkReference) throws {
        let link = try resolve(link)
        try batch { try $0.addAddress(address, in: network, to: link) }
    }

    package func deleteAddress(_ address: IPv4Address, in network: IPv4Network, from link: NetlinkLinkReference) throws {
        let link = try resolve(link)
        try batch { try $0.deleteAddress(address, in: network, from: link) }
    }

    package func addDefaultRoute(via gateway: IPv4Address, dev link: NetlinkLinkReference? = nil) throws {
        let link = try link.map(resolve)
        try batch { try $0.addDefaultRoute(via: gateway, dev: link) }
    }

    package func addRoute(to network: IPv4Network, dev link: NetlinkLinkReference) throws {
        let link = try resolve(link)
        try batch { try $0.addRoute(to: network, dev: link) }
    }

    package func deleteRoute(to network: IPv4Network?, via gateway: IPv4Address? = nil, dev link: NetlinkLinkReference? = nil) throws {
        let link = try link.map(resolve)
        try batch { try $0.deleteRoute(to: network, via: gateway, dev: link) }
    }

    // MARK: Queries

    /// The link with this name (or index); ENODEV naming it when absent.
    package func link(_ link: NetlinkLinkReference) throws -> NetlinkLink {
        if link.index <= 0 { try NetlinkInterfaceName.validate(link.name) }
        let context = self.context
        return try socket.withLock { (socket: inout NetlinkSocket) throws -> NetlinkLink in
            var raw = skiff_nl_link()
            var error = skiff_nl_error()
            guard skiff_nl_link_get(socket.raw, link.index, link.name, &raw, &error) == 0 else {
                throw SystemError(netlink: error, steps: ["RTM_GETLINK \(link)"], context: context)
            }
            return NetlinkLink(raw)
        }
    }

    /// The ifindex of the link named `name`.
    package func linkIndex(named name: String) throws -> Int32 {
        try link(NetlinkLinkReference(name: name)).index
    }

    /// The reference with its index filled in (one RTM_GETLINK when missing).
    package func resolve(_ link: NetlinkLinkReference) throws -> NetlinkLinkReference {
        link.index > 0 ? link : NetlinkLinkReference(name: link.name, index: try linkIndex(named: link.name))
    }

    /// Every link in the namespace.
    package func links() throws -> [NetlinkLink] {
        try dump("RTM_GETLINK", skiff_nl_link_list).map(NetlinkLink.init)
    }

    /// Every IPv4 address in the namespace.
    package func addresses() throws -> [NetlinkAddress] {
        try dump("RTM_GETADDR", skiff_nl_addr_list).compactMap(NetlinkAddress.init)
    }

    /// IPv4 routes of `table` (main by default; nil for every table).
    package func routes(table: UInt32? = NetlinkRoute.mainTable) throws -> [NetlinkRoute] {
        try dump("RTM_GETROUTE", skiff_nl_route_list).compactMap(NetlinkRoute.init)
            .filter { table == nil || $0.table == table }
    }

    private func dump<Entry: Sendable>(
        _ type: String,
        _ list: (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?, UnsafeMutablePointer<Int>?,
            UnsafeMutablePointer<skiff_nl_error>?) -> Int32
    ) throws -> [Entry] {
        let context = self.context
        return try socket.withLock { (socket: inout NetlinkSocket) throws -> [Entry] in
            var entries: UnsafeMutablePointer<Entry>?
            var count = 0
            var error = skiff_nl_error()
            guard list(socket.raw, &entries, &count, &error) == 0 else {
                throw SystemError(netlink: error, steps: ["\(type) dump"], context: context)
            }
            defer { free(entries) }
            guard let entries else { return [] }
            return Array(UnsafeBufferPointer(start: entries, count: count))
        }
    }
}
