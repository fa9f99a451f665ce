import SkiffAPI

/// The checks kubectl makes on a manifest before sending it, plus the one check the API
/// server would make that is cheap to make here (Secret `data` must be base64), so that a
/// broken file is refused with its name instead of half-applied.
enum ManifestValidation {
    /// Problems with one object, in kubectl's words (`apiVersion not set`, `kind not set`).
    static func problems(in object: JSONValue) -> [String] {
        var problems: [String] = []
        if object["apiVersion"].stringValue?.isEmpty ?? true { problems.append("apiVersion not set") }
        if object["kind"].stringValue?.isEmpty ?? true { problems.append("kind not set") }
        if !problems.isEmpty { return problems }
        if object["apiVersion"].stringValue == "v1", object["kind"].stringValue == "Secret" {
            problems += secretDataProblems(object["data"])
        }
        return problems
    }

    /// The server decodes each `data` value with Go's base64 and rejects the whole Secret
    /// (`illegal base64 data at input byte 4`); naming the key tells the user which one.
    private static func secretDataProblems(_ data: JSONValue) -> [String] {
        guard let members = data.objectValue else {
            if data.isNull { return [] }
            return ["data: expected a map of base64 strings"]
        }
        var problems: [String] = []
        for key in members.keys.sorted() {
            guard let value = members[key]?.stringValue else {
                problems.append("data[\(GoQuote.quote(key))]: expected a base64 string")
                continue
            }
            if let offset = GoBase64.firstIllegalByte(in: value) {
                problems.append("data[\(GoQuote.quote(key))]: illegal base64 data at input byte \(offset)")
            }
        }
        return problems
    }
}
