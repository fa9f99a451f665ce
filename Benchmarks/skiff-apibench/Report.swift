import SkiffAPI

/// What a scenario prints: a few lines for people, one JSON object for the script,
/// and whether every request and event arrived (a run with losses is not a result).
struct Report {
    var text: String
    var json: JSONValue
    var complete: Bool
}
