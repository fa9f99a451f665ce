import Foundation
import SkiffAPI

/// `kubectl get namespaces`: NAME STATUS AGE.
enum NamespaceTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn("Status", description: "The status of the namespace"),
        .age,
    ]

    static func cells(_ namespace: JSONValue, now: Date) -> [JSONValue] {
        [
            .string(namespace["metadata"]["name"].tableString),
            .string(namespace["status"]["phase"].tableString),
            .string(TableTime.since(namespace["metadata"]["creationTimestamp"], now: now)),
        ]
    }
}
