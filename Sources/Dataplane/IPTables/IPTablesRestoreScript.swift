/// An `iptables-restore --noflush` script: for each table, the chains it
/// declares, then its commands, then the chains it deletes.
///
/// Declaring a chain (`:NAME - [0:0]`) creates it or flushes it, which is how
/// a chain is rewritten without touching any other; built-in chains are never
/// declared (that would flush other software's rules), only edited with `-D`/`-I`.
/// A deleted chain is declared too, so it is empty, and `-X`ed after every
/// rewrite, when nothing of ours points at it any more. The kernel applies each
/// table's part at `COMMIT` as one unit: no packet ever sees half a sync.
package struct IPTablesRestoreScript: Sendable {
    package struct Section: Sendable {
        package let table: String
        private(set) var declared: [String] = []
        private var declaredSet: Set<String> = []
        private(set) var commands: [String] = []
        private(set) var deleted: [String] = []

        init(table: String) {
            self.table = table
        }

        /// Creates or flushes `chain`, for rules appended after; once however often asked.
        mutating func declare(_ chain: String) {
            if declaredSet.insert(chain).inserted { declared.append(chain) }
        }

        /// `-A chain spec`.
        mutating func append(_ chain: String, _ spec: String) {
            commands.append("-A \(chain) \(spec)")
        }

        /// A command as written (`-D PREROUTING ...`, `-I INPUT 1 ...`).
        mutating func command(_ line: String) {
            commands.append(line)
        }

        /// Empties and deletes `chain`.
        mutating func delete(_ chain: String) {
            declare(chain)
            deleted.append(chain)
        }

        var isEmpty: Bool { declared.isEmpty && commands.isEmpty }

        var text: String {
            var lines = ["*\(table)"]
            lines += declared.map { ":\($0) - [0:0]" }
            lines += commands
            lines += deleted.map { "-X \($0)" }
            lines.append("COMMIT")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    package var nat = Section(table: "nat")
    package var filter = Section(table: "filter")

    package init() {}

    /// The script, or nil when it would change nothing.
    package var text: String? {
        let parts = [filter, nat].filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.map(\.text).joined()
    }
}
