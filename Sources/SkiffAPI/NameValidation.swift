/// The syntax checks of apimachinery's `validation` package, with its exact messages.
/// Each returns the list of problems (empty when valid), so callers can wrap them in
/// `FieldError.invalid(field, value, message)` as Kubernetes does.
public enum NameValidation {
    public static let dns1123LabelMaxLength = 63
    public static let dns1123SubdomainMaxLength = 253
    public static let qualifiedNameMaxLength = 63
    public static let labelValueMaxLength = 63

    static let dns1123LabelMessage = regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?", examples: ["my-name", "123-abc"])
    static let dns1123SubdomainMessage = regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", examples: ["example.com"])
    static let qualifiedNameCore =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let qualifiedNameMessage = regexError(
        qualifiedNameCore, "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]", examples: ["MyName", "my.name", "123-abc"])
    static let labelValueMessage = regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", examples: ["MyValue", "my_value", "12345"])

    /// Names of namespaces, services and containers.
    public static func dns1123Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errors.append(maxLengthMessage(dns1123LabelMaxLength)) }
        if !isDNS1123Label(value) { errors.append(dns1123LabelMessage) }
        return errors
    }

    /// Names of most objects (deployments, pods, configmaps, ...).
    public static func dns1123Subdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errors.append(maxLengthMessage(dns1123SubdomainMaxLength)) }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        if !labels.allSatisfy({ isDNS1123Label($0) }) { errors.append(dns1123SubdomainMessage) }
        return errors
    }

    /// Label and annotation keys: `name` or `prefix/name`, the prefix a DNS subdomain.
    public static func qualifiedName(_ value: String) -> [String] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        var errors: [String] = []
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123Subdomain(String(parts[0])).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name " + qualifiedNameMessage
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > qualifiedNameMaxLength {
            errors.append("name part " + maxLengthMessage(qualifiedNameMaxLength))
        }
        if !isQualifiedNamePart(name) {
            errors.append("name part " + qualifiedNameMessage)
        }
        return errors
    }

    /// Label values: empty, or up to 63 alphanumerics with `-`, `_`, `.` inside.
    public static func labelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelValueMaxLength { errors.append(maxLengthMessage(labelValueMaxLength)) }
        if !value.isEmpty && !isQualifiedNamePart(Substring(value)) { errors.append(labelValueMessage) }
        return errors
    }

    /// Container, service and node ports.
    public static func portNumber(_ port: Int64) -> [String] {
        (1...65535).contains(port) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    /// Field errors for a labels map at `field` (`metadata.labels`), as `ValidateLabels` reports them.
    public static func labels(_ labels: [String: String], field: String) -> [FieldError] {
        var errors: [FieldError] = []
        for key in labels.keys.sorted() {
            errors += qualifiedName(key).map { FieldError.invalid(field, .string(key), $0) }
            errors += labelValue(labels[key] ?? "").map { FieldError.invalid(field, .string(labels[key] ?? ""), $0) }
        }
        return errors
    }

    /// Field errors for an object's `metadata.name`, checked as a DNS subdomain or label.
    public static func objectName(_ name: String?, generateName: String? = nil, asLabel: Bool = false) -> [FieldError] {
        guard let name, !name.isEmpty else {
            if let generateName, !generateName.isEmpty { return [] }
            return [.required("metadata.name", "name or generateName is required")]
        }
        let problems = asLabel ? dns1123Label(name) : dns1123Subdomain(name)
        return problems.map { FieldError.invalid("metadata.name", .string(name), $0) }
    }

    static func maxLengthMessage(_ length: Int) -> String { "must be no more than \(length) characters" }

    /// apimachinery's `RegexError`: the message, examples, and the regex itself.
    static func regexError(_ message: String, _ regex: String, examples: [String]) -> String {
        var text = message + " (e.g. "
        for (index, example) in examples.enumerated() {
            if index > 0 { text += " or " }
            text += "'\(example)', "
        }
        return text + "regex used for validation is '\(regex)')"
    }

    static func isDNS1123Label<S: StringProtocol>(_ value: S) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        func lowerAlnum(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        return lowerAlnum(first) && lowerAlnum(last) && bytes.allSatisfy { lowerAlnum($0) || $0 == 0x2D }
    }

    static func isQualifiedNamePart(_ value: Substring) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        func alnum(_ byte: UInt8) -> Bool {
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
        }
        return alnum(first) && alnum(last) && bytes.allSatisfy { alnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }
}
