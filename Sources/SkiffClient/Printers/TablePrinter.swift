import SkiffAPI

/// How `get` lays out a server Table, as kubectl's flags choose it.
public struct TablePrintOptions: Sendable, Equatable {
    /// `-o wide`: also the columns with priority above 0.
    public var wide = false
    public var noHeaders = false
    /// `-A`: a NAMESPACE column first, read from each row's object.
    public var withNamespace = false
    /// `--show-labels`: a LABELS column last (`app=x,tier=web` or `<none>`).
    public var showLabels = false
    /// `-L key`: one column per label key, headed by the key's last path segment.
    public var columnLabels: [String] = []
    /// When several resource types are printed, names read `deployment.apps/notepad`.
    public var kindPrefix: String?

    public init(
        wide: Bool = false, noHeaders: Bool = false, withNamespace: Bool = false, showLabels: Bool = false,
        columnLabels: [String] = [], kindPrefix: String? = nil
    ) {
        self.wide = wide
        self.noHeaders = noHeaders
        self.withNamespace = withNamespace
        self.showLabels = showLabels
        self.columnLabels = columnLabels
        self.kindPrefix = kindPrefix
    }
}

/// Prints server Tables the way kubectl's `HumanReadablePrinter` does: uppercase headers,
/// cells aligned by `TabWriter`, headers only once for a run of tables with the same
/// columns (so `get -w` rows follow the first table without repeating the header).
public struct TablePrinter: Sendable {
    public var options: TablePrintOptions
    private var writer = TabWriter.kubectlTable()
    private var lastColumns: [ServerTable.Column] = []
    private var printedHeaders = false

    public init(options: TablePrintOptions) {
        self.options = options
    }

    /// Starts a new resource type: headers again and fresh column widths.
    public mutating func startNewResourceType(kindPrefix: String?) {
        writer = TabWriter.kubectlTable()
        lastColumns = []
        printedHeaders = false
        options.kindPrefix = kindPrefix
    }

    /// The text for `table` (empty when it has no rows); a watch event's one-row table may
    /// come without column definitions, and then reuses the last ones.
    public mutating func print(_ table: ServerTable) -> String {
        var columns = table.columns
        var noHeaders = options.noHeaders
        if printedHeaders && (columns.isEmpty || columns == lastColumns) { noHeaders = true }
        if columns.isEmpty {
            columns = lastColumns
        } else if columns != lastColumns {
            lastColumns = columns
            printedHeaders = false
        }
        if !table.rows.isEmpty { printedHeaders = true }
        guard !table.rows.isEmpty else { return "" }

        let visible = columns.indices.filter { options.wide || columns[$0].priority == 0 }
        let nameColumn = columns.firstIndex { $0.format == "name" && $0.type == "string" }
        if !noHeaders {
            var header: [String] = []
            if options.withNamespace { header.append("NAMESPACE") }
            header += visible.map { columns[$0].name.uppercased() }
            header += options.columnLabels.map { ($0.split(separator: "/").last.map(String.init) ?? $0).uppercased() }
            if options.showLabels { header.append("LABELS") }
            writer.append(header)
        }
        for row in table.rows {
            var line: [String] = []
            if options.withNamespace { line.append(row.object["metadata"]["namespace"].stringValue ?? "") }
            for index in visible {
                var text = index < row.cells.count ? Self.cellText(row.cells[index]) : ""
                if index == nameColumn, let prefix = options.kindPrefix { text = "\(prefix)/\(text)" }
                line.append(text)
            }
            let labels = row.object["metadata"]["labels"].stringMapValue ?? [:]
            line += options.columnLabels.map { labels[$0] ?? "" }
            if options.showLabels { line.append(LabelFormat.format(labels)) }
            writer.append(line)
        }
        return writer.flush()
    }

    /// A cell as Go's `fmt.Sprint` shows the decoded JSON value; text stops at the first line
    /// break (marked `...`), since a cell must stay on one line.
    static func cellText(_ cell: JSONValue) -> String {
        let text: String
        switch cell {
        case .null: return ""
        case .string(let string): text = string
        default: text = GoSprint.format(cell)
        }
        if let breakIndex = text.firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" || $0 == "\r\n" }) {
            return String(text[..<breakIndex]) + "..."
        }
        return text
    }
}

/// Labels as `k8s.io/apimachinery/pkg/labels.FormatLabels` writes them: sorted `k=v` pairs
/// joined by commas, `<none>` when there are none.
public enum LabelFormat {
    public static func format(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "<none>" }
        return labels.keys.sorted().map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: ",")
    }
}

/// Go's `fmt.Sprint` of a value decoded from JSON into `interface{}`.
enum GoSprint {
    static func format(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .double(let number): return GoNumberFormat.sprint(number)
        case .string(let string): return string
        case .array(let elements): return "[" + elements.map(format).joined(separator: " ") + "]"
        case .object(let members):
            return "map[" + members.keys.sorted().map { "\($0):\(format(members[$0] ?? .null))" }.joined(separator: " ") + "]"
        }
    }
}
