import APIRules
import Foundation
import SkiffAPI

/// Shared inputs for the Table tests: a fixed "now" and the built-in resources.
enum TableTestSupport {
    /// 2026-11-28T01:10:00Z; fixtures are created at 01:00:00Z, so their AGE is `10m`.
    static let now = Date(timeIntervalSince1970: 1_795_828_200)

    static func resource(_ plural: String, group: String = "", version: String = "v1") -> ResourceKind {
        guard let kind = ResourceRegistry.builtin.resource(group: group, version: version, plural: plural) else {
            fatalError("no built-in resource \(plural)")
        }
        return kind
    }

    static func object(_ text: String) throws -> JSONValue {
        try JSONValue(jsonString: text)
    }

    /// The cells of the single row for `object`.
    static func cells(_ resource: ResourceKind, _ object: JSONValue, now: Date = now) -> [JSONValue] {
        let table = TableConverter.table(
            resource: resource, objects: [object], now: now, includeObject: "None", listMetadata: [:])
        return table["rows"][0]["cells"].arrayValue ?? []
    }

    /// Column names, with the priority of each.
    static func columns(_ resource: ResourceKind) -> [String] {
        let table = TableConverter.table(
            resource: resource, objects: [], now: now, includeObject: "None", listMetadata: [:])
        return (table["columnDefinitions"].arrayValue ?? []).map {
            "\($0["name"].stringValue ?? "?")/\($0["priority"].int64Value ?? -1)"
        }
    }
}
