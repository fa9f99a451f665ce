import SkiffAPI

/// `-o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image`: one column per
/// `HEADER:path`, values from kubectl's relaxed JSONPath, `<none>` when a path finds nothing,
/// several values joined by commas.
public struct CustomColumns: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var header: String
        public var path: JSONPathTemplate
    }

    public var columns: [Column]

    /// `HEADER:path,HEADER:path`.
    public init(specification: String) throws(JSONPathError) {
        var columns: [Column] = []
        for part in specification.split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = part.firstIndex(of: ":"), colon != part.startIndex else {
                throw .parse("unexpected custom-columns spec: \(part), expected <header>:<json-path-expr>")
            }
            let header = String(part[..<colon])
            let path = String(part[part.index(after: colon)...])
            columns.append(Column(header: header, path: try JSONPathTemplate.relaxed(path)))
        }
        self.columns = columns
    }

    /// A template file: a line of headers and a line of paths, separated by whitespace.
    public init(file text: String) throws(JSONPathError) {
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        guard lines.count == 2 else {
            throw .parse("invalid template, expected two lines, found \(lines.count)")
        }
        let headers = lines[0].split(whereSeparator: \.isWhitespace)
        let paths = lines[1].split(whereSeparator: \.isWhitespace)
        guard headers.count == paths.count else {
            throw .parse("number of headers (\(headers.count)) does not match number of paths (\(paths.count))")
        }
        var columns: [Column] = []
        for (header, path) in zip(headers, paths) {
            columns.append(Column(header: String(header), path: try JSONPathTemplate.relaxed(String(path))))
        }
        self.columns = columns
    }

    /// The aligned text for `objects`.
    public func render(_ objects: [JSONValue], noHeaders: Bool) throws(JSONPathError) -> String {
        var writer = TabWriter.kubectlTable()
        if !noHeaders { writer.append(columns.map(\.header)) }
        for object in objects {
            var cells: [String] = []
            for column in columns {
                let values = try column.path.values(object)
                cells.append(values.isEmpty ? "<none>" : values.map(JSONPathTemplate.text).joined(separator: ","))
            }
            writer.append(cells)
        }
        return writer.flush()
    }
}
