import Foundation
import SkiffAPI

/// `kubectl get jobs`: NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR.
enum JobTable: TablePrinter {
    static let columns: [TableColumn] = [
        .name,
        TableColumn("Status", description: "Status of the job."),
        TableColumn(
            "Completions",
            description:
                "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."
        ),
        TableColumn("Duration", description: "Time required to complete the job."),
        .age, .containers, .images,
        TableColumn(
            "Selector", priority: 1,
            description:
                "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
        ),
    ]

    static func cells(_ job: JSONValue, now: Date) -> [JSONValue] {
        let spec = job["spec"]
        let (names, images) = TableFormat.containerCells(spec["template"]["spec"]["containers"])
        return [
            .string(job["metadata"]["name"].tableString),
            .string(status(job)),
            .string(completions(job)),
            .string(duration(job["status"], now: now)),
            .string(TableTime.since(job["metadata"]["creationTimestamp"], now: now)),
            names, images,
            .string(TableFormat.labelSelector(spec["selector"])),
        ]
    }

    /// `1/3`, or `0/1 of 4` for a work queue job (no completions, parallelism above one).
    private static func completions(_ job: JSONValue) -> String {
        let succeeded = job["status"]["succeeded"].tableInt
        if let completions = job["spec"]["completions"].int64Value {
            return "\(succeeded)/\(completions)"
        }
        let parallelism = job["spec"]["parallelism"].tableInt
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    /// From `startTime` to `completionTime`, or to now while running; empty before it starts.
    private static func duration(_ status: JSONValue, now: Date) -> String {
        guard let start = status["startTime"].stringValue.flatMap(RFC3339.date) else { return "" }
        let end = status["completionTime"].stringValue.flatMap(RFC3339.date) ?? now
        return HumanDuration.string(end.timeIntervalSince(start))
    }

    /// The first of Complete, Failed, Terminating, Suspended, FailureTarget that holds, else Running.
    private static func status(_ job: JSONValue) -> String {
        let conditions = job["status"]["conditions"].tableList
        func holds(_ type: String) -> Bool {
            conditions.first { $0["type"].tableString == type }?["status"].tableString == "True"
        }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if job["metadata"]["deletionTimestamp"].tableIsSet { return "Terminating" }
        if holds("Suspended") { return "Suspended" }
        if holds("FailureTarget") { return "FailureTarget" }
        return "Running"
    }
}
