import Glibc

/// The on-disk state of a node's pod IPAM: one file per allocated address,
/// named after it (`10.42.0.7`) and holding its owner, plus `last_reserved_ip`,
/// the round-robin cursor. Callers hold `PodIPAMLock` around every call.
///
/// One file per IP, as CNI host-local keeps it, rather than one JSON map
/// rewritten through temp + fsync + rename:
/// - An allocation is a single `O_CREAT|O_EXCL` create, so the kernel itself
///   refuses a second holder of an address, and a change touches only its
///   own record: a rewritten map puts every pod's record at stake (and costs
///   O(pods) bytes) on each change, one file cannot.
/// - A release is one `unlink`.
/// - `ls DATA_DIR/ipam` shows who holds what, and an operator can free a
///   leaked address with `rm`, as host-local users already do.
///
/// Crash safety: a record is written and fsynced, then the directory is
/// fsynced before the call returns, so a returned address survives a power
/// cut. A crash between create and write leaves an empty record, read as
/// owner "", which keeps the address taken (never handed out twice) until
/// `reconcile` frees it. The cursor is replaced atomically (temp, fsync,
/// rename); a stale cursor only moves where the next search starts.
struct PodIPAMStore: Sendable {
    static let cursorName = "last_reserved_ip"
    /// Records hold a sandbox id; anything longer than this is not one of ours.
    static let maxRecordSize = 4096

    let directory: String

    /// Every record in the directory, in address order. Names that are not
    /// canonical IPv4 addresses (the lock, the cursor, its temp file) are
    /// skipped; addresses outside the current subnet are kept, since a pod from
    /// before a subnet change may still hold one.
    func allocations() throws -> [PodIPAMAllocation] {
        guard let dir = opendir(directory) else { throw SystemError.current("opendir \(directory)") }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw SystemError.current("readdir \(directory)") }
                break
            }
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            })
        }
        var result: [PodIPAMAllocation] = []
        for name in names {
            guard case .success(let value) = IPv4Address.value(parsing: Substring(name)) else { continue }
            // A record removed since readdir (only by hand: writers hold the lock) is gone.
            guard let bytes = try readRecord(path(of: IPv4Address(value))) else { continue }
            let owner = bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
            result.append(PodIPAMAllocation(address: IPv4Address(value), owner: String(decoding: owner, as: UTF8.self)))
        }
        return result.sorted { $0.address < $1.address }
    }

    /// Creates the record for `address`, durable once `syncDirectory` returns.
    /// - Returns: false when a record for the address already exists.
    func create(_ address: IPv4Address, owner: String) throws -> Bool {
        let path = path(of: address)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw SystemError.current("open \(path)")
        }
        do {
            try Self.writeAll(fd, Array((owner + "\n").utf8), path: path)
            guard fsync(fd) == 0 else { throw SystemError.current("fsync \(path)") }
            close(fd)
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        return true
    }

    /// Deletes the record for `address`; one already gone is not an error.
    func remove(_ address: IPv4Address) throws {
        let path = path(of: address)
        if unlink(path) != 0 && errno != ENOENT { throw SystemError.current("unlink \(path)") }
    }

    /// The address the last allocation returned, or nil when there is no
    /// cursor yet or it does not hold an address (the search then starts at
    /// the subnet's first host, which is only a fairness loss).
    func lastReserved() throws -> IPv4Address? {
        guard let bytes = try readRecord(cursorPath) else { return nil }
        let text = String(decoding: bytes.prefix { $0 > 0x20 }, as: UTF8.self)
        guard case .success(let value) = IPv4Address.value(parsing: Substring(text)) else { return nil }
        return IPv4Address(value)
    }

    /// Replaces the cursor atomically: a crash leaves the old or the new one.
    func recordLastReserved(_ address: IPv4Address) throws {
        let temp = cursorPath + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw SystemError.current("open \(temp)") }
        do {
            try Self.writeAll(fd, Array(address.description.utf8), path: temp)
            guard fsync(fd) == 0 else { throw SystemError.current("fsync \(temp)") }
            close(fd)
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        guard rename(temp, cursorPath) == 0 else {
            let error = SystemError.current("rename \(temp)")
            unlink(temp)
            throw error
        }
    }

    /// Makes created, removed and renamed names durable.
    func syncDirectory() throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open \(directory)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SystemError.current("fsync \(directory)") }
    }

    private var cursorPath: String { "\(directory)/\(Self.cursorName)" }

    private func path(of address: IPv4Address) -> String { "\(directory)/\(address)" }

    /// The bytes of a small file, or nil when it does not exist.
    private func readRecord(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SystemError.current("open \(path)")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while bytes.count < Self.maxRecordSize {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read \(path)")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return bytes
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("write \(path)")
            }
            offset += written
        }
    }
}
