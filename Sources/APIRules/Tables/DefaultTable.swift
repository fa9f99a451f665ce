import Foundation
import SkiffAPI

/// NAME AGE for resources without a printer of their own.
///
/// (The real API server's default convertor prints a `Created At` date instead of AGE;
/// NAME AGE matches what kubectl shows for a plain list, which users already know.)
enum DefaultTable: TablePrinter {
    static let columns: [TableColumn] = [.name, .age]

    static func cells(_ object: JSONValue, now: Date) -> [JSONValue] {
        [
            .string(object["metadata"]["name"].tableString),
            .string(TableTime.since(object["metadata"]["creationTimestamp"], now: now)),
        ]
    }
}
