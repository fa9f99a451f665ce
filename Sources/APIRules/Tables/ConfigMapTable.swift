import Foundation
import SkiffAPI

/// `kubectl get configmaps`: NAME DATA AGE; DATA counts `data` and `binaryData` keys.
enum ConfigMapTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn(
            "Data",
            description:
                "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."
        ),
        .age,
    ]

    static func cells(_ configMap: JSONValue, now: Date) -> [JSONValue] {
        let keys = (configMap["data"].objectValue?.count ?? 0) + (configMap["binaryData"].objectValue?.count ?? 0)
        return [
            .string(configMap["metadata"]["name"].tableString),
            .integer(Int64(keys)),
            .string(TableTime.since(configMap["metadata"]["creationTimestamp"], now: now)),
        ]
    }
}
