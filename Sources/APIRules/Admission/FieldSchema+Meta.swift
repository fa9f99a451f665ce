extension Admission.FieldSchema {
    static let ownerReference = fields(["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"])

    static let managedFieldsEntry = fields(["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource"])

    static let objectMeta = fields(
        [
            "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
            "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "finalizers",
        ],
        ["ownerReferences": .list(ownerReference), "managedFields": .list(managedFieldsEntry)])

    static let labelSelector = fields(
        ["matchLabels"], ["matchExpressions": .list(fields(["key", "operator", "values"]))])

    static let objectReference = fields(["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"])

    static let localObjectReference = fields(["name"])

    /// `apiVersion`, `kind` and `metadata`, which every kind has, plus the kind's own members.
    static func kind(_ scalars: [String] = [], _ nested: [String: Admission.FieldSchema]) -> Admission.FieldSchema {
        fields(["apiVersion", "kind"] + scalars, ["metadata": objectMeta].merging(nested) { $1 })
    }
}
