extension LabelSelector {
    /// Reads the structured form `{matchLabels: {...}, matchExpressions: [{key, operator, values}]}`
    /// as `metav1.LabelSelectorAsSelector` does; `field` prefixes error paths
    /// (`spec.selector`). A null or empty object selects everything; whether a missing
    /// selector is allowed is the caller's rule.
    public init(json: JSONValue, field: String = "selector") throws(FieldError) {
        if json.isNull {
            self = .everything
            return
        }
        guard json.objectValue != nil else {
            throw FieldError(.typeInvalid, field: field, badValue: json, detail: "must be an object")
        }
        var requirements: [LabelRequirement] = []
        let matchLabels = json["matchLabels"]
        if !matchLabels.isNull {
            guard let labels = matchLabels.stringMapValue else {
                throw FieldError(.typeInvalid, field: "\(field).matchLabels", badValue: matchLabels,
                    detail: "must be a map of strings")
            }
            if let error = NameValidation.labels(labels, field: "\(field).matchLabels").first { throw error }
            requirements += labels.map { LabelRequirement(key: $0.key, op: .equals, values: [$0.value]) }
        }
        let expressions = json["matchExpressions"]
        if !expressions.isNull {
            guard let list = expressions.arrayValue else {
                throw FieldError(.typeInvalid, field: "\(field).matchExpressions", badValue: expressions,
                    detail: "must be a list")
            }
            for (index, expression) in list.enumerated() {
                requirements.append(try Self.requirement(expression, field: "\(field).matchExpressions[\(index)]"))
            }
        }
        self.init(requirements: requirements)
    }

    private static func requirement(_ json: JSONValue, field: String) throws(FieldError) -> LabelRequirement {
        guard let key = json["key"].stringValue else {
            throw FieldError.required("\(field).key")
        }
        if let problem = NameValidation.qualifiedName(key).first {
            throw FieldError.invalid("\(field).key", .string(key), problem)
        }
        let operatorValue = json["operator"]
        let values = (json["values"].arrayValue ?? []).compactMap(\.stringValue)
        let op: LabelRequirement.Operator
        switch operatorValue.stringValue {
        case "In": op = .in
        case "NotIn": op = .notIn
        case "Exists": op = .exists
        case "DoesNotExist": op = .doesNotExist
        default:
            throw FieldError.notSupported(
                "\(field).operator", operatorValue, supported: ["In", "NotIn", "Exists", "DoesNotExist"])
        }
        if (op == .in || op == .notIn) && values.isEmpty {
            throw FieldError.required("\(field).values", "must be specified when `operator` is 'In' or 'NotIn'")
        }
        if (op == .exists || op == .doesNotExist) && !values.isEmpty {
            throw FieldError.forbidden(
                "\(field).values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
        }
        for (index, value) in values.enumerated() {
            if let problem = NameValidation.labelValue(value).first {
                throw FieldError.invalid("\(field).values[\(index)]", .string(value), problem)
            }
        }
        return LabelRequirement(key: key, op: op, values: values)
    }
}
