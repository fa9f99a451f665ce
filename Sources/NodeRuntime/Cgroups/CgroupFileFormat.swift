/// Parsers for the few shapes cgroup interface files come in.
enum CgroupFileFormat {
    /// Whitespace-separated words, e.g. `cgroup.controllers` ("cpu io memory pids").
    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
    }

    /// "key value" lines, e.g. `memory.events`, `memory.stat`, `cpu.stat`, `memory.oom_control`.
    static func keyed(_ text: String) -> [String: Int64] {
        var values: [String: Int64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Int64(parts[1]) else { continue }
            values[String(parts[0])] = value
        }
        return values
    }

    /// One integer (`memory.current`, `cpuacct.usage`); `path` only names the file in the error.
    static func integer(_ text: String, path: String) throws -> Int64 {
        let trimmed = text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init) ?? ""
        guard let value = Int64(trimmed) else {
            throw RuntimeError("\(path): unexpected content \"\(text.prefix(40))\"")
        }
        return value
    }

    /// One process id per line (`cgroup.procs`).
    static func processIDs(_ text: String) -> [Int32] {
        text.split(separator: "\n").compactMap { Int32($0) }
    }
}
