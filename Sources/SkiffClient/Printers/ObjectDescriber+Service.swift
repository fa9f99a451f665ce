import SkiffAPI

/// `describe service`: addresses, ports and the ready endpoints behind each port.
extension ObjectDescriber {
    static func service(_ service: JSONValue, context: DescribeContext, into w: inout DescribeWriter) {
        let spec = service["spec"]
        header(service, into: &w)
        w.labels("Labels", service["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", service["metadata"]["annotations"].stringMapValue ?? [:])
        w.write(0, "Selector:\t\(LabelFormat.format(spec["selector"].stringMapValue ?? [:]))\n")
        w.write(0, "Type:\t\(spec["type"].stringValue ?? "")\n")
        if let policy = spec["ipFamilyPolicy"].stringValue { w.write(0, "IP Family Policy:\t\(policy)\n") }
        let families = (spec["ipFamilies"].arrayValue ?? []).compactMap(\.stringValue)
        w.write(0, "IP Families:\t\(families.isEmpty ? "<none>" : families.joined(separator: ","))\n")
        w.write(0, "IP:\t\(spec["clusterIP"].stringValue ?? "")\n")
        let clusterIPs = (spec["clusterIPs"].arrayValue ?? []).compactMap(\.stringValue)
        w.write(0, "IPs:\t\(clusterIPs.isEmpty ? "<none>" : clusterIPs.joined(separator: ","))\n")
        if let external = spec["externalIPs"].arrayValue, !external.isEmpty {
            w.write(0, "External IPs:\t\(external.compactMap(\.stringValue).joined(separator: ","))\n")
        }
        let ingress = (service["status"]["loadBalancer"]["ingress"].arrayValue ?? []).compactMap {
            $0["ip"].stringValue ?? $0["hostname"].stringValue
        }
        if !ingress.isEmpty { w.write(0, "LoadBalancer Ingress:\t\(ingress.joined(separator: ", "))\n") }
        for port in spec["ports"].arrayValue ?? [] {
            let name = port["name"].stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "<unset>"
            let proto = port["protocol"].stringValue ?? "TCP"
            w.write(0, "Port:\t\(name)\t\(port["port"].int64Value ?? 0)/\(proto)\n")
            w.write(0, "TargetPort:\t\(TablePrinter.cellText(port["targetPort"].isNull ? port["port"] : port["targetPort"]))/\(proto)\n")
            if let nodePort = port["nodePort"].int64Value, nodePort != 0 {
                w.write(0, "NodePort:\t\(name)\t\(nodePort)/\(proto)\n")
            }
            w.write(0, "Endpoints:\t\(endpoints(context.endpointSlices, portName: port["name"].stringValue ?? ""))\n")
        }
        w.write(0, "Session Affinity:\t\(spec["sessionAffinity"].stringValue ?? "None")\n")
        if let policy = spec["externalTrafficPolicy"].stringValue, !policy.isEmpty {
            w.write(0, "External Traffic Policy:\t\(policy)\n")
        }
        if let policy = spec["internalTrafficPolicy"].stringValue { w.write(0, "Internal Traffic Policy:\t\(policy)\n") }
        if let healthCheck = spec["healthCheckNodePort"].int64Value, healthCheck != 0 {
            w.write(0, "HealthCheck NodePort:\t\(healthCheck)\n")
        }
    }

    /// `10.244.0.5:8083,10.244.0.6:8083 + 1 more...`: ready endpoints serving the named port.
    static func endpoints(_ slices: [JSONValue], portName: String) -> String {
        guard !slices.isEmpty else { return "<none>" }
        var list: [String] = []
        var count = 0
        for slice in slices {
            let endpoints = (slice["endpoints"].arrayValue ?? []).filter { $0["conditions"]["ready"].boolValue != false }
            let ports = slice["ports"].arrayValue ?? []
            if ports.isEmpty {
                for endpoint in endpoints {
                    if list.count < 3 { list.append(endpoint["addresses"][0].stringValue ?? "") }
                    count += 1
                }
                continue
            }
            for port in ports where (port["name"].stringValue ?? "") == portName {
                for endpoint in endpoints {
                    let address = endpoint["addresses"][0].stringValue ?? ""
                    let host = address.contains(":") ? "[\(address)]" : address
                    if list.count < 3 { list.append("\(host):\(port["port"].int64Value ?? 0)") }
                    count += 1
                }
            }
        }
        let text = list.joined(separator: ",")
        return count > 3 ? "\(text) + \(count - 3) more..." : text
    }
}
