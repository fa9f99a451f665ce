import NodeRuntime
import Testing

/// Addresses, CIDRs and the node network layout: the parts of IPAM with no disk.
extension IPAMTests {
    @Test func parsesAndPrintsAddresses() throws {
        let address = try IPv4Address(parsing: "10.42.0.5")
        #expect(address.value == 0x0A2A_0005)
        #expect(address.description == "10.42.0.5")
        #expect(address.bytes == [10, 42, 0, 5])
        #expect(address == IPv4Address(10, 42, 0, 5))
        #expect(try IPv4Address(parsing: "0.0.0.0").value == 0)
        #expect(try IPv4Address(parsing: "255.255.255.255").value == UInt32.max)
        #expect(IPv4Address(10, 42, 0, 5) < IPv4Address(10, 42, 1, 0))
    }

    static let badAddresses: [(String, String)] = [
        ("", #"gateway "": expected four dot-separated decimal octets, e.g. 10.42.0.5"#),
        ("10.42.0", #"gateway "10.42.0": expected four dot-separated decimal octets, e.g. 10.42.0.5"#),
        ("10.42.0.5.1", #"gateway "10.42.0.5.1": expected four dot-separated decimal octets, e.g. 10.42.0.5"#),
        ("10.42.0.256", #"gateway "10.42.0.256": octet "256" must be 0...255"#),
        ("10..0.5", #"gateway "10..0.5": octet "" is not a decimal number 0...255"#),
        ("10.42.0.x", #"gateway "10.42.0.x": octet "x" is not a decimal number 0...255"#),
        ("10.42.0.+5", #"gateway "10.42.0.+5": octet "+5" is not a decimal number 0...255"#),
        ("10.042.0.5", #"gateway "10.042.0.5": octet "042" has a leading zero (ambiguous: octal or decimal)"#),
    ]

    @Test(arguments: badAddresses)
    func rejectsBadAddresses(text: String, message: String) {
        #expect(throws: RuntimeError(message)) { try IPv4Address(parsing: text, field: "gateway") }
    }

    @Test func parsesCIDRs() throws {
        let cluster = try IPv4Network(parsing: "10.42.0.0/16")
        #expect(cluster.network == IPv4Address(10, 42, 0, 0))
        #expect(cluster.prefixLength == 16)
        #expect(cluster.description == "10.42.0.0/16")
        #expect(cluster.mask == 0xFFFF_0000)
        #expect(cluster.size == 65536)
        #expect(cluster.broadcast == IPv4Address(10, 42, 255, 255))
        #expect(cluster.firstHost == IPv4Address(10, 42, 0, 1))
        #expect(cluster.lastHost == IPv4Address(10, 42, 255, 254))
        #expect(cluster.contains(IPv4Address(10, 42, 0, 0)))
        #expect(cluster.contains(IPv4Address(10, 42, 255, 255)))
        #expect(!cluster.contains(IPv4Address(10, 43, 0, 0)))
        #expect(!cluster.contains(IPv4Address(10, 41, 255, 255)))
        #expect(cluster.contains(try IPv4Network(parsing: "10.42.7.0/24")))
        #expect(!cluster.contains(try IPv4Network(parsing: "10.0.0.0/8")))
        #expect(cluster.overlaps(try IPv4Network(parsing: "10.0.0.0/8")))
        #expect(!cluster.overlaps(try IPv4Network(parsing: "10.43.0.0/16")))

        let everything = try IPv4Network(parsing: "0.0.0.0/0")
        #expect(everything.size == 1 << 32)
        #expect(everything.contains(IPv4Address(UInt32.max)))
        let pair = try IPv4Network(parsing: "10.0.0.2/31")
        #expect(pair.firstHost == IPv4Address(10, 0, 0, 2) && pair.lastHost == IPv4Address(10, 0, 0, 3))
        let single = try IPv4Network(parsing: "10.0.0.9/32")
        #expect(single.firstHost == single.lastHost && single.broadcast == IPv4Address(10, 0, 0, 9))
    }

    static let badCIDRs: [(String, String)] = [
        ("10.42.0.0/33", #"cluster CIDR "10.42.0.0/33": prefix length must be 0...32"#),
        ("10.42.0.0/-1", #"cluster CIDR "10.42.0.0/-1": prefix length must be 0...32"#),
        ("10.42.0.0/", #"cluster CIDR "10.42.0.0/": prefix length must be 0...32"#),
        ("10.42.0.0/016", #"cluster CIDR "10.42.0.0/016": prefix length must be 0...32"#),
        ("10.42.0.0", #"cluster CIDR "10.42.0.0": expected address/prefix-length, e.g. 10.42.0.0/16"#),
        ("10.42.0.0/16/8", #"cluster CIDR "10.42.0.0/16/8": expected address/prefix-length, e.g. 10.42.0.0/16"#),
        ("10.42.0.300/16", #"cluster CIDR "10.42.0.300/16": octet "300" must be 0...255"#),
        ("10.42.0.5/16", #"cluster CIDR "10.42.0.5/16": host bits are set; the network is 10.42.0.0/16"#),
    ]

    @Test(arguments: badCIDRs)
    func rejectsBadCIDRs(text: String, message: String) {
        #expect(throws: RuntimeError(message)) { try NetworkConfig(clusterCIDR: text) }
    }

    @Test func defaultsMatchK3s() throws {
        let config = NetworkConfig.default
        #expect(try NetworkConfig() == config)
        #expect(config.clusterCIDR.description == "10.42.0.0/16")
        #expect(config.serviceCIDR.description == "10.43.0.0/16")
        #expect(config.nodeSubnetPrefixLength == 24)
        #expect(config.bridgeName == "skiff0")
    }

    @Test func choosesNodeSubnetsOf24() throws {
        let config = NetworkConfig.default
        #expect(config.nodeSubnetCount == 256)
        #expect(try config.nodeSubnet(index: 0).description == "10.42.0.0/24")
        #expect(try config.nodeSubnet(index: 1).description == "10.42.1.0/24")
        #expect(try config.nodeSubnet(index: 255).description == "10.42.255.0/24")
        #expect(config.gateway(of: try config.nodeSubnet(index: 0)).description == "10.42.0.1")
        #expect(config.gateway(of: try config.nodeSubnet(index: 1)).description == "10.42.1.1")
        #expect(throws: RuntimeError("node index 256: cluster CIDR 10.42.0.0/16 holds 256 /24 node subnets (index 0...255)")) {
            try config.nodeSubnet(index: 256)
        }
        #expect(throws: RuntimeError("node index -1: cluster CIDR 10.42.0.0/16 holds 256 /24 node subnets (index 0...255)")) {
            try config.nodeSubnet(index: -1)
        }
    }

    @Test func choosesNodeSubnetsOf22ForAThousandPods() async throws {
        let config = try NetworkConfig(nodeSubnetPrefixLength: 22)
        #expect(config.nodeSubnetCount == 64)
        let first = try config.nodeSubnet(index: 0)
        #expect(first.description == "10.42.0.0/22")
        #expect(try config.nodeSubnet(index: 1).description == "10.42.4.0/22")
        #expect(try config.nodeSubnet(index: 63).description == "10.42.252.0/22")
        #expect(config.gateway(of: first).description == "10.42.0.1")
        #expect(first.lastHost.description == "10.42.3.254")
        try await withIPAMTestDirectory { directory in
            let ipam = try PodIPAM(directory: directory, subnet: first, gateway: config.gateway(of: first))
            #expect(ipam.capacity == 1021)
        }
    }

    @Test func subnetsACIDRByIndex() throws {
        let cluster = try IPv4Network(parsing: "10.42.0.0/16")
        #expect(try cluster.subnet(3, prefixLength: 28).description == "10.42.0.48/28")
        #expect(try cluster.subnet(0, prefixLength: 16) == cluster)
        #expect(cluster.subnetCount(prefixLength: 32) == 65536)
        #expect(cluster.subnetCount(prefixLength: 8) == 0)
        #expect(throws: RuntimeError("subnet prefix length 8: must be 16...32 to fit in 10.42.0.0/16")) {
            try cluster.subnet(0, prefixLength: 8)
        }
        #expect(throws: RuntimeError("subnet index 4: 10.42.0.0/16 holds 4 /18 subnets (index 0...3)")) {
            try cluster.subnet(4, prefixLength: 18)
        }
        #expect(try IPv4Network(parsing: "0.0.0.0/0").subnet(4_294_967_295, prefixLength: 32).description == "255.255.255.255/32")
    }

    static let badConfigs: [(@Sendable () throws -> NetworkConfig, String)] = [
        ({ try NetworkConfig(nodeSubnetPrefixLength: 29) }, "node subnet prefix length 29: must be 16...28"),
        ({ try NetworkConfig(nodeSubnetPrefixLength: 15) }, "node subnet prefix length 15: must be 16...28"),
        (
            { try NetworkConfig(clusterCIDR: "10.42.0.0/20", nodeSubnetPrefixLength: 18) },
            "node subnet prefix length 18: a /18 node subnet does not fit in cluster CIDR 10.42.0.0/20"
        ),
        ({ try NetworkConfig(serviceCIDR: "10.42.128.0/17") }, #"service CIDR "10.42.128.0/17": overlaps cluster CIDR 10.42.0.0/16"#),
        ({ try NetworkConfig(serviceCIDR: "10.0.0.0/8") }, #"service CIDR "10.0.0.0/8": overlaps cluster CIDR 10.42.0.0/16"#),
        ({ try NetworkConfig(serviceCIDR: "10.43.0.0/33") }, #"service CIDR "10.43.0.0/33": prefix length must be 0...32"#),
        ({ try NetworkConfig(bridgeName: "") }, #"bridge name "": must be 1...15 bytes long"#),
        ({ try NetworkConfig(bridgeName: "skiff-bridge-0001") }, #"bridge name "skiff-bridge-0001": must be 1...15 bytes long"#),
        (
            { try NetworkConfig(bridgeName: "skiff/0") },
            #"bridge name "skiff/0": must not be "." or ".." or contain "/", ":", whitespace or control characters"#
        ),
    ]

    @Test func rejectsBadLayouts() {
        for (make, message) in Self.badConfigs {
            #expect(throws: RuntimeError(message)) { try make() }
        }
        #expect(throws: Never.self) { try NetworkConfig(clusterCIDR: "10.42.0.0/20", nodeSubnetPrefixLength: 20) }
    }
}
