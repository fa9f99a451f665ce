import SkiffAPI

/// One `columnDefinitions` entry of a `meta.k8s.io/v1` Table.
///
/// kubectl prints priority-0 columns always and priority-1 columns only with `-o wide`;
/// it never shows `description`, but the API server sends the field's API documentation
/// there and Skiff sends the same text.
struct TableColumn: Sendable {
    var name: String
    /// `string`, `integer`, `boolean` or `date`, as the OpenAPI type of the cells.
    var type: String
    /// `name` marks the column kubectl uses for `-o name` and sorting; otherwise empty.
    var format: String
    var description: String
    var priority: Int

    init(_ name: String, type: String = "string", format: String = "", priority: Int = 0, description: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    var json: JSONValue {
        [
            "name": .string(name), "type": .string(type), "format": .string(format),
            "description": .string(description), "priority": .integer(Int64(priority)),
        ]
    }
}

extension TableColumn {
    /// The NAME column every printer starts with, described by `ObjectMeta.name`'s documentation.
    static let name = TableColumn(
        "Name", format: "name",
        description:
            "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    )

    /// The AGE column, described by `ObjectMeta.creationTimestamp`'s documentation.
    static let age = TableColumn(
        "Age",
        description:
            "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
    )

    /// The wide CONTAINERS column of workload printers.
    static let containers = TableColumn(
        "Containers", priority: 1, description: "Names of each container in the template.")

    /// The wide IMAGES column of workload printers.
    static let images = TableColumn(
        "Images", priority: 1, description: "Images referenced by each container in the template.")
}
