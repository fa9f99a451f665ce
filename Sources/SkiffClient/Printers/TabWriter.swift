/// Go's `text/tabwriter` (with the `RememberWidths` flag of the fork kubectl uses), so that
/// `get` tables, `describe` and `rollout history` align exactly as kubectl's do.
///
/// Text is split into cells at tabs; a cell is tab-terminated except the last of each line,
/// which belongs to no column. Columns are formed per *block*: consecutive lines that all
/// have a cell in that column. A block's width is its widest cell plus `padding`, at least
/// `minimumWidth`. That is why in `describe` the `Name:` … `Annotations:` lines align with
/// each other but not with the indented lines under `Containers:`.
public struct TabWriter: Sendable {
    public var minimumWidth: Int
    public var padding: Int
    /// Keep each column's largest width across flushes (`get -w` rows stay aligned with the
    /// table printed before them).
    public var rememberWidths: Bool

    private var maximumWidths: [Int] = []
    private var pendingText = ""

    /// kubectl's table writer: minimum width 6, padding 3, widths remembered.
    public static func kubectlTable() -> TabWriter {
        TabWriter(minimumWidth: 6, padding: 3, rememberWidths: true)
    }

    /// The writer behind `describe` and `rollout history`: no minimum, padding 2.
    public static func kubectlDescribe() -> TabWriter {
        TabWriter(minimumWidth: 0, padding: 2, rememberWidths: false)
    }

    public init(minimumWidth: Int, padding: Int, rememberWidths: Bool) {
        self.minimumWidth = minimumWidth
        self.padding = padding
        self.rememberWidths = rememberWidths
    }

    /// Queues one line of cells, joined by tabs.
    public mutating func append(_ cells: [String]) {
        pendingText += cells.joined(separator: "\t") + "\n"
    }

    /// Queues raw text containing tabs and newlines.
    public mutating func write(_ text: String) {
        pendingText += text
    }

    /// The queued text, aligned; the queue is emptied. A trailing partial line is kept as is.
    public mutating func flush() -> String {
        defer { pendingText = "" }
        var lines = pendingText.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        let trailing = lines.removeLast()  // text after the last newline (usually empty)
        var output = ""
        var widths: [Int] = []
        format(lines, from: 0, to: lines.count, widths: &widths, into: &output)
        if trailing != [""] { output += trailing.joined(separator: "\t") }
        return output
    }

    /// Formats lines `start..<end`, whose columns left of `widths.count` are already sized.
    private mutating func format(_ lines: [[String]], from start: Int, to end: Int, widths: inout [Int], into output: inout String) {
        let column = widths.count
        var blockStart = start
        var index = start
        while index < end {
            guard column < lines[index].count - 1 else {
                index += 1
                continue
            }
            // Lines before this one have no cell in this column: print them as sized so far.
            write(lines, from: blockStart, to: index, widths: widths, into: &output)
            blockStart = index
            var width = minimumWidth
            while index < end, column < lines[index].count - 1 {
                width = max(width, Self.width(of: lines[index][column]) + padding)
                index += 1
            }
            if rememberWidths {
                while maximumWidths.count <= column { maximumWidths.append(0) }
                width = max(width, maximumWidths[column])
                maximumWidths[column] = width
            }
            widths.append(width)
            format(lines, from: blockStart, to: index, widths: &widths, into: &output)
            widths.removeLast()
            blockStart = index
        }
        write(lines, from: blockStart, to: end, widths: widths, into: &output)
    }

    private func write(_ lines: [[String]], from start: Int, to end: Int, widths: [Int], into output: inout String) {
        guard start < end else { return }
        for line in lines[start..<end] {
            for (index, cell) in line.enumerated() {
                output += cell
                if index < widths.count {
                    output += String(repeating: " ", count: max(0, widths[index] - Self.width(of: cell)))
                }
            }
            output += "\n"
        }
    }

    /// Go's tabwriter counts UTF-8 runes (Unicode scalars), not grapheme clusters.
    static func width(of cell: String) -> Int {
        cell.unicodeScalars.count
    }
}
