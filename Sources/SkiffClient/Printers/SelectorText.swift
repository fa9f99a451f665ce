import SkiffAPI

/// A LabelSelector object (`matchLabels`, `matchExpressions`) as selector text
/// (`app=x,tier in (a,b),!canary`): what `describe` shows and what `labelSelector=` sends.
public enum SelectorText {
    public static func format(_ selector: JSONValue) -> String {
        var requirements: [String] = []
        for (key, value) in (selector["matchLabels"].stringMapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            requirements.append("\(key)=\(value)")
        }
        for expression in selector["matchExpressions"].arrayValue ?? [] {
            let key = expression["key"].stringValue ?? ""
            let values = (expression["values"].arrayValue ?? []).compactMap(\.stringValue).sorted()
            switch expression["operator"].stringValue ?? "" {
            case "In": requirements.append("\(key) in (\(values.joined(separator: ",")))")
            case "NotIn": requirements.append("\(key) notin (\(values.joined(separator: ",")))")
            case "Exists": requirements.append(key)
            case "DoesNotExist": requirements.append("!\(key)")
            default: continue
            }
        }
        return requirements.joined(separator: ",")
    }
}
