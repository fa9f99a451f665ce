/// Why a patch could not be applied or computed.
///
/// Messages are worded as the Kubernetes API server words them (apimachinery's
/// `mergepatch` errors, evanphx/json-patch v4 as the apiserver wraps it), because
/// kubectl prints them verbatim after "error: ... ".
public struct PatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which kind of reply the API server gives for this failure.
    public enum Kind: Sendable, Hashable {
        /// The patch document itself is malformed (400 BadRequest): a directive of the wrong
        /// shape, a body that is not the JSON type the patch type needs.
        case badRequest
        /// The patch is well formed but does not apply to this object (422): a failed JSON
        /// patch `test`, a missing path, a list item without its merge key.
        case unprocessable
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The HTTP status the API server replies with.
    public var httpStatus: Int {
        switch kind {
        case .badRequest: return 400
        case .unprocessable: return 422
        }
    }

    public var description: String { message }
}

/// apimachinery's `mergepatch` errors, with their exact texts.
extension PatchError {
    static let badJSONDocument = PatchError(.badRequest, "invalid JSON document")
    static let listOfLists = PatchError(.unprocessable, "lists of lists are not supported")
    static let badPrimitiveListFormat = PatchError(.badRequest, "invalid patch format of primitive list")
    static let badRetainKeysFormat = PatchError(.badRequest, "invalid patch format of retainKeys")
    static let badSetElementOrderFormat = PatchError(.badRequest, "invalid patch format of setElementOrder list")

    static func noMergeKey(_ item: JSONValue, _ mergeKey: String) -> PatchError {
        PatchError(
            .unprocessable,
            "map: \(PatchGoFormat.value(item)) does not contain declared merge key: \(mergeKey)")
    }

    /// Go's `expected a []interface {}, but received a string`.
    static func badArgumentType(expected: String, actual: JSONValue) -> PatchError {
        PatchError(.unprocessable, "expected a \(expected), but received a \(PatchGoFormat.typeName(actual))")
    }

    static func unknownPatchType(_ directive: JSONValue, in map: JSONValue) -> PatchError {
        PatchError(
            .unprocessable,
            "unknown patch type: \(PatchGoFormat.value(directive)) in map: \(PatchGoFormat.value(map))")
    }

    /// `encoding/json`'s complaint about a body of the wrong JSON type (400).
    static func cannotUnmarshal(_ value: JSONValue, into goType: String) -> PatchError {
        PatchError(.badRequest, "json: cannot unmarshal \(PatchGoFormat.jsonTypeName(value)) into Go value of type \(goType)")
    }

    static func elementTypesDiffer(_ lists: [[JSONValue]]) -> PatchError {
        PatchError(
            .unprocessable,
            "list element types are not identical: \(PatchGoFormat.value(.array(lists.map { .array($0) })))")
    }
}
