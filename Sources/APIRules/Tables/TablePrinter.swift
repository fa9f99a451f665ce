import Foundation
import SkiffAPI

/// The columns and cells of one resource's Table, after `pkg/printers/internalversion`.
///
/// The API server always prints with `Wide: true`, so every row carries the priority-1
/// cells too and kubectl decides what to show.
protocol TablePrinter {
    static var columns: [TableColumn] { get }
    /// One cell per column, in column order; numbers stay JSON integers.
    static func cells(_ object: JSONValue, now: Date) -> [JSONValue]
    /// `rows[].conditions`; only pods use them (a finished pod is `Completed`).
    static func conditions(_ object: JSONValue) -> [JSONValue]
}

extension TablePrinter {
    static func conditions(_ object: JSONValue) -> [JSONValue] { [] }
}
