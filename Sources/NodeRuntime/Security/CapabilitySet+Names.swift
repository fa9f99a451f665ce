import CShims

extension CapabilitySet {
    /// The number of a capability named as Kubernetes' securityContext or an
    /// OCI spec names it: `NET_ADMIN`, `CAP_NET_ADMIN`, any case.
    ///
    /// libcap does the lookup so names track the installed libcap; a bare
    /// number, which libcap would also accept, is refused because neither
    /// Kubernetes nor OCI allow one.
    package static func number(named name: String) throws(RuntimeError) -> Int {
        let isWord = !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
        guard isWord else {
            throw RuntimeError("capability \"\(name)\": not a capability name")
        }
        let upper = name.uppercased()
        let full = upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
        let number = skiff_cap_from_name(full)
        guard number >= 0, number < 64 else {
            throw RuntimeError("capability \"\(name)\": unknown capability")
        }
        return Int(number)
    }

    /// Parses a list of names; `ALL` (any case) stands for every capability the
    /// kernel supports. An unknown name is an error naming it.
    package init(names: [String]) throws(RuntimeError) {
        var set = CapabilitySet()
        for name in names {
            if Self.isAll(name) {
                set.formUnion(.allSupported)
            } else {
                set.insert(CapabilitySet(number: try Self.number(named: name)))
            }
        }
        self = set
    }

    /// Applies Kubernetes `capabilities.add`/`drop` to this set the way
    /// containerd's CRI plugin does: `ALL` in add, then `ALL` in drop, then the
    /// individual adds, then the individual drops. So `add: [ALL], drop: [CHOWN]`
    /// is everything but CHOWN and `drop: [ALL], add: [NET_BIND_SERVICE]` is
    /// just NET_BIND_SERVICE.
    package func applying(add: [String], drop: [String]) throws(RuntimeError) -> CapabilitySet {
        var result = self
        if add.contains(where: Self.isAll) {
            result = .allSupported
        }
        if drop.contains(where: Self.isAll) {
            result = []
        }
        for name in add where !Self.isAll(name) {
            result.insert(CapabilitySet(number: try Self.number(named: name)))
        }
        for name in drop where !Self.isAll(name) {
            result.remove(CapabilitySet(number: try Self.number(named: name)))
        }
        return result
    }

    /// `CAP_NET_ADMIN` for 12, as libcap spells it (upper-cased); the bare
    /// number for a capability this libcap has no name for.
    package static func name(of number: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let rc = buffer.withUnsafeMutableBufferPointer { buf in
            skiff_cap_name(Int32(number), buf.baseAddress, buf.count)
        }
        guard rc == 0 else { return String(number) }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self).uppercased()
    }

    private static func isAll(_ name: String) -> Bool {
        name.uppercased() == "ALL"
    }
}
