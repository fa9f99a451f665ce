import SkiffAPI

extension Admission {
    /// core/v1 Services (`ValidateService`, `ValidateServiceUpdate`).
    enum ServiceValidation {
        static let specPath = FieldPath.root.child("spec")
        static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        static let sessionAffinities = ["ClientIP", "None"]
        static let trafficPolicies = ["Cluster", "Local"]
        static let ipFamilies = ["IPv4", "IPv6"]
        static let ipFamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"]
        /// The kubelet's port; a LoadBalancer may not expose it.
        static let kubeletPort: Int64 = 10250
        /// ClientIP affinity lasts at most a day.
        static let maxAffinitySeconds: Int64 = 86400

        static func service(_ object: JSONValue) -> [FieldError] {
            let spec = object["spec"]
            let type = spec.stringField("type")
            let ports = spec.listField("ports")
            let headless = isHeadless(spec)
            var errors = MetaValidation.objectMeta(object, namespaced: true, name: .dns1035)
            if ports.isEmpty && !headless && type != "ExternalName" {
                errors.append(specPath.child("ports").required())
            }
            errors += typeSpecific(spec, headless: headless)
            var names: Set<String> = []
            for (index, port) in ports.enumerated() {
                errors += servicePort(port, requireName: ports.count > 1, names: &names, at: specPath.child("ports").index(index))
            }
            errors += MetaValidation.labels(spec["selector"], at: specPath.child("selector"))
            errors += sessionAffinity(spec)
            errors += clusterIPs(spec, headless: headless)
            for (index, address) in spec.listField("externalIPs").enumerated() {
                let text = address.stringValue ?? ""
                if !IPAddress.isValid(text) {
                    errors.append(specPath.child("externalIPs").index(index).invalid(.string(text), IPAddress.invalidMessage))
                }
            }
            if type.isEmpty {
                errors.append(specPath.child("type").required())
            } else if !types.contains(type) {
                errors.append(specPath.child("type").notSupported(.string(type), types))
            }
            errors += nodePorts(ports, type: type)
            errors += duplicatePorts(ports)
            if !spec.listField("loadBalancerSourceRanges").isEmpty && type != "LoadBalancer" {
                errors.append(specPath.child("LoadBalancerSourceRanges").forbidden("may only be used when `type` is 'LoadBalancer'"))
            }
            if !spec.isMissingField("allocateLoadBalancerNodePorts") && type != "LoadBalancer" {
                errors.append(specPath.child("allocateLoadBalancerNodePorts").forbidden(
                    "may only be used when `type` is 'LoadBalancer'"))
            }
            errors += trafficPolicyFields(spec)
            return errors
        }

        /// `clusterIP: None` (mirrored into `clusterIPs`) makes a headless Service.
        static func isHeadless(_ spec: JSONValue) -> Bool {
            let clusterIPs = spec.listField("clusterIPs")
            if !clusterIPs.isEmpty { return clusterIPs.count == 1 && clusterIPs[0] == "None" }
            return spec.stringField("clusterIP") == "None"
        }

        static func typeSpecific(_ spec: JSONValue, headless: Bool) -> [FieldError] {
            var errors: [FieldError] = []
            let firstClusterIP = specPath.child("clusterIPs").index(0)
            switch spec.stringField("type") {
            case "LoadBalancer":
                for (index, port) in spec.listField("ports").enumerated() where port["port"].int64Value == kubeletPort {
                    errors.append(specPath.child("ports").index(index).invalid(.integer(kubeletPort),
                        "may not expose port \(kubeletPort) externally since it is used by kubelet"))
                }
                if headless { errors.append(firstClusterIP.invalid("None", "may not be set to 'None' for LoadBalancer services")) }
            case "NodePort":
                if headless { errors.append(firstClusterIP.invalid("None", "may not be set to 'None' for NodePort services")) }
            case "ExternalName":
                if !spec.listField("clusterIPs").isEmpty || !spec.isZeroField("clusterIP") {
                    errors.append(specPath.child("clusterIPs").forbidden("may not be set for ExternalName services"))
                }
                if !spec.listField("ipFamilies").isEmpty {
                    errors.append(specPath.child("ipFamilies").forbidden("may not be set for ExternalName services"))
                }
                if !spec.isMissingField("ipFamilyPolicy") {
                    errors.append(specPath.child("ipFamilyPolicy").forbidden("may not be set for ExternalName services"))
                }
                var cname = spec.stringField("externalName")
                if cname.hasSuffix(".") { cname.removeLast() }
                if cname.isEmpty {
                    errors.append(specPath.child("externalName").required())
                } else {
                    errors += specPath.child("externalName").invalid(cname, messages: NameValidation.dns1123Subdomain(cname))
                }
            default:
                break
            }
            return errors
        }

        static func servicePort(_ port: JSONValue, requireName: Bool, names: inout Set<String>, at path: FieldPath)
            -> [FieldError]
        {
            var errors: [FieldError] = []
            let name = port.stringField("name")
            if requireName && name.isEmpty {
                errors.append(path.child("name").required())
            } else if !name.isEmpty {
                errors += path.child("name").invalid(name, messages: NameValidation.dns1123Label(name))
                if !names.insert(name).inserted { errors.append(path.child("name").duplicate(.string(name))) }
            }
            errors += ContainerValidation.portNumber(port["port"].int64Value ?? 0, at: path.child("port"))
            errors += ContainerValidation.protocolField(port, at: path.child("protocol"))
            errors += ContainerValidation.portNumberOrName(port["targetPort"], at: path.child("targetPort"))
            if let appProtocol = port["appProtocol"].stringValue {
                errors += path.child("appProtocol").invalid(appProtocol, messages: NameValidation.qualifiedName(appProtocol))
            }
            if let nodePort = port["nodePort"].int64Value, nodePort != 0 {
                errors += ContainerValidation.portNumber(nodePort, at: path.child("nodePort"))
            }
            return errors
        }

        static func sessionAffinity(_ spec: JSONValue) -> [FieldError] {
            let affinity = spec.stringField("sessionAffinity")
            let configPath = specPath.child("sessionAffinityConfig")
            if affinity.isEmpty { return [specPath.child("sessionAffinity").required()] }
            guard sessionAffinities.contains(affinity) else {
                return [specPath.child("sessionAffinity").notSupported(.string(affinity), sessionAffinities)]
            }
            if affinity == "None" {
                return spec.isMissingField("sessionAffinityConfig")
                    ? [] : [configPath.forbidden("must not be set when session affinity is None")]
            }
            let reason = "when session affinity type is ClientIP"
            let config = spec["sessionAffinityConfig"]
            guard config.objectValue != nil else { return [configPath.required(reason)] }
            guard config["clientIP"].objectValue != nil else { return [configPath.child("clientIP").required(reason)] }
            let timeoutPath = configPath.child("clientIP", "timeoutSeconds")
            guard let timeout = config["clientIP"]["timeoutSeconds"].int64Value else { return [timeoutPath.required(reason)] }
            if timeout <= 0 || timeout > maxAffinitySeconds {
                return [timeoutPath.invalid(.integer(timeout), "must be greater than 0 and less than \(maxAffinitySeconds)")]
            }
            return []
        }

        /// Each cluster IP is an address (or `None` first), and families and policy are known values.
        static func clusterIPs(_ spec: JSONValue, headless: Bool) -> [FieldError] {
            var errors: [FieldError] = []
            for (index, value) in spec.listField("clusterIPs").enumerated() {
                let address = value.stringValue ?? ""
                if index == 0 && address == "None" { continue }
                if !IPAddress.isValid(address) {
                    errors.append(specPath.child("clusterIPs").index(index).invalid(.string(address), IPAddress.invalidMessage))
                }
            }
            if let policy = spec["ipFamilyPolicy"].stringValue, !ipFamilyPolicies.contains(policy) {
                errors.append(specPath.child("ipFamilyPolicy").notSupported(.string(policy), ipFamilyPolicies))
            }
            for (index, family) in spec.listField("ipFamilies").enumerated() {
                let name = family.stringValue ?? ""
                if !ipFamilies.contains(name) {
                    errors.append(specPath.child("ipFamilies").index(index).notSupported(.string(name), ipFamilies))
                }
            }
            return errors
        }

        static func nodePorts(_ ports: [JSONValue], type: String) -> [FieldError] {
            var errors: [FieldError] = []
            var seen: Set<String> = []
            for (index, port) in ports.enumerated() {
                guard let nodePort = port["nodePort"].int64Value, nodePort != 0 else { continue }
                let portPath = specPath.child("ports").index(index)
                if type == "ClusterIP" {
                    errors.append(portPath.child("nodePort").forbidden("may not be used when `type` is 'ClusterIP'"))
                }
                if !seen.insert("\(port.stringField("protocol"))/\(nodePort)").inserted {
                    errors.append(portPath.child("nodePort").duplicate(.integer(nodePort)))
                }
            }
            return errors
        }

        /// Two ports may not share protocol and port number.
        static func duplicatePorts(_ ports: [JSONValue]) -> [FieldError] {
            var errors: [FieldError] = []
            var seen: Set<String> = []
            for (index, port) in ports.enumerated() {
                let number = port["port"].int64Value ?? 0
                let key = "\(port.stringField("protocol"))/\(number)"
                if !seen.insert(key).inserted {
                    errors.append(specPath.child("ports").index(index).duplicate(
                        ["port": .integer(number), "protocol": port["protocol"]]))
                }
            }
            return errors
        }

        static func trafficPolicyFields(_ spec: JSONValue) -> [FieldError] {
            var errors: [FieldError] = []
            let external = spec.stringField("externalTrafficPolicy")
            let externalPath = specPath.child("externalTrafficPolicy")
            if !ServiceDefaults.isExternallyAccessible(spec) {
                if !external.isEmpty {
                    errors.append(externalPath.invalid(.string(external), "may only be set for externally-accessible services"))
                }
            } else if external.isEmpty {
                errors.append(externalPath.required())
            } else if !trafficPolicies.contains(external) {
                errors.append(externalPath.notSupported(.string(external), trafficPolicies))
            }
            let needsHealthCheck = spec.stringField("type") == "LoadBalancer" && external == "Local"
            if let port = spec["healthCheckNodePort"].int64Value, port != 0, !needsHealthCheck {
                errors.append(specPath.child("healthCheckNodePort").invalid(.integer(port),
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
            }
            let internalPath = specPath.child("internalTrafficPolicy")
            if let policy = spec["internalTrafficPolicy"].stringValue {
                if !trafficPolicies.contains(policy) { errors.append(internalPath.notSupported(.string(policy), trafficPolicies)) }
            } else if ["ClusterIP", "NodePort", "LoadBalancer"].contains(spec.stringField("type")) {
                errors.append(internalPath.required())
            }
            if let distribution = spec["trafficDistribution"].stringValue, distribution != "PreferClose" {
                errors.append(specPath.child("trafficDistribution").notSupported(.string(distribution), ["PreferClose"]))
            }
            return errors
        }

        /// A Service keeps its cluster IPs; an update that leaves them out keeps the stored ones
        /// (the server copies them), one that names different ones is refused.
        static func update(_ object: JSONValue, old: JSONValue) -> [FieldError] {
            let new = object["spec"]
            let previous = old["spec"]
            guard new.stringField("type") != "ExternalName", previous.stringField("type") != "ExternalName" else { return [] }
            let newIPs = effectiveClusterIPs(new)
            let oldIPs = effectiveClusterIPs(previous)
            guard !newIPs.isEmpty, !oldIPs.isEmpty, !(isHeadless(new) && isHeadless(previous)) else { return [] }
            var errors: [FieldError] = []
            for index in 0..<min(newIPs.count, oldIPs.count) where newIPs[index] != oldIPs[index] {
                errors.append(specPath.child("clusterIPs").index(index).invalid(
                    .array(newIPs.map(JSONValue.string)), "may not change once set"))
            }
            return errors
        }

        static func effectiveClusterIPs(_ spec: JSONValue) -> [String] {
            let listed = spec.listField("clusterIPs").compactMap(\.stringValue)
            if !listed.isEmpty { return listed }
            let single = spec.stringField("clusterIP")
            return single.isEmpty ? [] : [single]
        }
    }
}
