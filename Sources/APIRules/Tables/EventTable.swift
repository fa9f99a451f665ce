import Foundation
import SkiffAPI

/// `kubectl get events`: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE
/// FIRST SEEN COUNT NAME (the wide cells sit where the columns put them, not at the end).
enum EventTable: TablePrinter {
    static let columns: [TableColumn] = [
        TableColumn(
            "Last Seen", description: "The time at which the most recent occurrence of this event was recorded."),
        TableColumn(
            "Type", description: "Type of this event (Normal, Warning), new types could be added in the future"),
        TableColumn(
            "Reason",
            description:
                "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."
        ),
        TableColumn("Object", description: "The object that this event is about."),
        TableColumn(
            "Subobject", priority: 1,
            description:
                "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object."
        ),
        TableColumn(
            "Source", priority: 1,
            description: "The component reporting this event. Should be a short machine understandable string."),
        TableColumn("Message", description: "A human-readable description of the status of this operation."),
        TableColumn(
            "First Seen", priority: 1,
            description: "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
        TableColumn("Count", priority: 1, description: "The number of times this event has occurred."),
        TableColumn(
            "Name", format: "name", priority: 1, description: TableColumn.name.description),
    ]

    static func cells(_ event: JSONValue, now: Date) -> [JSONValue] {
        // Events from the events.k8s.io API carry eventTime and series instead of the
        // first/last timestamps and count.
        var firstSeen = TableTime.since(event["firstTimestamp"], now: now)
        if event["firstTimestamp"].stringValue.flatMap(RFC3339.date) == nil {
            firstSeen = TableTime.since(event["eventTime"], now: now)
        }
        var lastSeen = TableTime.since(event["lastTimestamp"], now: now)
        if event["lastTimestamp"].stringValue.flatMap(RFC3339.date) == nil {
            lastSeen = firstSeen
        }
        var count = event["count"].tableInt
        let series = event["series"]
        if series.tableIsSet {
            lastSeen = TableTime.since(series["lastObservedTime"], now: now)
            count = series["count"].tableInt
        } else if count == 0 {
            count = 1
        }

        let involved = event["involvedObject"]
        let kind = involved["kind"].tableString.lowercased()
        let name = involved["name"].tableString
        return [
            .string(lastSeen),
            .string(event["type"].tableString),
            .string(event["reason"].tableString),
            .string(name.isEmpty ? kind : "\(kind)/\(name)"),
            .string(involved["fieldPath"].tableString),
            .string(source(event)),
            .string(event["message"].tableString.trimmingCharacters(in: .whitespacesAndNewlines)),
            .string(firstSeen),
            .integer(count),
            .string(event["metadata"]["name"].tableString),
        ]
    }

    /// `formatEventSource`: component (or reportingController), then `, host`
    /// (or reportingInstance) when there is one.
    private static func source(_ event: JSONValue) -> String {
        let component = firstNonEmpty(event["source"]["component"], event["reportingComponent"])
        let instance = firstNonEmpty(event["source"]["host"], event["reportingInstance"])
        return instance.isEmpty ? component : "\(component), \(instance)"
    }

    private static func firstNonEmpty(_ values: JSONValue...) -> String {
        values.map(\.tableString).first { !$0.isEmpty } ?? ""
    }
}
