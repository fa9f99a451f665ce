import SkiffAPI

extension Admission {
    /// A field path rendered as apimachinery's `field.Path` prints it: children joined by dots,
    /// list indices as `[0]` and map keys as `[key]` (`spec.containers[0].resources.limits[cpu]`).
    struct FieldPath: Hashable, Sendable, CustomStringConvertible {
        let description: String

        static let root = FieldPath(description: "")

        func child(_ names: String...) -> FieldPath {
            var text = description
            for name in names {
                text += text.isEmpty ? name : "." + name
            }
            return FieldPath(description: text)
        }

        func index(_ index: Int) -> FieldPath {
            FieldPath(description: description + "[\(index)]")
        }

        func key(_ key: String) -> FieldPath {
            FieldPath(description: description + "[\(key)]")
        }

        // The `field.*` constructors of apimachinery, bound to this path.

        func invalid(_ value: JSONValue, _ detail: String) -> FieldError {
            .invalid(description, value, detail)
        }

        func required(_ detail: String = "") -> FieldError {
            .required(description, detail)
        }

        func forbidden(_ detail: String) -> FieldError {
            .forbidden(description, detail)
        }

        func duplicate(_ value: JSONValue) -> FieldError {
            .duplicate(description, value)
        }

        func notFound(_ value: JSONValue) -> FieldError {
            FieldError(.notFound, field: description, badValue: value)
        }

        func notSupported(_ value: JSONValue, _ supported: [String]) -> FieldError {
            .notSupported(description, value, supported: supported)
        }

        func tooLong(_ maxLength: Int) -> FieldError {
            .tooLong(description, maxLength: maxLength)
        }

        /// One `Invalid` error per message, as validators that return `[]string` are wrapped.
        func invalid(_ value: String, messages: [String]) -> [FieldError] {
            messages.map { invalid(.string(value), $0) }
        }
    }
}
