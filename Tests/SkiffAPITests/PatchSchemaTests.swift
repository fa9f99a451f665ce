import SkiffAPI
import Testing

/// The merge keys of the built-in kinds, as Kubernetes 1.32's struct tags declare them.
@Suite struct PatchSchemaTests {
    func strategy(_ schema: PatchSchema, _ path: [String]) -> PatchSchema.ListStrategy {
        path.reduce(schema) { $0.field($1) }.listStrategy
    }

    @Test func workloadTemplatesShareThePodSpec() {
        let kinds = [
            ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "DaemonSet"), ("apps", "StatefulSet"),
            ("batch", "Job"),
        ]
        for (group, kind) in kinds {
            let schema = PatchSchema.forKind(GroupVersionKind(group: group, version: "v1", kind: kind))
            let podSpec = ["spec", "template", "spec"]
            #expect(strategy(schema, podSpec + ["containers"]) == .merge(key: "name"), "\(kind)")
            #expect(strategy(schema, podSpec + ["containers", "ports"]) == .merge(key: "containerPort"), "\(kind)")
            #expect(strategy(schema, podSpec + ["containers", "env"]) == .merge(key: "name"), "\(kind)")
            #expect(
                strategy(schema, podSpec + ["initContainers", "volumeMounts"]) == .merge(key: "mountPath"), "\(kind)")
            #expect(strategy(schema, podSpec + ["volumes"]) == .merge(key: "name"), "\(kind)")
            #expect(strategy(schema, podSpec + ["topologySpreadConstraints"]) == .merge(key: "topologyKey"), "\(kind)")
            #expect(strategy(schema, ["spec", "template", "metadata", "finalizers"]) == .set, "\(kind)")
            #expect(strategy(schema, ["status", "conditions"]) == .merge(key: "type"), "\(kind)")
        }
    }

    @Test func untaggedListsAreAtomic() {
        let pod = PatchSchema.forKind(PatchFixtures.podGVK)
        #expect(strategy(pod, ["spec", "tolerations"]) == .atomic)
        #expect(strategy(pod, ["spec", "readinessGates"]) == .atomic)
        #expect(strategy(pod, ["spec", "containers", "command"]) == .atomic)
        let statefulSet = PatchSchema.forKind(GroupVersionKind(group: "apps", version: "v1", kind: "StatefulSet"))
        #expect(strategy(statefulSet, ["spec", "volumeClaimTemplates"]) == .atomic)
        let slice = PatchSchema.forKind(
            GroupVersionKind(group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice"))
        #expect(strategy(slice, ["endpoints"]) == .atomic)
    }

    @Test func serviceNodeAndMetadataKeys() {
        #expect(strategy(PatchSchema.forKind(PatchFixtures.serviceGVK), ["spec", "ports"]) == .merge(key: "port"))
        let node = PatchSchema.forKind(GroupVersionKind(group: "", version: "v1", kind: "Node"))
        #expect(strategy(node, ["status", "addresses"]) == .merge(key: "type"))
        #expect(strategy(node, ["spec", "podCIDRs"]) == .set)
        let unknown = PatchSchema.forKind(GroupVersionKind(group: "example.com", version: "v1", kind: "Widget"))
        #expect(strategy(unknown, ["metadata", "ownerReferences"]) == .merge(key: "uid"))
        #expect(strategy(unknown, ["metadata", "finalizers"]) == .set)
        #expect(strategy(unknown, ["spec", "items"]) == .atomic)
    }

    @Test func retainKeysFields() {
        let deployment = PatchSchema.forKind(PatchFixtures.deploymentGVK)
        #expect(deployment.field("spec").field("strategy").retainKeys)
        #expect(deployment.field("spec").field("template").field("spec").field("volumes").retainKeys)
        #expect(!deployment.field("spec").field("template").retainKeys)
    }
}
