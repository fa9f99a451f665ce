import SkiffAPI

extension Admission {
    /// `ValidateTolerations`.
    enum TolerationValidation {
        static let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

        static func tolerations(_ tolerations: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            for (index, toleration) in tolerations.enumerated() {
                let tolerationPath = path.index(index)
                let key = toleration.stringField("key")
                let op = toleration.stringField("operator")
                let effect = toleration.stringField("effect")
                if !key.isEmpty {
                    errors += tolerationPath.child("key").invalid(key, messages: NameValidation.qualifiedName(key))
                }
                if key.isEmpty && op != "Exists" {
                    errors.append(tolerationPath.child("operator").invalid(.string(op),
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
                }
                if !toleration.isMissingField("tolerationSeconds") && effect != "NoExecute" {
                    errors.append(tolerationPath.child("effect").invalid(.string(effect),
                        "effect must be 'NoExecute' when `tolerationSeconds` is set"))
                }
                switch op {
                case "Equal", "":
                    let value = toleration.stringField("value")
                    let problems = NameValidation.labelValue(value)
                    if !problems.isEmpty {
                        errors.append(tolerationPath.child("operator").invalid(.string(value), problems.joined(separator: ";")))
                    }
                case "Exists":
                    if !toleration.isZeroField("value") {
                        errors.append(tolerationPath.child("operator").invalid(toleration,
                            "value must be empty when `operator` is 'Exists'"))
                    }
                default:
                    errors.append(tolerationPath.child("operator").notSupported(.string(op), ["Equal", "Exists"]))
                }
                if !effect.isEmpty && !effects.contains(effect) {
                    errors.append(tolerationPath.child("effect").notSupported(.string(effect), effects))
                }
            }
            return errors
        }
    }
}
