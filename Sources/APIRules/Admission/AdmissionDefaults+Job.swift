import SkiffAPI

extension Admission {
    /// Defaults of batch/v1 Jobs (SetDefaults_Job) and the selector the Job registry generates.
    enum JobDefaults {
        /// The label the generated selector matches, unique to one Job.
        static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
        static let jobNameLabel = "batch.kubernetes.io/job-name"
        static let legacyControllerUIDLabel = "controller-uid"
        static let legacyJobNameLabel = "job-name"

        static func job(_ object: inout JSONValue) {
            // A Job's template must name Never or OnFailure itself; validation says so.
            WorkloadDefaults.updateSpec(&object, defaultRestartPolicy: false) { spec in
                if spec.isMissingField("completions") && spec.isMissingField("parallelism") {
                    spec["completions"] = 1
                    spec["parallelism"] = 1
                }
                spec.defaultIfMissing("parallelism", 1)
                if spec.isMissingField("backoffLimit") {
                    spec["backoffLimit"] = spec.isMissingField("backoffLimitPerIndex") ? 6 : .integer(Int64(Int32.max))
                }
                spec.defaultIfMissing("completionMode", "NonIndexed")
                spec.defaultIfMissing("suspend", false)
                spec.updateObject("podFailurePolicy") { policy in
                    policy.updateEach("rules") { rule in
                        rule.updateEach("onPodConditions") { $0.defaultIfZero("status", "True") }
                    }
                }
                spec.defaultIfMissing(
                    "podReplacementPolicy", spec.isMissingField("podFailurePolicy") ? "TerminatingOrFailed" : "Failed")
                spec.defaultIfMissing("manualSelector", false)
            }
            generateSelector(&object)
            // Kubernetes copies the template's labels when it reads the Job back from storage, after
            // the selector was generated, so stored Jobs carry the generated labels too.
            let templateLabels = object["spec"]["template"]["metadata"]["labels"]
            if templateLabels.objectValue != nil, object["metadata"]["labels"].objectValue?.isEmpty ?? true {
                object[path: ["metadata", "labels"]] = templateLabels
            }
        }

        /// What the Job registry does on create unless `manualSelector` is true: label the pod
        /// template with the Job's name and uid and select on the uid. It needs `metadata.uid`,
        /// so it is skipped until the server has assigned one.
        static func generateSelector(_ object: inout JSONValue) {
            guard object["spec"]["manualSelector"].boolValue != true,
                let uid = object["metadata"]["uid"].stringValue, !uid.isEmpty,
                object["spec"].objectValue != nil
            else { return }
            let name = object["metadata"].stringField("name")
            var labels = object["spec"]["template"]["metadata"]["labels"].objectValue ?? [:]
            for key in [legacyJobNameLabel, jobNameLabel] where labels[key] == nil {
                labels[key] = .string(name)
            }
            for key in [legacyControllerUIDLabel, controllerUIDLabel] where labels[key] == nil {
                labels[key] = .string(uid)
            }
            object[path: ["spec", "template", "metadata", "labels"]] = .object(labels)
            if object["spec"]["selector"]["matchLabels"][controllerUIDLabel].isNull {
                object[path: ["spec", "selector", "matchLabels", controllerUIDLabel]] = .string(uid)
            }
        }
    }
}
