import SkiffAPI

/// Reading optional API fields the way the Go printers see their zero values:
/// a missing string is "", a missing number 0, a missing list empty.
extension JSONValue {
    var tableString: String { stringValue ?? "" }
    var tableInt: Int64 { int64Value ?? 0 }
    var tableList: [JSONValue] { arrayValue ?? [] }
    var tableBool: Bool { boolValue ?? false }
    /// Whether a pointer field (`state.terminated`, `deletionTimestamp`) is set.
    var tableIsSet: Bool { !isNull }
}
