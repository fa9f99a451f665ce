import SkiffAPI

/// One port of an endpoint: a Service port with its `targetPort` resolved
/// against one pod (a named `targetPort` may be a different number on each
/// pod), as both Endpoints and EndpointSlices list it.
struct EndpointPort: Hashable, Comparable, Sendable {
    var name: String
    var port: Int64
    var proto: String
    var appProtocol: String?

    /// Endpoints' `ports[]`: `name` is omitted when empty, as the Go struct's
    /// `omitempty` does.
    var endpointsJSON: JSONValue {
        var json: JSONValue = ["port": .integer(port), "protocol": .string(proto)]
        if !name.isEmpty { json["name"] = .string(name) }
        if let appProtocol { json["appProtocol"] = .string(appProtocol) }
        return json
    }

    /// EndpointSlice's `ports[]`: `name` is a pointer the controller always
    /// sets, so an unnamed port reads `name: ""`.
    var sliceJSON: JSONValue {
        var json: JSONValue = ["name": .string(name), "port": .integer(port), "protocol": .string(proto)]
        if let appProtocol { json["appProtocol"] = .string(appProtocol) }
        return json
    }

    static func < (lhs: EndpointPort, rhs: EndpointPort) -> Bool {
        (lhs.name, lhs.port, lhs.proto) < (rhs.name, rhs.port, rhs.proto)
    }

    /// The ports of `service` as served by `pod`, in the Service's order.
    /// A port whose named `targetPort` no container of the pod declares (with
    /// the same protocol) is left out for this pod, as Kubernetes' `FindPort`
    /// failing does.
    static func resolve(service: JSONValue, pod: JSONValue) -> [EndpointPort] {
        (service["spec"]["ports"].arrayValue ?? []).compactMap { servicePort in
            let proto = servicePort["protocol"].stringValue ?? "TCP"
            let number: Int64?
            switch servicePort["targetPort"] {
            case .string(let name):
                // An all-digit string is a number ("8083"), as IntOrString reads it.
                if let value = Int64(name) {
                    number = value
                } else {
                    number = containerPort(named: name, proto: proto, in: pod)
                }
            case .null:
                number = servicePort["port"].int64Value
            case let value:
                number = value.int64Value
            }
            guard let number, number > 0 else { return nil }
            return EndpointPort(
                name: servicePort["name"].stringValue ?? "", port: number, proto: proto,
                appProtocol: servicePort["appProtocol"].stringValue)
        }
    }

    private static func containerPort(named name: String, proto: String, in pod: JSONValue) -> Int64? {
        for container in pod["spec"]["containers"].arrayValue ?? [] {
            for port in container["ports"].arrayValue ?? []
            where port["name"].stringValue == name && (port["protocol"].stringValue ?? "TCP") == proto {
                return port["containerPort"].int64Value
            }
        }
        return nil
    }
}
