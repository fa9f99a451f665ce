import Foundation
import SkiffAPI
import Yams

/// Turns a composed Yams document into `JSONValue` the way `sigs.k8s.io/yaml` turns YAML
/// into JSON for kubectl: plain scalars resolve by go-yaml v2's rules (so `replicas: 3` is an
/// integer and `"3"` a string), timestamps stay strings, non-string keys become their text,
/// `<<` merges mappings, and values JSON cannot hold (`.inf`, `.nan`) are refused.
///
/// Working from Yams' node tree rather than its `Decodable` support keeps the source marks,
/// so errors name the line, and never depends on the order of keys.
struct YAMLNodeConverter {
    /// A conversion failure with the 1-based line it concerns.
    struct Failure: Error {
        var line: Int?
        var problem: String
    }

    /// Aliases share nodes, so a small document can expand enormously ("billion laughs");
    /// go-yaml refuses such documents too.
    static let maximumExpandedNodes = 2_000_000

    private var expandedNodes = 0

    init() {}

    mutating func convert(_ node: Node) throws(Failure) -> JSONValue {
        expandedNodes += 1
        if expandedNodes > Self.maximumExpandedNodes {
            throw Failure(line: node.mark?.line, problem: "document contains excessive aliasing")
        }
        switch node {
        case .scalar(let scalar):
            return try Self.convertScalar(scalar)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            elements.reserveCapacity(sequence.count)
            for element in sequence { elements.append(try convert(element)) }
            return .array(elements)
        case .mapping(let mapping):
            return .object(try convertMapping(mapping))
        case .alias(let alias):
            throw Failure(line: alias.mark?.line, problem: "unknown anchor '\(alias.anchor.rawValue)' referenced")
        }
    }

    private mutating func convertMapping(_ mapping: Node.Mapping) throws(Failure) -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        var merged: [String: JSONValue] = [:]
        for (keyNode, valueNode) in mapping {
            if case .scalar(let keyScalar) = keyNode, keyScalar.tagName == .implicit || keyScalar.tagName == .merge,
                keyScalar.style == .plain, keyScalar.string == "<<"
            {
                // Explicit keys win over merged ones, and earlier merge sources over later ones.
                for source in try mergeSources(valueNode).reversed() {
                    merged.merge(source) { _, new in new }
                }
                continue
            }
            let key = try Self.keyString(keyNode)
            object[key] = try convert(valueNode)
        }
        return merged.merging(object) { _, explicit in explicit }
    }

    private mutating func mergeSources(_ node: Node) throws(Failure) -> [[String: JSONValue]] {
        switch node {
        case .mapping(let mapping):
            return [try convertMapping(mapping)]
        case .sequence(let sequence):
            var sources: [[String: JSONValue]] = []
            for element in sequence {
                guard case .mapping(let mapping) = element else {
                    throw Failure(line: element.mark?.line, problem: "map merge requires map or sequence of maps as the value")
                }
                sources.append(try convertMapping(mapping))
            }
            return sources
        default:
            throw Failure(line: node.mark?.line, problem: "map merge requires map or sequence of maps as the value")
        }
    }

    /// JSON keys are strings; sigs.k8s.io/yaml writes other scalar keys as their value's text.
    private static func keyString(_ node: Node) throws(Failure) -> String {
        guard case .scalar(let scalar) = node else {
            throw Failure(line: node.mark?.line, problem: "invalid map key: a mapping key must be a scalar")
        }
        switch try convertScalar(scalar) {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .double(let number): return GoNumberFormat.yamlFloat(number)
        default: return scalar.string
        }
    }

    static func convertScalar(_ scalar: Node.Scalar) throws(Failure) -> JSONValue {
        let line = scalar.mark?.line
        switch scalar.tagName {
        case .implicit:
            guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
            return try resolved(scalar.string, line: line)
        case .str, .binary, .timestamp:
            return .string(scalar.string)
        case .null:
            return .null
        case .bool, .int, .float:
            let value = try resolved(scalar.string, line: line)
            let matches: Bool
            switch (scalar.tagName, value) {
            case (.bool, .bool), (.int, .integer), (.float, .double), (.float, .integer): matches = true
            default: matches = false
            }
            guard matches else {
                throw Failure(line: line, problem: "cannot decode !!\(scalar.tagName.shortName) `\(scalar.string)`")
            }
            return value
        default:
            // Unknown local tags (`!foo`) are ignored, as go-yaml does for values headed to JSON.
            return try resolved(scalar.string, line: line)
        }
    }

    private static func resolved(_ text: String, line: Int?) throws(Failure) -> JSONValue {
        switch YAMLScalarResolution.resolve(text) {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .integer(let number): return .integer(number)
        case .double(let number):
            guard number.isFinite else {
                throw Failure(line: line, problem: "json: unsupported value: \(GoNumberFormat.yamlFloat(number))")
            }
            // Go marshals an integral float64 without a fraction, and the decoder then reads an
            // integer: `replicas: 3.0` reaches the server as 3.
            if number.rounded() == number, abs(number) < 1e21, let exact = Int64(exactly: number) {
                return .integer(exact)
            }
            return .double(number)
        case .timestamp, .merge, .string:
            return .string(text)
        }
    }
}

extension Node.Scalar {
    /// The scalar's tag name (Yams keeps `Tag.name` internal; the raw value is the name).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}

extension Tag.Name {
    /// `int` for `tag:yaml.org,2002:int`, as go-yaml names tags in messages.
    fileprivate var shortName: String {
        rawValue.split(separator: ":").last.map(String.init) ?? rawValue
    }
}
