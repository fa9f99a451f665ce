import SkiffAPI

extension Admission {
    /// Defaults of Services (SetDefaults_Service plus the single-stack IP family the Service
    /// registry assigns) and of the port lists of Endpoints and EndpointSlices.
    /// ClusterIP and nodePort allocation is the server's job, not done here.
    enum ServiceDefaults {
        static func service(_ object: inout JSONValue) {
            var spec = object["spec"].isNull ? .emptyObject : object["spec"]
            guard spec.objectValue != nil else { return }
            spec.defaultIfZero("sessionAffinity", "None")
            if spec["sessionAffinity"] == "None" {
                spec["sessionAffinityConfig"] = nil
            } else if spec["sessionAffinity"] == "ClientIP",
                spec["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"].isNull
            {
                spec["sessionAffinityConfig"] = ["clientIP": ["timeoutSeconds": 10800]]
            }
            spec.defaultIfZero("type", "ClusterIP")
            spec.updateEach("ports") { port in
                port.defaultIfZero("protocol", "TCP")
                if port.isZeroField("targetPort") { port["targetPort"] = port["port"] }
            }
            let type = spec.stringField("type")
            if isExternallyAccessible(spec) {
                spec.defaultIfZero("externalTrafficPolicy", "Cluster")
            }
            if ["ClusterIP", "NodePort", "LoadBalancer"].contains(type) {
                spec.defaultIfMissing("internalTrafficPolicy", "Cluster")
            }
            if type == "LoadBalancer" {
                spec.defaultIfMissing("allocateLoadBalancerNodePorts", true)
            }
            if type != "ExternalName" {
                // The registry mirrors `clusterIP` into `clusterIPs` and, on a single-stack
                // IPv4 cluster, gives every non-ExternalName Service one IPv4 family.
                if !spec.isZeroField("clusterIP"), spec.isMissingField("clusterIPs") {
                    spec["clusterIPs"] = [spec["clusterIP"]]
                }
                spec.defaultIfMissing("ipFamilyPolicy", "SingleStack")
                spec.defaultIfMissing("ipFamilies", ["IPv4"])
            }
            object["spec"] = spec
            // ServiceStatus holds a struct, so Kubernetes always writes `status: {loadBalancer: {}}`.
            let status = object["status"]
            if status.isNull || status.objectValue != nil, status["loadBalancer"].isNull {
                object[path: ["status", "loadBalancer"]] = .emptyObject
            }
        }

        /// NodePort and LoadBalancer Services, and ClusterIP Services with external IPs,
        /// take traffic from outside the cluster (`service.ExternallyAccessible`).
        static func isExternallyAccessible(_ spec: JSONValue) -> Bool {
            switch spec.stringField("type") {
            case "NodePort", "LoadBalancer": return true
            case "ClusterIP": return !spec.listField("externalIPs").isEmpty
            default: return false
            }
        }

        static func endpoints(_ object: inout JSONValue) {
            object.updateEach("subsets") { subset in
                subset.updateEach("ports") { $0.defaultIfZero("protocol", "TCP") }
            }
        }

        static func endpointSlice(_ object: inout JSONValue) {
            object.updateEach("ports") { port in
                port.defaultIfMissing("name", "")
                port.defaultIfMissing("protocol", "TCP")
            }
        }
    }
}
