import SkiffAPI

/// A `meta.k8s.io/v1 Table` as the API server returns it for `get`: column definitions,
/// rows of cells and, per row, the object (by default its `PartialObjectMetadata`),
/// from which `-A` reads the namespace and `--show-labels` the labels.
public struct ServerTable: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: String
        public var format: String
        /// 0 for the default columns; higher priorities appear only with `-o wide`.
        public var priority: Int

        public init(name: String, type: String = "string", format: String = "", priority: Int = 0) {
            self.name = name
            self.type = type
            self.format = format
            self.priority = priority
        }
    }

    public struct Row: Sendable, Equatable {
        public var cells: [JSONValue]
        public var object: JSONValue

        public init(cells: [JSONValue], object: JSONValue = .null) {
            self.cells = cells
            self.object = object
        }
    }

    public var columns: [Column]
    public var rows: [Row]
    /// The list's resourceVersion, where `get -w` starts watching.
    public var resourceVersion: String

    public init(columns: [Column], rows: [Row], resourceVersion: String = "") {
        self.columns = columns
        self.rows = rows
        self.resourceVersion = resourceVersion
    }

    /// Reads a Table; nil when `json` is not one (the server ignored the Table Accept).
    public init?(json: JSONValue) {
        guard json["kind"].stringValue == "Table" else { return nil }
        columns = (json["columnDefinitions"].arrayValue ?? []).map { definition in
            Column(
                name: definition["name"].stringValue ?? "", type: definition["type"].stringValue ?? "string",
                format: definition["format"].stringValue ?? "",
                priority: Int(definition["priority"].int64Value ?? 0))
        }
        rows = (json["rows"].arrayValue ?? []).map { row in
            Row(cells: row["cells"].arrayValue ?? [], object: row["object"])
        }
        resourceVersion = json["metadata"]["resourceVersion"].stringValue ?? ""
    }

    /// The `NAME AGE` table kubectl falls back to for a plain object or list.
    public static func fallback(forObjects objects: [JSONValue], now: Double) -> ServerTable {
        ServerTable(
            columns: [Column(name: "Name", format: "name"), Column(name: "Age")],
            rows: objects.map { object in
                let created = object["metadata"]["creationTimestamp"].stringValue
                return Row(
                    cells: [object["metadata"]["name"], .string(HumanDuration.age(since: created, now: now))],
                    object: object)
            })
    }
}
