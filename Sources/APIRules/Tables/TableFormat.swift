import SkiffAPI

/// The formatting helpers the Kubernetes printers share (`labels.FormatLabels`,
/// `metav1.FormatLabelSelector`, `layoutContainerCells`, ...).
enum TableFormat {
    /// `labels.FormatLabels`: `k=v` pairs sorted as whole strings, `<none>` when empty.
    static func labels(_ map: JSONValue) -> String {
        let pairs = (map.objectValue ?? [:]).map { "\($0.key)=\($0.value.tableString)" }.sorted()
        return pairs.isEmpty ? "<none>" : pairs.joined(separator: ",")
    }

    /// `metav1.FormatLabelSelector`: the selector string, `<none>` when it selects
    /// everything or nothing, `<error>` when it does not parse.
    static func labelSelector(_ selector: JSONValue) -> String {
        guard let parsed = try? LabelSelector(json: selector) else { return "<error>" }
        let text = parsed.description
        return text.isEmpty ? "<none>" : text
    }

    /// `LabelSelectorAsSelector(...).String()` as the Deployment printer uses it:
    /// empty when it selects everything, `<invalid>` when it does not parse.
    static func selectorString(_ selector: JSONValue) -> String {
        guard let parsed = try? LabelSelector(json: selector) else { return "<invalid>" }
        return parsed.description
    }

    /// `layoutContainerCells`: container names and images, each comma-joined.
    static func containerCells(_ containers: JSONValue) -> (names: JSONValue, images: JSONValue) {
        let list = containers.tableList
        return (
            .string(list.map { $0["name"].tableString }.joined(separator: ",")),
            .string(list.map { $0["image"].tableString }.joined(separator: ","))
        )
    }

    /// A quantity in canonical form (`10Gi`, `500m`), `0` when unset as Go's zero Quantity prints.
    static func quantity(_ value: JSONValue) -> String {
        if value.isNull { return "0" }
        if let parsed = try? Quantity(json: value) { return parsed.description }
        return value.stringValue ?? "0"
    }

    /// `helper.GetAccessModesAsString`: `RWO,ROX,RWX,RWOP` in that order, without duplicates.
    static func accessModes(_ modes: JSONValue) -> String {
        let present = Set(modes.tableList.compactMap(\.stringValue))
        let order: [(mode: String, short: String)] = [
            ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"),
        ]
        return order.filter { present.contains($0.mode) }.map(\.short).joined(separator: ",")
    }

    /// `net.JoinHostPort`: IPv6 hosts are bracketed.
    static func hostPort(_ host: String, _ port: Int64) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `listWithMoreString`: up to three entries, then ` + N more...`; `<unset>` when empty.
    static func listWithMore(_ list: [String], more: Bool, count: Int, max: Int) -> String {
        let joined = list.joined(separator: ",")
        if more { return "\(joined) + \(count - max) more..." }
        return joined.isEmpty ? "<unset>" : joined
    }
}
