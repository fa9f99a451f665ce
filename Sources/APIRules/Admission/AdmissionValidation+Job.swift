import SkiffAPI

extension Admission {
    /// batch/v1 Jobs (`ValidateJob`, `ValidateJobUpdate`).
    enum JobValidation {
        static let specPath = FieldPath.root.child("spec")

        static func job(_ object: JSONValue) -> [FieldError] {
            let spec = object["spec"]
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            for field in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished",
                "backoffLimitPerIndex", "maxFailedIndexes"]
            {
                errors += MetaValidation.nonNegative(spec[field], at: specPath.child(field))
            }
            if let mode = spec["completionMode"].stringValue {
                if mode != "NonIndexed" && mode != "Indexed" {
                    errors.append(specPath.child("completionMode").notSupported(.string(mode), ["NonIndexed", "Indexed"]))
                }
                if mode == "Indexed" && spec.isMissingField("completions") {
                    errors.append(specPath.child("completions").required("when completion mode is Indexed"))
                }
            }
            if let policy = spec["podReplacementPolicy"].stringValue {
                let supported = spec.isMissingField("podFailurePolicy") ? ["Failed", "TerminatingOrFailed"] : ["Failed"]
                if !supported.contains(policy) {
                    errors.append(specPath.child("podReplacementPolicy").notSupported(.string(policy), supported))
                }
            }
            let templatePath = specPath.child("template")
            // Kubernetes defaults an empty restart policy to Always before this check and then
            // rejects it below; Skiff leaves it empty, so the template is checked as if defaulted.
            var template = spec["template"]
            if template["spec"].objectValue != nil, template["spec"].isZeroField("restartPolicy") {
                template[path: ["spec", "restartPolicy"]] = "Always"
            }
            errors += PodValidation.template(template, at: templatePath)
            errors += restartPolicy(spec, at: templatePath.child("spec", "restartPolicy"))
            errors += selector(spec)
            return errors
        }

        /// A Job's pods run to completion: `Never` or `OnFailure`, and only `Never` with a pod failure policy.
        static func restartPolicy(_ spec: JSONValue, at path: FieldPath) -> [FieldError] {
            let policy = spec["template"]["spec"].stringField("restartPolicy")
            switch policy {
            case "", "Always":
                return [path.required("valid values: \"OnFailure\", \"Never\"")]
            case "OnFailure", "Never":
                if policy != "Never" && !spec.isMissingField("podFailurePolicy") {
                    return [path.invalid(.string(policy), "only \"Never\" is supported when podFailurePolicy is specified")]
                }
                return []
            default:
                return [path.notSupported(.string(policy), ["OnFailure", "Never"])]
            }
        }

        /// The selector must match the template. A generated selector is added by the defaults once
        /// the Job has a uid; until then a Job without `manualSelector` may lack one.
        static func selector(_ spec: JSONValue) -> [FieldError] {
            let selector = spec["selector"]
            let path = specPath.child("selector")
            if selector.isNull {
                return spec["manualSelector"].boolValue == true ? [path.required()] : []
            }
            var errors = SelectorValidation.labelSelector(selector, at: path)
            if let parsed = SelectorValidation.parsed(selector) {
                errors += SelectorValidation.templateMatch(parsed, template: spec["template"], at: specPath.child("template"))
            }
            return errors
        }

        static func update(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            let new = object["spec"]
            let previous = old["spec"]
            var errors = MetaValidation.immutable(new["selector"], previous["selector"], at: specPath.child("selector"))
            errors += MetaValidation.immutable(new["template"], previous["template"], at: specPath.child("template"))
            if new.stringField("completionMode") != "Indexed" {
                errors += MetaValidation.immutable(new["completions"], previous["completions"], at: specPath.child("completions"))
            }
            errors += MetaValidation.immutable(new["completionMode"], previous["completionMode"],
                at: specPath.child("completionMode"))
            errors += MetaValidation.immutable(new["podFailurePolicy"], previous["podFailurePolicy"],
                at: specPath.child("podFailurePolicy"))
            return errors
        }
    }
}
