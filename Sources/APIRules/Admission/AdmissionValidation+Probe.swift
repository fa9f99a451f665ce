import SkiffAPI

extension Admission {
    /// Probes and lifecycle hooks: exactly one handler, and non-negative timings.
    enum ProbeValidation {
        static let schemes = ["HTTP", "HTTPS"]

        enum Kind {
            case liveness, readiness, startup
        }

        static func probe(_ probe: JSONValue, kind: Kind, gracePeriod: Int64?, at path: FieldPath) -> [FieldError] {
            guard probe.objectValue != nil else { return [] }
            var errors = handler(probe, allowsSleep: false, gracePeriod: gracePeriod, at: path)
            for field in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
                errors += MetaValidation.nonNegative(probe[field], at: path.child(field))
            }
            if let seconds = probe["terminationGracePeriodSeconds"].int64Value, seconds <= 0 {
                errors.append(path.child("terminationGracePeriodSeconds").invalid(.integer(seconds), "must be greater than 0"))
            }
            switch kind {
            case .liveness, .startup:
                let threshold = probe["successThreshold"].int64Value ?? 0
                if threshold != 1 {
                    errors.append(path.child("successThreshold").invalid(.integer(threshold), "must be 1"))
                }
            case .readiness:
                if !probe["terminationGracePeriodSeconds"].isNull {
                    errors.append(path.child("terminationGracePeriodSeconds").invalid(
                        probe["terminationGracePeriodSeconds"], "must not be set for readinessProbes"))
                }
            }
            return errors
        }

        static func lifecycle(_ lifecycle: JSONValue, gracePeriod: Int64?, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            for hook in ["postStart", "preStop"] where lifecycle[hook].objectValue != nil {
                errors += handler(lifecycle[hook], allowsSleep: true, gracePeriod: gracePeriod, at: path.child(hook))
            }
            return errors
        }

        /// Exactly one of `exec`, `httpGet`, `tcpSocket`, `grpc` (probes) or `sleep` (hooks).
        static func handler(_ handler: JSONValue, allowsSleep: Bool, gracePeriod: Int64?, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            var count = 0
            let kinds = allowsSleep ? ["exec", "httpGet", "tcpSocket", "sleep"] : ["exec", "httpGet", "tcpSocket", "grpc"]
            for kind in kinds where handler[kind].objectValue != nil {
                let actionPath = path.child(kind)
                if count > 0 {
                    errors.append(actionPath.forbidden("may not specify more than 1 handler type"))
                    continue
                }
                count += 1
                let action = handler[kind]
                switch kind {
                case "exec":
                    if action.listField("command").isEmpty { errors.append(actionPath.child("command").required()) }
                case "httpGet":
                    if action.isZeroField("path") { errors.append(actionPath.child("path").required()) }
                    errors += ContainerValidation.portNumberOrName(action["port"], at: actionPath.child("port"))
                    let scheme = action.stringField("scheme")
                    if !schemes.contains(scheme) {
                        errors.append(actionPath.child("scheme").notSupported(.string(scheme), schemes))
                    }
                case "tcpSocket":
                    errors += ContainerValidation.portNumberOrName(action["port"], at: actionPath.child("port"))
                case "grpc":
                    errors += ContainerValidation.portNumber(action["port"].int64Value ?? 0, at: actionPath.child("port"))
                default:
                    let seconds = action["seconds"].int64Value ?? 0
                    let limit = gracePeriod ?? 30
                    if seconds <= 0 || seconds > limit {
                        errors.append(actionPath.invalid(.integer(seconds),
                            "must be greater than 0 and less than terminationGracePeriodSeconds (\(limit))"))
                    }
                }
            }
            if count == 0 { errors.append(path.required("must specify a handler type")) }
            return errors
        }
    }
}
