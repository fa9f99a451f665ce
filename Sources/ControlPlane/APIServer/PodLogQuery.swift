import Foundation
import SkiffAPI

/// `PodLogOptions` as the query of `GET …/pods/NAME/log` carries it, decoded and
/// validated the way kube-apiserver does (`ValidatePodLogOptions`), so that bad
/// values get the same 400/422 replies.
struct PodLogQuery: Sendable, Equatable {
    var container: String?
    var follow = false
    var previous = false
    var timestamps = false
    var tailLines: Int64?
    var sinceSeconds: Int64?
    var sinceTime: Date?
    var limitBytes: Int64?

    /// Decodes the query; a number or time that does not parse is a 400 worded as Go's
    /// parser words it. `insecureSkipTLSVerifyBackend` is accepted and ignored (the node
    /// is reached in-process, not over TLS).
    init(_ query: [(String, String)]) throws(APIStatus) {
        let first = QueryValues(query)
        container = first["container"]
        follow = first.flag("follow")
        previous = first.flag("previous")
        timestamps = first.flag("timestamps")
        tailLines = try first.integer("tailLines")
        sinceSeconds = try first.integer("sinceSeconds")
        limitBytes = try first.integer("limitBytes")
        if let text = first["sinceTime"], !text.isEmpty {
            guard let date = RFC3339.date(text) else {
                throw APIStatus.badRequest(
                    "parsing time \(GoQuote.quote(text)) as \"2006-01-02T15:04:05Z07:00\": cannot parse \(GoQuote.quote(text)) as \"2006\"")
            }
            sinceTime = date
        }
    }

    /// The field errors kube-apiserver reports, in its order; empty when valid.
    var errors: [FieldError] {
        var errors: [FieldError] = []
        if let tailLines, tailLines < 0 {
            errors.append(.invalid("tailLines", .integer(tailLines), "must be greater than or equal to 0"))
        }
        if let limitBytes, limitBytes < 1 {
            errors.append(.invalid("limitBytes", .integer(limitBytes), "must be greater than 0"))
        }
        if let sinceSeconds {
            if sinceTime != nil {
                errors.append(.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"))
            } else if sinceSeconds < 1 {
                errors.append(.invalid("sinceSeconds", .integer(sinceSeconds), "must be greater than 0"))
            }
        }
        return errors
    }

    /// 422 `PodLogOptions "NAME" is invalid: …` when any field is out of range.
    func validate(pod name: String) throws(APIStatus) {
        let errors = self.errors
        guard errors.isEmpty else {
            throw APIStatus.invalid(GroupKind(group: "", kind: "PodLogOptions"), name: name, errors: errors)
        }
    }

    func request(namespace: String, target: PodStreamingTarget) -> PodLogRequest {
        PodLogRequest(
            namespace: namespace, pod: target.pod, podUID: target.podUID, container: target.container,
            follow: follow, previous: previous, tailLines: tailLines.map { Int(clamping: $0) },
            sinceSeconds: sinceSeconds.map { Int(clamping: $0) }, sinceTime: sinceTime, timestamps: timestamps,
            limitBytes: limitBytes.map { Int(clamping: $0) })
    }
}

/// The first value of each query parameter, converted as apimachinery's query
/// parameter codec converts it.
struct QueryValues {
    private let query: [(String, String)]

    init(_ query: [(String, String)]) {
        self.query = query
    }

    subscript(_ name: String) -> String? {
        query.first { $0.0 == name }?.1
    }

    func all(_ name: String) -> [String] {
        query.filter { $0.0 == name }.map(\.1)
    }

    /// Absent is false; `0`, `f` and `false` (any case) are false; anything else,
    /// even an empty value, is true (`Convert_Slice_string_To_bool`).
    func flag(_ name: String) -> Bool {
        guard let value = self[name] else { return false }
        let lowered = value.lowercased()
        return !(lowered == "0" || lowered == "f" || lowered == "false")
    }

    /// Absent is nil; otherwise a base-10 Int64 or Go's `strconv.ParseInt` error.
    func integer(_ name: String) throws(APIStatus) -> Int64? {
        guard let value = self[name] else { return nil }
        guard let number = Int64(value) else {
            let digits = value.first == "-" || value.first == "+" ? value.dropFirst() : Substring(value)
            let isNumeric = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
            let reason = isNumeric ? "value out of range" : "invalid syntax"
            throw APIStatus.badRequest("strconv.ParseInt: parsing \(GoQuote.quote(value)): \(reason)")
        }
        return number
    }
}
