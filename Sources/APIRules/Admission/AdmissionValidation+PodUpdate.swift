import SkiffAPI

extension Admission {
    /// `ValidatePodUpdate`: a Pod's spec is fixed once created, except images, a shrinking
    /// `activeDeadlineSeconds`, added tolerations and removed scheduling gates.
    /// Binding (`spec.nodeName` set once by the scheduler) is accepted here too, because Skiff's
    /// scheduler may bind through an update rather than the `binding` subresource.
    enum PodUpdateValidation {
        static let updatableFields = [
            "`spec.containers[*].image`",
            "`spec.initContainers[*].image`",
            "`spec.activeDeadlineSeconds`",
            "`spec.tolerations` (only additions to existing tolerations)",
            "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        ]

        static func pod(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            let specPath = FieldPath.root.child("spec")
            let new = object["spec"]
            let previous = old["spec"]
            var errors: [FieldError] = []
            for field in ["containers", "initContainers"] {
                if new.listField(field).count != previous.listField(field).count {
                    return [specPath.child(field).forbidden("pod updates may not add or remove containers")]
                }
            }
            if let deadline = new["activeDeadlineSeconds"].int64Value {
                if deadline < 0 || deadline > Int64(Int32.max) {
                    return errors + [specPath.child("activeDeadlineSeconds").invalid(
                        .integer(deadline), NameRules.inclusiveRange(0, Int64(Int32.max)))]
                }
                if let oldDeadline = previous["activeDeadlineSeconds"].int64Value, oldDeadline < deadline {
                    return errors + [specPath.child("activeDeadlineSeconds").invalid(
                        .integer(deadline), "must be less than or equal to previous value")]
                }
            } else if !previous.isMissingField("activeDeadlineSeconds") {
                errors.append(specPath.child("activeDeadlineSeconds").invalid(
                    .null, "must not update from a positive integer to nil value"))
            }
            errors += addedTolerationsOnly(new.listField("tolerations"), old: previous.listField("tolerations"),
                at: specPath.child("tolerations"))
            errors += removedGatesOnly(new.listField("schedulingGates"), old: previous.listField("schedulingGates"),
                at: specPath.child("schedulingGates"))
            if !MetaValidation.semanticallyEqual(mutableFieldsReset(new, to: previous), previous) {
                errors.append(specPath.forbidden(
                    "pod updates may not change fields other than " + updatableFields.joined(separator: ",")))
            }
            return errors
        }

        /// The new spec with every field a user may change put back to its old value.
        static func mutableFieldsReset(_ new: JSONValue, to old: JSONValue) -> JSONValue {
            var spec = new
            for field in ["containers", "initContainers"] {
                let oldContainers = old.listField(field)
                if var containers = spec[field].arrayValue {
                    for index in containers.indices where index < oldContainers.count {
                        containers[index]["image"] = oldContainers[index]["image"]
                    }
                    spec[field] = .array(containers)
                }
            }
            for field in ["activeDeadlineSeconds", "schedulingGates", "tolerations"] {
                spec[field] = old[field]
            }
            if let oldGrace = old["terminationGracePeriodSeconds"].int64Value, oldGrace < 0,
                spec["terminationGracePeriodSeconds"].int64Value == 1
            {
                spec["terminationGracePeriodSeconds"] = old["terminationGracePeriodSeconds"]
            }
            if old.isZeroField("nodeName") { spec["nodeName"] = old["nodeName"] }
            return spec
        }

        /// Existing tolerations may only change their `tolerationSeconds`.
        static func addedTolerationsOnly(_ new: [JSONValue], old: [JSONValue], at path: FieldPath) -> [FieldError] {
            for existing in old {
                let kept = new.contains { candidate in
                    var comparable = existing
                    comparable["tolerationSeconds"] = candidate["tolerationSeconds"]
                    return MetaValidation.semanticallyEqual(comparable, candidate)
                }
                if !kept { return [path.forbidden("existing toleration can not be modified except its tolerationSeconds")] }
            }
            return TolerationValidation.tolerations(new, at: path)
        }

        static func removedGatesOnly(_ new: [JSONValue], old: [JSONValue], at path: FieldPath) -> [FieldError] {
            let oldNames = Set(old.map { $0.stringField("name") })
            var errors: [FieldError] = []
            for (index, gate) in new.enumerated() where !oldNames.contains(gate.stringField("name")) {
                errors.append(path.index(index).child("name").forbidden(
                    "only deletion is allowed, but found new scheduling gate '\(gate.stringField("name"))'"))
            }
            return errors
        }
    }
}
