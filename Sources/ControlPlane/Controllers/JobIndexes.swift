import SkiffAPI

/// Indexed Jobs (`completionMode: Indexed`): each pod carries its completion
/// index (annotation and label `batch.kubernetes.io/job-completion-index`,
/// env `JOB_COMPLETION_INDEX`, hostname `<job>-<index>`), and
/// `status.completedIndexes` lists the succeeded ones as intervals (`0-2,4`).
enum JobIndexes {
    static let key = "batch.kubernetes.io/job-completion-index"

    /// The pod's completion index, nil when it has none or a malformed one.
    static func index(of pod: JSONValue) -> Int? {
        guard let text = pod.metadata.annotations[key] ?? pod.metadata.labels[key], let index = Int(text), index >= 0 else {
            return nil
        }
        return index
    }

    /// `1,3-5,7` → {1, 3, 4, 5, 7}; what does not parse is skipped.
    static func parse(_ text: String?) -> Set<Int> {
        var result = Set<Int>()
        for part in (text ?? "").split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1).compactMap { Int($0) }
            if bounds.count == 2, bounds[0] <= bounds[1] {
                result.formUnion(bounds[0]...bounds[1])
            } else if bounds.count == 1, !part.contains("-") {
                result.insert(bounds[0])
            }
        }
        return result
    }

    /// {0, 1, 2, 4} → `0-2,4`, as the job controller writes it.
    static func format(_ indexes: Set<Int>) -> String {
        var parts: [String] = []
        var run: (first: Int, last: Int)?
        for index in indexes.sorted() {
            if let current = run, index == current.last + 1 {
                run = (current.first, index)
                continue
            }
            if let current = run { parts.append(current.first == current.last ? "\(current.first)" : "\(current.first)-\(current.last)") }
            run = (index, index)
        }
        if let current = run { parts.append(current.first == current.last ? "\(current.first)" : "\(current.first)-\(current.last)") }
        return parts.joined(separator: ",")
    }

    /// Gives a pod made from the template its index, as the job controller does.
    static func assign(_ index: Int, job: String, to pod: inout JSONValue) {
        pod[path: ["metadata", "annotations", key]] = .string(String(index))
        pod[path: ["metadata", "labels", key]] = .string(String(index))
        if (pod["spec"]["hostname"].stringValue ?? "").isEmpty { pod["spec"]["hostname"] = .string("\(job)-\(index)") }
        let variable: JSONValue = [
            "name": "JOB_COMPLETION_INDEX",
            "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": .string("metadata.annotations['\(key)']")]],
        ]
        for list in ["initContainers", "containers"] {
            guard var containers = pod["spec"][list].arrayValue else { continue }
            for position in containers.indices {
                var env = containers[position]["env"].arrayValue ?? []
                guard !env.contains(where: { $0["name"].stringValue == "JOB_COMPLETION_INDEX" }) else { continue }
                env.append(variable)
                containers[position]["env"] = .array(env)
            }
            pod["spec"][list] = .array(containers)
        }
    }
}
