import SkiffAPI

extension Admission {
    /// `ValidateObjectMeta`: name, namespace, labels, annotations, owner references and finalizers.
    enum MetaValidation {
        /// The total size of all annotation keys and values may not exceed 256 KiB.
        static let annotationSizeLimit = 256 * 1024
        static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]

        /// Checks an object's metadata. A missing name is accepted when `generateName` is set,
        /// because the server generates the name before storing.
        static func objectMeta(_ object: JSONValue, namespaced: Bool, name rule: NameRules.Rule) -> [FieldError] {
            let meta = object["metadata"]
            let path = FieldPath.root.child("metadata")
            var errors: [FieldError] = []
            let generateName = meta.stringField("generateName")
            if !generateName.isEmpty {
                errors += path.child("generateName").invalid(
                    generateName, messages: NameRules.check(generateName, rule: rule, prefix: true))
            }
            let name = meta.stringField("name")
            if name.isEmpty {
                if generateName.isEmpty { errors.append(path.child("name").required("name or generateName is required")) }
            } else {
                errors += path.child("name").invalid(name, messages: NameRules.check(name, rule: rule))
            }
            if namespaced {
                let namespace = meta.stringField("namespace")
                if namespace.isEmpty {
                    errors.append(path.child("namespace").required())
                } else {
                    errors += path.child("namespace").invalid(namespace, messages: NameValidation.dns1123Label(namespace))
                }
            }
            if let generation = meta["generation"].int64Value, generation < 0 {
                errors.append(path.child("generation").invalid(.integer(generation), nonNegativeMessage))
            }
            errors += labels(meta["labels"], at: path.child("labels"))
            errors += annotations(meta["annotations"], at: path.child("annotations"))
            errors += ownerReferences(meta.listField("ownerReferences"), at: path.child("ownerReferences"))
            errors += finalizers(meta.listField("finalizers"), at: path.child("finalizers"))
            return errors
        }

        static let nonNegativeMessage = "must be greater than or equal to 0"

        /// `ValidateLabels` on a map at `path` (labels, node selectors, service selectors).
        static func labels(_ value: JSONValue, at path: FieldPath) -> [FieldError] {
            guard let object = value.objectValue else { return [] }
            var errors: [FieldError] = []
            for key in object.keys.sorted() {
                errors += path.invalid(key, messages: NameValidation.qualifiedName(key))
                if let labelValue = object[key]?.stringValue {
                    errors += path.invalid(labelValue, messages: NameValidation.labelValue(labelValue))
                }
            }
            return errors
        }

        /// `ValidateAnnotations`: keys are qualified names regardless of case, and the whole map is bounded.
        static func annotations(_ value: JSONValue, at path: FieldPath) -> [FieldError] {
            guard let object = value.objectValue else { return [] }
            var errors: [FieldError] = []
            var size = 0
            for key in object.keys.sorted() {
                errors += path.invalid(key, messages: NameValidation.qualifiedName(key.lowercased()))
                size += key.utf8.count + (object[key]?.stringValue?.utf8.count ?? 0)
            }
            if size > annotationSizeLimit { errors.append(path.tooLong(annotationSizeLimit)) }
            return errors
        }

        static func ownerReferences(_ references: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            var controllers: [String] = []
            for reference in references {
                let apiVersion = reference.stringField("apiVersion")
                let version = apiVersion.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
                if version.isEmpty {
                    errors.append(path.child("apiVersion").invalid(.string(apiVersion), "version must not be empty"))
                }
                for field in ["kind", "name", "uid"] where reference.stringField(field).isEmpty {
                    errors.append(path.child(field).invalid(.string(reference.stringField(field)), "must not be empty"))
                }
                if reference["controller"].boolValue == true {
                    controllers.append("\(reference.stringField("kind"))/\(reference.stringField("name"))")
                }
            }
            if controllers.count > 1 {
                errors.append(path.invalid(.array(references),
                    "Only one reference can have Controller set to true. Found \"true\" in references for "
                    + controllers.joined(separator: " and ")))
            }
            return errors
        }

        static func finalizers(_ finalizers: [JSONValue], at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            for (index, value) in finalizers.enumerated() {
                let name = value.stringValue ?? ""
                errors += path.invalid(name, messages: NameValidation.qualifiedName(name))
                if !name.contains("/"), !standardFinalizers.contains(name) {
                    errors.append(path.index(index).invalid(.string(name),
                        "name is neither a standard finalizer name nor is it fully qualified"))
                }
            }
            return errors
        }

        /// `ValidateNonnegativeField` for an optional integer member.
        static func nonNegative(_ value: JSONValue, at path: FieldPath) -> [FieldError] {
            guard let number = value.int64Value, number < 0 else { return [] }
            return [path.invalid(.integer(number), nonNegativeMessage)]
        }

        /// Equal as `Semantic.DeepEqual` compares: nulls, empty lists and empty objects are alike.
        static func semanticallyEqual(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
            JSONValue.object(["value": lhs]).semanticallyNormalized == JSONValue.object(["value": rhs]).semanticallyNormalized
        }

        /// `ValidateImmutableField` on two JSON values, compared as `Semantic.DeepEqual` does.
        static func immutable(_ new: JSONValue, _ old: JSONValue, at path: FieldPath) -> [FieldError] {
            guard !semanticallyEqual(new, old) else { return [] }
            return [path.invalid(new, "field is immutable")]
        }
    }
}
