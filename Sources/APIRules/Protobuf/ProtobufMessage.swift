import SkiffAPI

/// A message's members while it is read. Lists and maps grow in place, so a body with many
/// entries decodes in linear time.
struct ProtobufMessage {
    var members: [String: JSONValue] = [:]
    var lists: [String: [JSONValue]] = [:]
    var maps: [String: [String: JSONValue]] = [:]

    var json: JSONValue {
        var object = members
        for (name, list) in lists { object[name] = .array(list) }
        for (name, map) in maps { object[name] = .object(map) }
        return .object(object)
    }
}
