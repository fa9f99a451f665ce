import SkiffAPI

extension Admission {
    /// `ValidateLabelSelector` and the selector/template match that every controller checks.
    enum SelectorValidation {
        static let operators = ["In", "NotIn", "Exists", "DoesNotExist"]

        /// All problems of a structured selector (`matchLabels`, `matchExpressions`), not only the first.
        static func labelSelector(_ selector: JSONValue, at path: FieldPath) -> [FieldError] {
            guard selector.objectValue != nil else { return [] }
            var errors = MetaValidation.labels(selector["matchLabels"], at: path.child("matchLabels"))
            for (index, requirement) in selector.listField("matchExpressions").enumerated() {
                let requirementPath = path.child("matchExpressions").index(index)
                let values = requirement.listField("values")
                let op = requirement.stringField("operator")
                switch op {
                case "In", "NotIn":
                    if values.isEmpty {
                        errors.append(requirementPath.child("values").required(
                            "must be specified when `operator` is 'In' or 'NotIn'"))
                    }
                case "Exists", "DoesNotExist":
                    if !values.isEmpty {
                        errors.append(requirementPath.child("values").forbidden(
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                    }
                default:
                    errors.append(requirementPath.child("operator").invalid(.string(op), "not a valid selector operator"))
                }
                let key = requirement.stringField("key")
                errors += requirementPath.child("key").invalid(key, messages: NameValidation.qualifiedName(key))
                for (valueIndex, value) in values.enumerated() {
                    let text = value.stringValue ?? ""
                    errors += requirementPath.child("values").index(valueIndex).invalid(
                        text, messages: NameValidation.labelValue(text))
                }
            }
            return errors
        }

        /// The selector as `metav1.LabelSelectorAsSelector` builds it: nil for a missing selector
        /// (which selects nothing) or one that does not parse.
        static func parsed(_ selector: JSONValue) -> LabelSelector? {
            guard !selector.isNull else { return nil }
            return try? LabelSelector(json: selector)
        }

        /// The selector selects nothing or everything: no `matchLabels` and no `matchExpressions`.
        static func isEmpty(_ selector: JSONValue) -> Bool {
            (selector["matchLabels"].objectValue?.isEmpty ?? true) && selector.listField("matchExpressions").isEmpty
        }

        /// "`selector` does not match template `labels`" when the template's labels are not selected.
        /// A missing or unparsable selector selects nothing, so it never matches.
        static func templateMatch(_ selector: LabelSelector?, template: JSONValue, at templatePath: FieldPath)
            -> [FieldError]
        {
            let labels = template["metadata"].stringMapField("labels")
            guard selector?.matches(labels) != true else { return [] }
            return [templatePath.child("metadata", "labels").invalid(
                template["metadata"]["labels"], "`selector` does not match template `labels`")]
        }
    }
}
