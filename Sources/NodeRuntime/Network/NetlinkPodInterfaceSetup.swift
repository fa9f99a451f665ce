import Glibc

/// One pod's network interface: a veth pair from the node's bridge into the
/// pod netns, addressed in the node's pod subnet.
package struct PodInterfaceSpec: Sendable {
    /// The node-side end, unique in the node netns (e.g. "skv" + a sandbox id prefix).
    package var hostName: String
    /// The pod-side end, created under this name directly in the pod netns.
    package var podName: String
    /// The bridge the host end joins; pass the index when known to save a lookup.
    package var bridge: NetlinkLinkReference
    /// Both ends.
    package var mtu: UInt32
    package var address: IPv4Address
    /// The node's pod subnet, which `address` and `gateway` are in.
    package var network: IPv4Network
    /// The bridge's address: the pod's default gateway.
    package var gateway: IPv4Address

    package init(
        hostName: String, podName: String = "eth0", bridge: NetlinkLinkReference, mtu: UInt32,
        address: IPv4Address, network: IPv4Network, gateway: IPv4Address
    ) {
        self.hostName = hostName
        self.podName = podName
        self.bridge = bridge
        self.mtu = mtu
        self.address = address
        self.network = network
        self.gateway = gateway
    }
}

/// Wires a pod into the node's bridge through rtnetlink, in as few kernel
/// round trips as the messages allow:
///
/// 1. node netns, one RTM_NEWLINK: the veth pair, the peer born in the pod
///    netns under its final name, the host end with MTU, master and up;
/// 2. pod netns, one RTM_GETLINK: the pod end's ifindex (addresses need it);
/// 3. pod netns, one batch: address, pod end up, lo up, default route.
///
/// A failure after step 1 deletes the host end again (taking the pair with
/// it), so a refused pod leaves nothing behind.
package enum PodInterfaceSetup {
    package enum Mode: Sendable {
        /// Step 3 in a single sendmsg (the default: fewest round trips).
        case batched
        /// Step 3 as three requests, each timed, for benchmarks.
        case stepwise
    }

    /// Opens the pod netns at `podNetnsPath` (timed as `podSocket`) and sets
    /// up the interface. Prefer the other overload when the pod handle is
    /// needed again.
    package static func run(
        _ spec: PodInterfaceSpec, node: NetlinkHandle, podNetnsPath: String, mode: Mode = .batched
    ) throws -> PodInterfaceTimings {
        let start = MonotonicClock.nanoseconds()
        let pod = try NetlinkHandle(netnsPath: podNetnsPath)
        let opened = MonotonicClock.nanoseconds()
        var timings = try run(spec, node: node, pod: pod, mode: mode)
        timings.podSocket = opened - start
        timings.total += timings.podSocket
        return timings
    }

    /// Sets up the interface with `pod`, a handle opened on the pod netns.
    package static func run(
        _ spec: PodInterfaceSpec, node: NetlinkHandle, pod: NetlinkHandle, mode: Mode = .batched
    ) throws -> PodInterfaceTimings {
        guard let podNamespace = pod.namespace else {
            throw RuntimeError("pod interface \(spec.hostName): the pod handle must be opened on the pod's netns path")
        }
        try validate(spec)
        var timings = PodInterfaceTimings()
        let start = MonotonicClock.nanoseconds()
        let bridge = try node.resolve(spec.bridge)
        let bridgeResolved = MonotonicClock.nanoseconds()
        try node.addVeth(
            VethPair(
                name: spec.hostName, peerName: spec.podName, peerNamespace: podNamespace, mtu: spec.mtu,
                master: bridge, up: true))
        do {
            // A pod reaching itself through a Service comes back out of its own port.
            try node.setHairpin(NetlinkLinkReference(name: spec.hostName), true)
        } catch {
            try? node.deleteLink(NetlinkLinkReference(name: spec.hostName))
            throw error
        }
        let created = MonotonicClock.nanoseconds()
        timings.veth = created - bridgeResolved
        do {
            let podLink = try pod.resolve(NetlinkLinkReference(name: spec.podName))
            let resolved = MonotonicClock.nanoseconds()
            timings.lookup = (bridgeResolved - start) + (resolved - created)
            try configurePod(spec, link: podLink, pod: pod, mode: mode, timings: &timings)
            timings.podConfig = MonotonicClock.nanoseconds() - resolved
        } catch var error as SystemError {
            try? node.deleteLink(NetlinkLinkReference(name: spec.hostName))
            error.step += " in \(pod.context)"
            throw error
        } catch {
            try? node.deleteLink(NetlinkLinkReference(name: spec.hostName))
            throw error
        }
        timings.total = MonotonicClock.nanoseconds() - start
        return timings
    }

    /// Removes the pod's interface by deleting the host end, which takes the
    /// pod end with it (and with that its address and routes). Idempotent, as
    /// a CNI DEL must be: returns false when the link was already gone.
    @discardableResult
    package static func teardown(hostName: String, node: NetlinkHandle) throws -> Bool {
        do {
            try node.deleteLink(NetlinkLinkReference(name: hostName))
            return true
        } catch let error as SystemError where error.errno == ENODEV {
            return false
        }
    }

    private static func configurePod(
        _ spec: PodInterfaceSpec, link: NetlinkLinkReference, pod: NetlinkHandle, mode: Mode,
        timings: inout PodInterfaceTimings
    ) throws {
        let loopback = NetlinkLinkReference(name: "lo")
        switch mode {
        case .batched:
            try pod.batch { batch in
                try batch.addAddress(spec.address, in: spec.network, to: link)
                try batch.setUp(link)
                try batch.setUp(loopback)
                try batch.addDefaultRoute(via: spec.gateway, dev: link)
            }
        case .stepwise:
            var mark = MonotonicClock.nanoseconds()
            func lap() -> UInt64 {
                let now = MonotonicClock.nanoseconds()
                defer { mark = now }
                return now - mark
            }
            try pod.batch { try $0.addAddress(spec.address, in: spec.network, to: link) }
            timings.address = lap()
            try pod.batch { batch in
                try batch.setUp(link)
                try batch.setUp(loopback)
            }
            timings.linksUp = lap()
            try pod.batch { try $0.addDefaultRoute(via: spec.gateway, dev: link) }
            timings.route = lap()
        }
    }

    private static func validate(_ spec: PodInterfaceSpec) throws {
        try NetlinkInterfaceName.validate(spec.hostName)
        try NetlinkInterfaceName.validate(spec.podName)
        guard spec.network.contains(spec.address), spec.network.contains(spec.gateway) else {
            throw RuntimeError(
                "pod interface \(spec.hostName): address \(spec.address) and gateway \(spec.gateway) must both be in \(spec.network)")
        }
        guard spec.address != spec.gateway else {
            throw RuntimeError("pod interface \(spec.hostName): address \(spec.address) is the gateway's")
        }
    }
}
