import SkiffAPI

extension Admission {
    /// Endpoints, EndpointSlices and Events: objects mostly written by Skiff's own controllers,
    /// checked for the mistakes that would confuse kubectl or the dataplane.
    enum NetworkObjectValidation {
        static let addressTypes = ["FQDN", "IPv4", "IPv6"]

        static func endpoints(_ object: JSONValue) -> [FieldError] {
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            for (subsetIndex, subset) in object.listField("subsets").enumerated() {
                let subsetPath = FieldPath.root.child("subsets").index(subsetIndex)
                for field in ["addresses", "notReadyAddresses"] {
                    for (index, address) in subset.listField(field).enumerated() where !IPAddress.isValid(address.stringField("ip")) {
                        errors.append(subsetPath.child(field).index(index).child("ip").invalid(
                            .string(address.stringField("ip")), IPAddress.invalidMessage))
                    }
                }
                for (index, port) in subset.listField("ports").enumerated() {
                    let portPath = subsetPath.child("ports").index(index)
                    errors += ContainerValidation.portNumber(port["port"].int64Value ?? 0, at: portPath.child("port"))
                    errors += ContainerValidation.protocolField(port, at: portPath.child("protocol"))
                }
            }
            return errors
        }

        static func endpointSlice(_ object: JSONValue) -> [FieldError] {
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            let addressType = object.stringField("addressType")
            if addressType.isEmpty {
                errors.append(FieldPath.root.child("addressType").required())
            } else if !addressTypes.contains(addressType) {
                errors.append(FieldPath.root.child("addressType").notSupported(.string(addressType), addressTypes))
            }
            for (index, endpoint) in object.listField("endpoints").enumerated() where endpoint.listField("addresses").isEmpty {
                errors.append(FieldPath.root.child("endpoints").index(index).child("addresses").required(
                    "must contain at least 1 address"))
            }
            for (index, port) in object.listField("ports").enumerated() where !port.isMissingField("protocol") {
                errors += ContainerValidation.protocolField(port, at: FieldPath.root.child("ports").index(index).child("protocol"))
            }
            return errors
        }

        /// Legacy core/v1 Events: the involved object's namespace must be the Event's own.
        static func event(_ object: JSONValue) -> [FieldError] {
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .subdomain)
            guard object.isZeroField("eventTime") else { return errors }
            let namespace = object["metadata"].stringField("namespace")
            let involved = object["involvedObject"].stringField("namespace")
            let matches = involved.isEmpty ? (namespace.isEmpty || namespace == "default") : involved == namespace
            if !matches {
                errors.append(FieldPath.root.child("involvedObject", "namespace").invalid(
                    .string(involved), "does not match event.namespace"))
            }
            return errors
        }
    }
}
