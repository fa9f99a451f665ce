/// Reads the fixed `char name[N]` arrays of the netlink shim's structs,
/// which Swift imports as tuples.
enum NetlinkCString {
    static func string<Tuple>(_ tuple: Tuple) -> String {
        withUnsafeBytes(of: tuple) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
