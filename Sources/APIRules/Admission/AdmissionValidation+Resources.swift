import SkiffAPI

extension Admission {
    /// `ValidateResourceRequirements` for a container's `resources`.
    enum ResourceValidation {
        static func requirements(_ resources: JSONValue, at path: FieldPath) -> [FieldError] {
            var errors: [FieldError] = []
            var limits: [String: Quantity] = [:]
            let limitsPath = path.child("limits")
            for (name, value) in (resources["limits"].objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                errors += resourceName(name, at: limitsPath.key(name))
                switch quantity(value, at: limitsPath.key(name)) {
                case .success(let quantity): limits[name] = quantity
                case .failure(let error): errors.append(error)
                }
            }
            let requestsPath = path.child("requests")
            for (name, value) in (resources["requests"].objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                errors += resourceName(name, at: requestsPath.key(name))
                let request: Quantity
                switch quantity(value, at: requestsPath.key(name)) {
                case .success(let parsed): request = parsed
                case .failure(let error):
                    errors.append(error)
                    continue
                }
                guard let limit = limits[name] else { continue }
                if request != limit && !allowsOvercommit(name) {
                    errors.append(requestsPath.invalid(.string(request.description),
                        "must be equal to \(name) limit of \(limit.description)"))
                } else if request > limit {
                    errors.append(requestsPath.invalid(.string(request.description),
                        "must be less than or equal to \(name) limit of \(limit.description)"))
                }
            }
            return errors
        }

        /// A parsed, non-negative quantity. Kubernetes rejects malformed quantities while
        /// decoding; here they are reported at their field with the same explanation.
        static func quantity(_ value: JSONValue, at path: FieldPath) -> Result<Quantity, FieldError> {
            do {
                let quantity = try Quantity(json: value)
                if quantity < Quantity(0) {
                    return .failure(path.invalid(.string(quantity.description), MetaValidation.nonNegativeMessage))
                }
                return .success(quantity)
            } catch {
                return .failure(path.invalid(value, error.description))
            }
        }

        /// Unprefixed names must be the standard container resources; prefixed ones are extended resources.
        static func resourceName(_ name: String, at path: FieldPath) -> [FieldError] {
            var errors = path.invalid(name, messages: NameValidation.qualifiedName(name))
            guard errors.isEmpty else { return errors }
            if !name.contains("/") {
                let standard = ["cpu", "memory", "ephemeral-storage"].contains(name) || name.hasPrefix("hugepages-")
                if !standard { errors.append(path.invalid(.string(name), "must be a standard resource for containers")) }
            }
            return errors
        }

        /// CPU, memory and ephemeral storage may be requested below their limit; hugepages and
        /// extended resources may not (`helper.IsOvercommitAllowed`).
        static func allowsOvercommit(_ name: String) -> Bool {
            let native = !name.contains("/") || name.hasPrefix("kubernetes.io/")
            return native && !name.hasPrefix("hugepages-")
        }
    }
}
