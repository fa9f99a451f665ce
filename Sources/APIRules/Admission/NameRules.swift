import SkiffAPI

extension Admission {
    /// The name checks of apimachinery that `NameValidation` does not offer, with their exact
    /// messages, and the per-kind choice of name rule.
    enum NameRules {
        /// How a kind's `metadata.name` is checked (`ValidateNameFunc`).
        enum Rule: Sendable {
            /// DNS-1123 subdomain: most kinds.
            case subdomain
            /// DNS-1123 label: namespaces.
            case label
            /// DNS-1035 label: services, whose names become DNS labels that must start with a letter.
            case dns1035
        }

        /// Problems with `name`; `prefix` is for `generateName`, where a trailing `-` is allowed
        /// because a random suffix follows.
        static func check(_ name: String, rule: Rule, prefix: Bool = false) -> [String] {
            var value = name
            if prefix, value.hasSuffix("-") { value.removeLast() }
            switch rule {
            case .subdomain: return NameValidation.dns1123Subdomain(value)
            case .label: return NameValidation.dns1123Label(value)
            case .dns1035: return dns1035Label(value)
            }
        }

        static let dns1035LabelMessage = regexError(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?", examples: ["my-name", "abc-123"])

        static func dns1035Label(_ value: String) -> [String] {
            var errors: [String] = []
            if value.utf8.count > 63 { errors.append(maxLengthMessage(63)) }
            let bytes = Array(value.utf8)
            let valid = bytes.first.map(isLowerLetter) == true && bytes.last.map(isLowerAlphanumeric) == true
                && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            if !valid { errors.append(dns1035LabelMessage) }
            return errors
        }

        static let configMapKeyMessage = regexError(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+", examples: ["key.name", "KEY_NAME", "key-name"])

        /// Keys of Secret and ConfigMap data, which become file names in volumes.
        static func configMapKey(_ key: String) -> [String] {
            var errors: [String] = []
            if key.utf8.count > 253 { errors.append(maxLengthMessage(253)) }
            let valid = !key.isEmpty && key.utf8.allSatisfy { isAlphanumeric($0) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F }
            if !valid { errors.append(configMapKeyMessage) }
            if key == "." {
                errors.append("must not be '.'")
            } else if key == ".." {
                errors.append("must not be '..'")
            } else if key.hasPrefix("..") {
                errors.append("must not start with '..'")
            }
            return errors
        }

        /// Named ports (`IsValidPortName`): an IANA service name.
        static func portName(_ name: String) -> [String] {
            var errors: [String] = []
            let bytes = Array(name.utf8)
            if bytes.count > 15 { errors.append(maxLengthMessage(15)) }
            if bytes.isEmpty || !bytes.allSatisfy({ isLowerAlphanumeric($0) || $0 == 0x2D }) {
                errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
            }
            if !bytes.contains(where: isLowerLetter) {
                errors.append("must contain at least one letter (a-z)")
            }
            if name.contains("--") { errors.append("must not contain consecutive hyphens") }
            if bytes.first == 0x2D || bytes.last == 0x2D { errors.append("must not begin or end with a hyphen") }
            return errors
        }

        /// Environment variable names and `envFrom` prefixes, under the relaxed rule that
        /// Kubernetes 1.32 enables by default (RelaxedEnvironmentVariableValidation).
        static func environmentVariableName(_ name: String) -> [String] {
            if name.isEmpty { return ["environment variable name must be non-empty"] }
            let printable = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && $0 != "=" }
            return printable
                ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"]
        }

        static let percentMessage = regexError(
            "a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%",
            examples: ["1%", "93%"])

        /// `validation.InclusiveRangeError`.
        static func inclusiveRange(_ low: Int64, _ high: Int64) -> String {
            "must be between \(low) and \(high), inclusive"
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

        static func isLowerLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
        static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        static func isLowerAlphanumeric(_ byte: UInt8) -> Bool { isLowerLetter(byte) || isDigit(byte) }
        static func isAlphanumeric(_ byte: UInt8) -> Bool { isLowerAlphanumeric(byte) || (0x41...0x5A).contains(byte) }
    }
}
