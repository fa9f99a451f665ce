/// Writes ustar archives byte by byte, so tests can put entries into a layer
/// that GNU tar refuses to create (`../evil`, absolute paths, whiteouts in
/// odd places) and control their order exactly.
struct TarArchiveBuilder {
    enum Entry {
        case file(String, String, mode: Int = 0o644, uid: Int = 0)
        /// A file preceded by a pax header carrying `SCHILY.xattr.*` records.
        case fileWithXattrs(String, String, xattrs: [String: String])
        case directory(String, mode: Int = 0o755)
        case symlink(String, target: String)
        case hardlink(String, target: String)
    }

    private(set) var bytes: [UInt8] = []

    init(_ entries: [Entry] = []) {
        for entry in entries { add(entry) }
    }

    mutating func add(_ entry: Entry) {
        switch entry {
        case .file(let name, let content, let mode, let uid):
            let data = Array(content.utf8)
            header(name: name, mode: mode, uid: uid, size: data.count, type: "0", link: "")
            bytes += data
            bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        case .fileWithXattrs(let name, let content, let xattrs):
            var records: [UInt8] = []
            for (key, value) in xattrs.sorted(by: { $0.key < $1.key }) {
                let body = " SCHILY.xattr.\(key)=\(value)\n"
                // The length prefix counts itself.
                var length = body.utf8.count + 1
                while String(length).utf8.count + body.utf8.count != length { length += 1 }
                records += Array("\(length)\(body)".utf8)
            }
            header(name: "PaxHeaders/\(name)", mode: 0o644, uid: 0, size: records.count, type: "x", link: "")
            bytes += records
            bytes += [UInt8](repeating: 0, count: (512 - records.count % 512) % 512)
            add(.file(name, content))
        case .directory(let name, let mode):
            header(name: name, mode: mode, uid: 0, size: 0, type: "5", link: "")
        case .symlink(let name, let target):
            header(name: name, mode: 0o777, uid: 0, size: 0, type: "2", link: target)
        case .hardlink(let name, let target):
            header(name: name, mode: 0o644, uid: 0, size: 0, type: "1", link: target)
        }
    }

    /// The archive with its two terminating zero blocks.
    var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }

    private mutating func header(name: String, mode: Int, uid: Int, size: Int, type: Character, link: String) {
        precondition(name.utf8.count < 100 && link.utf8.count < 100, "test tar names must be short")
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: width - 1 - digits.count) + digits, at: offset)
        }
        put(name, at: 0)
        octal(mode, at: 100, width: 8)
        octal(uid, at: 108, width: 8)
        octal(uid, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(1_700_000_000, at: 136, width: 12)
        put("        ", at: 148)
        put(String(type), at: 156)
        put(link, at: 157)
        put("ustar", at: 257)
        put("00", at: 263)
        let checksum = block.reduce(0) { $0 + Int($1) }
        octal(checksum, at: 148, width: 7)
        bytes += block
    }
}
