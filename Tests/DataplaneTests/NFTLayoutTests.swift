import Dataplane
import NodeRuntime
import Testing

/// The element layout the kernel expects, and the class rules' text.
@Suite("nftables layout")
struct NFTLayoutTests {
    @Test("keys are register-laid concatenations: 4-byte fields, network order, slot in host order")
    func keys() {
        let key = NFTElementCodec.serviceSlotKey(IPv4Address(10, 43, 0, 10), .tcp, 80, slot: 2)
        #expect(key == [10, 43, 0, 10, 6, 0, 0, 0, 0, 80, 0, 0, 2, 0, 0, 0])
        #expect(NFTElementCodec.nodePortKey(.udp, 30036) == [17, 0, 0, 0, 0x75, 0x54, 0, 0])
        #expect(NFTElementCodec.backendData(BackendAddress(ip: IPv4Address(10, 42, 0, 5), port: 8080)) == [10, 42, 0, 5, 0x1f, 0x90, 0, 0])
        #expect(NFTElementCodec.hairpinKey(IPv4Address(10, 42, 0, 5)) == [10, 42, 0, 5, 10, 42, 0, 5])
    }

    @Test("one rule per class: the count is numgen's modulus, masquerading classes set the mark")
    func classRules() {
        let layout = NFTLayout(table: "t", mark: 0x4000)
        let script = layout.classScript(
            classes: [NFTClass(nodePort: false, proto: .tcp, masquerade: false, count: 3), NFTClass(nodePort: true, proto: .udp, masquerade: true, count: 2)],
            affinity: [NFTAffinityClass(timeout: 600, proto: .tcp, masquerade: false)])
        #expect(script.contains("add set ip t svc-tcp-n3 { typeof ip daddr . meta l4proto . th dport; }"))
        #expect(script.contains("ip daddr . meta l4proto . th dport @svc-tcp-n3 dnat ip to ip daddr . meta l4proto . th dport . numgen random mod 3 map @svc-endpoints-tcp"))
        #expect(script.contains("fib daddr type local meta l4proto . th dport @np-masq-udp-n2 meta mark set meta mark | 0x4000 dnat ip to meta l4proto . th dport . numgen random mod 2 map @np-endpoints-udp"))
        #expect(script.contains("update @affinity-tcp { ip saddr . ct original ip daddr . meta l4proto . ct original proto-dst timeout 600s : ip daddr . tcp dport }"))
        // The pinned-client lookup comes before any class rule.
        let pinned = script.range(of: "map @affinity-tcp")?.lowerBound
        let firstClass = script.range(of: "@svc-tcp-n3 dnat")?.lowerBound
        if let pinned, let firstClass {
            #expect(pinned < firstClass)
        } else {
            Issue.record("missing rules in:\n\(script)")
        }
    }
}
