import SkiffAPI

extension Admission {
    /// apps/v1 Deployments, ReplicaSets, DaemonSets and StatefulSets.
    enum WorkloadValidation {
        static let specPath = FieldPath.root.child("spec")

        static func deployment(_ object: JSONValue) -> [FieldError] {
            let spec = object["spec"]
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            errors += MetaValidation.nonNegative(spec["replicas"], at: specPath.child("replicas"))
            errors += requiredSelector(spec["selector"], emptyMessage: "empty selector is invalid for deployment")
            errors += replicaTemplate(spec, controller: "ReplicaSet")
            errors += deploymentStrategy(spec["strategy"], at: specPath.child("strategy"))
            errors += MetaValidation.nonNegative(spec["minReadySeconds"], at: specPath.child("minReadySeconds"))
            errors += MetaValidation.nonNegative(spec["revisionHistoryLimit"], at: specPath.child("revisionHistoryLimit"))
            if let deadline = spec["progressDeadlineSeconds"].int64Value {
                errors += MetaValidation.nonNegative(.integer(deadline), at: specPath.child("progressDeadlineSeconds"))
                if deadline <= spec["minReadySeconds"].int64Value ?? 0 {
                    errors.append(specPath.child("progressDeadlineSeconds").invalid(
                        .integer(deadline), "must be greater than minReadySeconds"))
                }
            }
            return errors
        }

        static func replicaSet(_ object: JSONValue) -> [FieldError] {
            let spec = object["spec"]
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            errors += MetaValidation.nonNegative(spec["replicas"], at: specPath.child("replicas"))
            errors += MetaValidation.nonNegative(spec["minReadySeconds"], at: specPath.child("minReadySeconds"))
            // Kubernetes reuses the Deployment wording here.
            errors += requiredSelector(spec["selector"], emptyMessage: "empty selector is invalid for deployment")
            return errors + replicaTemplate(spec, controller: "ReplicaSet")
        }

        static func daemonSet(_ object: JSONValue) -> [FieldError] {
            let spec = object["spec"]
            let selector = spec["selector"]
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            errors += SelectorValidation.labelSelector(selector, at: specPath.child("selector"))
            let templatePath = specPath.child("template")
            errors += SelectorValidation.templateMatch(
                SelectorValidation.parsed(selector), template: spec["template"], at: templatePath)
            if selector.objectValue != nil && SelectorValidation.isEmpty(selector) {
                errors.append(specPath.child("selector").invalid(selector, "empty selector is invalid for daemonset"))
            }
            errors += PodValidation.template(spec["template"], at: templatePath)
            errors += alwaysRestarts(spec["template"], at: templatePath)
            if !spec["template"]["spec"].isMissingField("activeDeadlineSeconds") {
                errors.append(templatePath.child("spec", "activeDeadlineSeconds").forbidden(
                    "activeDeadlineSeconds in DaemonSet is not Supported"))
            }
            errors += MetaValidation.nonNegative(spec["minReadySeconds"], at: specPath.child("minReadySeconds"))
            errors += daemonSetStrategy(spec["updateStrategy"], at: specPath.child("updateStrategy"))
            errors += MetaValidation.nonNegative(spec["revisionHistoryLimit"], at: specPath.child("revisionHistoryLimit"))
            return errors
        }

        static func statefulSet(_ object: JSONValue) -> [FieldError] {
            let spec = object["spec"]
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            let policy = spec.stringField("podManagementPolicy")
            if policy.isEmpty {
                errors.append(specPath.child("podManagementPolicy").required())
            } else if policy != "OrderedReady" && policy != "Parallel" {
                errors.append(specPath.child("podManagementPolicy").invalid(
                    .string(policy), "must be 'OrderedReady' or 'Parallel'"))
            }
            errors += statefulSetStrategy(spec["updateStrategy"], at: specPath.child("updateStrategy"))
            errors += MetaValidation.nonNegative(spec["replicas"], at: specPath.child("replicas"))
            errors += requiredSelector(spec["selector"], emptyMessage: "empty selector is invalid for statefulset")
            let templatePath = specPath.child("template")
            errors += SelectorValidation.templateMatch(
                SelectorValidation.parsed(spec["selector"]), template: spec["template"], at: templatePath)
            errors += PodValidation.template(templateWithClaimVolumes(spec), at: templatePath)
            errors += alwaysRestarts(spec["template"], at: templatePath)
            if !spec["template"]["spec"].isMissingField("activeDeadlineSeconds") {
                errors.append(templatePath.child("spec", "activeDeadlineSeconds").forbidden(
                    "activeDeadlineSeconds in StatefulSet is not Supported"))
            }
            errors += MetaValidation.nonNegative(spec["minReadySeconds"], at: specPath.child("minReadySeconds"))
            errors += MetaValidation.nonNegative(spec["revisionHistoryLimit"], at: specPath.child("revisionHistoryLimit"))
            return errors
        }

        /// The template as its pods will be: each `volumeClaimTemplates` entry becomes a claim
        /// volume of the same name, so mounts of claim templates are not reported as not found.
        static func templateWithClaimVolumes(_ spec: JSONValue) -> JSONValue {
            var template = spec["template"]
            let claims = spec.listField("volumeClaimTemplates").compactMap { $0["metadata"]["name"].stringValue }
            guard !claims.isEmpty, template["spec"].objectValue != nil else { return template }
            var volumes = template["spec"].listField("volumes")
            let existing = Set(volumes.map { $0.stringField("name") })
            for claim in claims where !existing.contains(claim) {
                volumes.append(["name": .string(claim), "persistentVolumeClaim": ["claimName": .string(claim)]])
            }
            template[path: ["spec", "volumes"]] = .array(volumes)
            return template
        }

        /// `spec.selector` must be given and select something.
        static func requiredSelector(_ selector: JSONValue, emptyMessage: String) -> [FieldError] {
            let path = specPath.child("selector")
            guard selector.objectValue != nil else { return [path.required()] }
            var errors = SelectorValidation.labelSelector(selector, at: path)
            if SelectorValidation.isEmpty(selector) { errors.append(path.invalid(selector, emptyMessage)) }
            return errors
        }

        /// `ValidatePodTemplateSpecForReplicaSet`: labels selected, a valid template that restarts always.
        static func replicaTemplate(_ spec: JSONValue, controller: String) -> [FieldError] {
            let templatePath = specPath.child("template")
            let selector = spec["selector"]
            var errors: [FieldError] = []
            if !selector.isNull && SelectorValidation.parsed(selector) == nil {
                return [specPath.child("selector").invalid(selector, "invalid label selector")]
            }
            errors += SelectorValidation.templateMatch(
                SelectorValidation.parsed(selector), template: spec["template"], at: templatePath)
            errors += PodValidation.template(spec["template"], at: templatePath)
            errors += alwaysRestarts(spec["template"], at: templatePath)
            if !spec["template"]["spec"].isMissingField("activeDeadlineSeconds") {
                errors.append(templatePath.child("spec", "activeDeadlineSeconds").forbidden(
                    "activeDeadlineSeconds in \(controller) is not Supported"))
            }
            return errors
        }

        /// Workload pods are restarted in place, never left to finish.
        static func alwaysRestarts(_ template: JSONValue, at templatePath: FieldPath) -> [FieldError] {
            let policy = template["spec"].stringField("restartPolicy")
            guard policy != "Always" else { return [] }
            return [templatePath.child("spec", "restartPolicy").notSupported(.string(policy), ["Always"])]
        }

        static func deploymentStrategy(_ strategy: JSONValue, at path: FieldPath) -> [FieldError] {
            switch strategy.stringField("type") {
            case "Recreate":
                guard !strategy.isMissingField("rollingUpdate") else { return [] }
                return [path.child("rollingUpdate").forbidden("may not be specified when strategy `type` is 'Recreate'")]
            case "RollingUpdate":
                let rollingUpdate = strategy["rollingUpdate"]
                let rollingPath = path.child("rollingUpdate")
                guard rollingUpdate.objectValue != nil else {
                    return [rollingPath.required("this should be defaulted and never be nil")]
                }
                let unavailable = rollingUpdate["maxUnavailable"]
                let surge = rollingUpdate["maxSurge"]
                var errors = IntOrPercent.validate(unavailable, at: rollingPath.child("maxUnavailable"))
                errors += IntOrPercent.validate(surge, at: rollingPath.child("maxSurge"))
                if IntOrPercent.value(unavailable) == 0 && IntOrPercent.value(surge) == 0 {
                    errors.append(rollingPath.child("maxUnavailable").invalid(unavailable, "may not be 0 when `maxSurge` is 0"))
                }
                return errors + IntOrPercent.notMoreThan100Percent(unavailable, at: rollingPath.child("maxUnavailable"))
            default:
                return [path.notSupported(strategy, ["Recreate", "RollingUpdate"])]
            }
        }

        static func daemonSetStrategy(_ strategy: JSONValue, at path: FieldPath) -> [FieldError] {
            switch strategy.stringField("type") {
            case "OnDelete":
                return []
            case "RollingUpdate":
                let rollingUpdate = strategy["rollingUpdate"]
                let rollingPath = path.child("rollingUpdate")
                guard rollingUpdate.objectValue != nil else { return [rollingPath.required()] }
                let unavailable = rollingUpdate["maxUnavailable"]
                let surge = rollingUpdate["maxSurge"]
                var errors = IntOrPercent.validate(unavailable, at: rollingPath.child("maxUnavailable"))
                errors += IntOrPercent.validate(surge, at: rollingPath.child("maxSurge"))
                errors += IntOrPercent.notMoreThan100Percent(unavailable, at: rollingPath.child("maxUnavailable"))
                errors += IntOrPercent.notMoreThan100Percent(surge, at: rollingPath.child("maxSurge"))
                let hasUnavailable = IntOrPercent.value(unavailable) != 0
                let hasSurge = IntOrPercent.value(surge) != 0
                if hasUnavailable && hasSurge {
                    errors.append(rollingPath.child("maxSurge").invalid(surge, "may not be set when maxUnavailable is non-zero"))
                } else if !hasUnavailable && !hasSurge {
                    errors.append(rollingPath.child("maxUnavailable").required("cannot be 0 when maxSurge is 0"))
                }
                return errors
            default:
                return [path.notSupported(strategy, ["RollingUpdate", "OnDelete"])]
            }
        }

        static func statefulSetStrategy(_ strategy: JSONValue, at path: FieldPath) -> [FieldError] {
            switch strategy.stringField("type") {
            case "":
                return [path.required()]
            case "OnDelete":
                guard !strategy.isMissingField("rollingUpdate") else { return [] }
                return [path.child("rollingUpdate").invalid(strategy["rollingUpdate"], "only allowed for updateStrategy 'RollingUpdate'")]
            case "RollingUpdate":
                return MetaValidation.nonNegative(strategy["rollingUpdate"]["partition"],
                    at: path.child("rollingUpdate", "partition"))
            default:
                return [path.invalid(strategy, "must be 'RollingUpdate' or 'OnDelete'")]
            }
        }

        /// apps/v1 selectors cannot change once created.
        static func selectorUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            MetaValidation.immutable(object["spec"]["selector"], old["spec"]["selector"], at: specPath.child("selector"))
        }

        /// Members of a StatefulSet's spec that may change after creation.
        static let statefulSetMutableFields = [
            "replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds",
        ]

        static func statefulSetUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            var new = object["spec"]
            for field in statefulSetMutableFields { new[field] = old["spec"][field] }
            guard !MetaValidation.semanticallyEqual(new, old["spec"]) else { return [] }
            return [specPath.forbidden(
                "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")]
        }
    }

    /// `intstr.IntOrString` fields such as `maxSurge`: a non-negative integer or `"N%"`.
    enum IntOrPercent {
        static func validate(_ value: JSONValue, at path: FieldPath) -> [FieldError] {
            if let text = value.stringValue {
                return percent(text) == nil ? [path.invalid(value, NameRules.percentMessage)] : []
            }
            return MetaValidation.nonNegative(value, at: path)
        }

        /// The number, whether written as an integer or a percentage.
        static func value(_ value: JSONValue) -> Int64 {
            if let text = value.stringValue { return percent(text) ?? 0 }
            return value.int64Value ?? 0
        }

        static func percent(_ text: String) -> Int64? {
            guard text.hasSuffix("%"), text.count > 1 else { return nil }
            let digits = text.dropLast()
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int64(digits)
        }

        static func notMoreThan100Percent(_ value: JSONValue, at path: FieldPath) -> [FieldError] {
            guard let text = value.stringValue, let percent = percent(text), percent > 100 else { return [] }
            return [path.invalid(value, "must not be greater than 100%")]
        }
    }
}
