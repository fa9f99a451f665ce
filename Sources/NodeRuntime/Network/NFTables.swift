import Foundation
import CShims

/// nftables transactions through libnftables, in-process: a script in the
/// `nft -f` language applied atomically, never by running `nft`.
package enum NFTables {
    /// The one table the node owns. Nothing outside it is ever touched.
    package static let table = "skiff"

    /// Applies `script` as one transaction in the netns at `netnsPath`
    /// (nil: the caller's). On failure nothing of it is applied.
    package static func run(_ script: String, netnsPath: String? = nil) throws {
        var buffer = [CChar](repeating: 0, count: 4096)
        let rc = buffer.withUnsafeMutableBufferPointer { err in
            skiff_nft_run(netnsPath, script, err.baseAddress, err.count)
        }
        if rc != 0 { throw RuntimeError("nftables: \(message(buffer))") }
    }

    /// libnftables' message for a failed run: it appends the input line with
    /// carets under the error, and for multi-line buffers quotes the wrong
    /// line, so only the first line is kept.
    static func message(_ buffer: [CChar]) -> String {
        let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let first = message.split(separator: "\n").first.map(String.init) ?? message
        return first.trimmingCharacters(in: .whitespaces)
    }

    /// Masquerades pod traffic leaving the cluster network: source in this
    /// node's pod subnet, destination outside the cluster CIDR. Idempotent:
    /// the chain is flushed and refilled in the same transaction.
    package static func egressMasqueradeScript(podSubnet: IPv4Network, clusterCIDR: IPv4Network) -> String {
        """
        add table ip \(table)
        add chain ip \(table) pod-egress { type nat hook postrouting priority srcnat; policy accept; }
        flush chain ip \(table) pod-egress
        add rule ip \(table) pod-egress ip saddr \(podSubnet) ip daddr != \(clusterCIDR) masquerade
        """
    }
}
