import CShims
import Glibc

/// A NETLINK_NETFILTER socket in the node's netns, for element transactions
/// and cheap table checks. Not thread-safe: the proxy uses it from one thread.
package final class NFTNetlink {
    private let handle: OpaquePointer
    package static let familyIPv4: UInt16 = 2 // NFPROTO_IPV4

    package init(netnsPath: String?) throws(DataplaneError) {
        var fd: Int32 = -1
        if let netnsPath {
            fd = open(netnsPath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .kernel(step: "open netns \(netnsPath)", errno: errno) }
        }
        defer { if fd >= 0 { close(fd) } }
        var err: Int32 = 0
        guard let handle = skiff_nftnl_open(fd, &err) else {
            throw .kernel(step: "open nftables netlink socket", errno: err)
        }
        self.handle = handle
    }

    deinit {
        skiff_nftnl_close(handle)
    }

    /// Applies `ops` as one transaction: all or nothing.
    package func commit(table: String, _ ops: [NFTElementOp]) throws(DataplaneError) {
        if ops.isEmpty { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ops.count * 24)
        // (op, set, key offset, key length, data offset or -1, data length)
        var layout: [(UInt8, String, Int, Int, Int, Int)] = []
        layout.reserveCapacity(ops.count)
        for op in ops {
            switch op {
            case .flush(let set):
                layout.append((UInt8(SKIFF_NFTNL_FLUSH), set, 0, 0, -1, 0))
            case .add(let element), .delete(let element):
                let keyAt = bytes.count
                bytes += element.key
                var dataAt = -1
                if let data = element.data {
                    dataAt = bytes.count
                    bytes += data
                }
                let code = if case .add = op { UInt8(SKIFF_NFTNL_ADD) } else { UInt8(SKIFF_NFTNL_DELETE) }
                layout.append((code, element.set, keyAt, element.key.count, dataAt, element.data?.count ?? 0))
            }
        }
        // Few distinct set names: one C string each, alive for the call.
        var names: [String: UnsafeMutablePointer<CChar>] = [:]
        for entry in layout where names[entry.1] == nil { names[entry.1] = strdup(entry.1) }
        defer { for pointer in names.values { free(pointer) } }
        var failed = 0
        let rc = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            let base = buffer.baseAddress
            var cOps: [skiff_nftnl_op] = []
            cOps.reserveCapacity(layout.count)
            for (code, set, keyAt, keyLength, dataAt, dataLength) in layout {
                cOps.append(skiff_nftnl_op(
                    op: code, set: names[set].map { UnsafePointer($0) },
                    key: base.map { $0 + keyAt }, key_len: UInt32(keyLength),
                    data: dataAt >= 0 ? base.map { $0 + dataAt } : nil, data_len: UInt32(dataLength)))
            }
            return skiff_nftnl_commit(handle, Self.familyIPv4, table, cOps, cOps.count, &failed)
        }
        guard rc == 0 else {
            var step = "nftables element transaction (\(ops.count) operations)"
            if failed >= 0, failed < ops.count { step += " at \(Self.describe(ops[failed]))" }
            throw .kernel(step: step, errno: -rc)
        }
    }

    /// The table's handle and object counts, or nil when it does not exist.
    package func fingerprint(table: String) throws(DataplaneError) -> NFTFingerprint? {
        var out = skiff_nftnl_fingerprint()
        let rc = skiff_nftnl_fingerprint(handle, Self.familyIPv4, table, &out)
        if rc == -ENOENT { return nil }
        guard rc == 0 else { throw .kernel(step: "read nftables table \(table)", errno: -rc) }
        return NFTFingerprint(tableHandle: out.table_handle, chains: Int(out.chains), rules: Int(out.rules), sets: Int(out.sets))
    }

    /// Every element of one set (key, data).
    package func elements(table: String, set: String) throws(DataplaneError) -> [NFTElement] {
        final class Sink {
            var set: String
            var elements: [NFTElement] = []
            init(set: String) { self.set = set }
        }
        let sink = Sink(set: set)
        let rc = skiff_nftnl_dump_set(handle, Self.familyIPv4, table, set, { raw, key, keyLength, data, dataLength in
            guard let raw, let key else { return }
            let sink = Unmanaged<Sink>.fromOpaque(raw).takeUnretainedValue()
            let keyBytes = Array(UnsafeBufferPointer(start: key, count: Int(keyLength)))
            let dataBytes = data.map { Array(UnsafeBufferPointer(start: $0, count: Int(dataLength))) }
            sink.elements.append(NFTElement(set: sink.set, key: keyBytes, data: dataBytes))
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard rc == 0 else { throw .kernel(step: "list elements of \(table) \(set)", errno: -rc) }
        return sink.elements
    }

    /// The names of the table's sets and maps (nil: no such table).
    package func setNames(table: String) throws(DataplaneError) -> [String]? {
        final class Sink { var names: [String] = [] }
        let sink = Sink()
        let rc = skiff_nftnl_set_names(handle, Self.familyIPv4, table, { raw, name in
            guard let raw, let name else { return }
            Unmanaged<Sink>.fromOpaque(raw).takeUnretainedValue().names.append(String(cString: name))
        }, Unmanaged.passUnretained(sink).toOpaque())
        if rc == -ENOENT { return nil }
        guard rc == 0 else { throw .kernel(step: "list sets of \(table)", errno: -rc) }
        return sink.names
    }

    private static func describe(_ op: NFTElementOp) -> String {
        switch op {
        case .add(let element): "add element to \(element.set)"
        case .delete(let element): "delete element from \(element.set)"
        case .flush(let set): "flush \(set)"
        }
    }
}

/// What the proxy expects its table to look like, short of its elements.
package struct NFTFingerprint: Equatable, Sendable {
    package var tableHandle: UInt64
    package var chains: Int
    package var rules: Int
    package var sets: Int
}
