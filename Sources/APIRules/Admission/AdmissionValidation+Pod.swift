import SkiffAPI

extension Admission {
    /// Pods (`ValidatePodCreate`) and the pod templates inside workloads (`ValidatePodTemplateSpec`).
    enum PodValidation {
        /// `creating` adds the checks of `ValidatePodCreate`: ephemeral containers are only added
        /// later (by `kubectl debug`), and a gated pod cannot arrive already bound.
        static func pod(_ object: JSONValue, creating: Bool) -> [FieldError] {
            let specPath = FieldPath.root.child("spec")
            let spec = object["spec"]
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            errors += PodSpecValidation.podSpec(spec, isPod: true, at: specPath)
            for field in ["containers", "initContainers"] {
                for (index, container) in spec.listField(field).enumerated() {
                    let image = container.stringField("image")
                    if image != image.trimmingWhitespace {
                        errors.append(specPath.child(field).index(index).child("image").invalid(
                            .string(image), "must not have leading or trailing whitespace"))
                    }
                }
            }
            guard creating else { return errors }
            if !spec.listField("ephemeralContainers").isEmpty {
                errors.append(specPath.child("ephemeralContainers").forbidden("cannot be set on create"))
            }
            if !spec.isZeroField("nodeName") && !spec.listField("schedulingGates").isEmpty {
                errors.append(specPath.child("nodeName").forbidden("cannot be set until all schedulingGates have been cleared"))
            }
            return errors
        }

        /// A pod template: its labels and annotations (named without `metadata`, as Kubernetes does)
        /// and its PodSpec.
        static func template(_ template: JSONValue, at path: FieldPath) -> [FieldError] {
            var errors = MetaValidation.labels(template["metadata"]["labels"], at: path.child("labels"))
            errors += MetaValidation.annotations(template["metadata"]["annotations"], at: path.child("annotations"))
            errors += PodSpecValidation.podSpec(template["spec"], isPod: false, at: path.child("spec"))
            if !template["spec"].listField("ephemeralContainers").isEmpty {
                errors.append(path.child("spec", "ephemeralContainers").forbidden(
                    "ephemeral containers not allowed in pod template"))
            }
            return errors
        }
    }
}

extension String {
    /// The string without leading and trailing Unicode whitespace, as Go's `strings.TrimSpace`.
    fileprivate var trimmingWhitespace: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
