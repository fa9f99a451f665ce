import SkiffAPI
import Testing

@Suite struct SkiffAPIResourceRegistryTests {
    let registry = ResourceRegistry.builtin

    @Test(arguments: ["deploy", "deployments", "deployment", "Deployment", "DEPLOYMENTS", "deployments.apps",
        "deploy.apps", "deployments.v1.apps"])
    func findsDeploymentsByEveryName(name: String) throws {
        let resource = try #require(registry.resource(named: name))
        #expect(resource.plural == "deployments" && resource.group == "apps" && resource.namespaced)
    }

    @Test(arguments: [
        ("po", "pods"), ("svc", "services"), ("rs", "replicasets"), ("ds", "daemonsets"), ("sts", "statefulsets"),
        ("ns", "namespaces"), ("cm", "configmaps"), ("ep", "endpoints"), ("pv", "persistentvolumes"),
        ("pvc", "persistentvolumeclaims"), ("sa", "serviceaccounts"), ("ev", "events"), ("no", "nodes"),
        ("jobs", "jobs"), ("endpointslices", "endpointslices"), ("lease", "leases"), ("secret", "secrets"),
    ])
    func resolvesShortNames(short: String, plural: String) {
        #expect(registry.resource(named: short)?.plural == plural)
    }

    @Test func rejectsUnknownAndWrongGroup() {
        #expect(registry.resource(named: "widgets") == nil)
        #expect(registry.resource(named: "deployments.batch") == nil)
        #expect(registry.resource(named: "pods.v2") == nil)
    }

    @Test func findsByAPIVersionAndKind() throws {
        #expect(registry.resource(apiVersion: "apps/v1", kind: "Deployment")?.plural == "deployments")
        #expect(registry.resource(apiVersion: "v1", kind: "Service")?.plural == "services")
        #expect(registry.resource(apiVersion: "batch/v1", kind: "Job")?.plural == "jobs")
        #expect(registry.resource(apiVersion: "coordination.k8s.io/v1", kind: "Lease")?.namespaced == true)
        #expect(registry.resource(apiVersion: "v1", kind: "Deployment") == nil)
        #expect(registry.resource(group: "", version: "v1", plural: "pods")?.kind == "Pod")
    }

    @Test func knowsScopesSubresourcesAndNames() throws {
        #expect(registry.resource(named: "ns")?.namespaced == false)
        #expect(registry.resource(named: "nodes")?.namespaced == false)
        #expect(registry.resource(named: "pv")?.namespaced == false)
        let pods = try #require(registry.resource(named: "pods"))
        #expect(Set(pods.subresources.map(\.name)) == ["status", "log", "exec", "binding"])
        let deployments = try #require(registry.resource(named: "deployments"))
        #expect(deployments.subresource("scale")?.groupVersionKind.apiVersion == "autoscaling/v1")
        #expect(deployments.subresource("status")?.groupVersionKind.kind == "Deployment")
        #expect(registry.resource(named: "rs")?.subresource("scale") != nil)
        #expect(deployments.groupResource.description == "deployments.apps")
        #expect(deployments.groupKind.description == "Deployment.apps")
        #expect(pods.groupResource.description == "pods")
        #expect(deployments.verbs.contains("watch") && deployments.categories == ["all"])
        #expect(registry.resources.count == 18)
        #expect(registry.groupVersions.map(\.group) == ["", "apps", "batch", "discovery.k8s.io", "coordination.k8s.io"])
    }
}
