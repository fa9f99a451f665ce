import SkiffAPI
import Testing

/// The patch client-side `apply` computes from last-applied, the file and the live object.
@Suite struct PatchThreeWayTests {
    let deployment = PatchSchema.forKind(PatchFixtures.deploymentGVK)
    let service = PatchSchema.forKind(PatchFixtures.serviceGVK)

    func edited(_ text: String, _ edit: (inout JSONValue) -> Void) throws -> JSONValue {
        var value = try PatchFixtures.json(text)
        edit(&value)
        return value
    }

    /// Applies the patch as the server would and checks the result holds the whole file.
    func expectApplied(
        _ patch: JSONValue, to live: JSONValue, schema: PatchSchema, contains modified: JSONValue,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> JSONValue {
        let result = try StrategicMergePatch.apply(patch, to: live, schema: schema)
        #expect(
            Self.contains(result, modified), "applied result lacks part of the file", sourceLocation: sourceLocation)
        return result
    }

    /// Whether every field of `part` is in `whole` (lists item by item, objects key by key).
    static func contains(_ whole: JSONValue, _ part: JSONValue) -> Bool {
        switch (whole, part) {
        case (.object(let wholeObject), .object(let partObject)):
            return partObject.allSatisfy { key, value in wholeObject[key].map { contains($0, value) } ?? false }
        case (.array(let wholeArray), .array(let partArray)):
            return partArray.allSatisfy { item in wholeArray.contains { contains($0, item) } }
        default:
            return whole == part
        }
    }

    @Test func replicasChangeIsTheOnlyChange() throws {
        let original = try PatchFixtures.json(PatchFixtures.deploymentManifest)
        let modified = try edited(PatchFixtures.deploymentManifest) { $0[path: ["spec", "replicas"]] = 4 }
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let patch = try ThreeWayMerge.patch(original: original, modified: modified, current: live, schema: deployment)
        #expect(patch == ["spec": ["replicas": 4]])
        let result = try expectApplied(patch, to: live, schema: deployment, contains: modified)
        #expect(result["status"] == live["status"])
    }

    @Test func carriesTheLastAppliedAnnotationTheCallerAdds() throws {
        let key = "kubectl.kubernetes.io/last-applied-configuration"
        let original = try PatchFixtures.json(PatchFixtures.deploymentManifest)
        var modified = try edited(PatchFixtures.deploymentManifest) { $0[path: ["spec", "replicas"]] = 4 }
        modified[path: ["metadata", "annotations", key]] = .string(try modified.jsonString())
        var live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        live[path: ["metadata", "annotations", key]] = .string(try original.jsonString())
        let patch = try ThreeWayMerge.patch(original: original, modified: modified, current: live, schema: deployment)
        #expect(
            patch == [
                "metadata": ["annotations": [key: modified["metadata"]["annotations"][key]]], "spec": ["replicas": 4],
            ])
        let result = try expectApplied(patch, to: live, schema: deployment, contains: modified)
        #expect(result["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1")
    }

    @Test func unchangedFileGivesEmptyPatch() throws {
        let original = try PatchFixtures.json(PatchFixtures.deploymentManifest)
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let patch = try ThreeWayMerge.patch(original: original, modified: original, current: live, schema: deployment)
        #expect(patch == .object([:]))
        let servicePatch = try ThreeWayMerge.patch(
            original: try PatchFixtures.json(PatchFixtures.serviceManifest),
            modified: try PatchFixtures.json(PatchFixtures.serviceManifest),
            current: try PatchFixtures.json(PatchFixtures.serviceLive), schema: service)
        #expect(servicePatch == .object([:]))
    }

    @Test func removingAContainerPortDeletesItByKey() throws {
        let withTwoPorts = try edited(PatchFixtures.deploymentManifest) {
            $0[path: ["spec", "template", "spec", "containers"]] = [
                [
                    "name": "notepad", "image": "mengsixing/notepad",
                    "ports": [["containerPort": 8083], ["containerPort": 9090]],
                ]
            ]
        }
        let live = try edited(PatchFixtures.deploymentLive) {
            var container = $0["spec"]["template"]["spec"]["containers"][0]
            container["ports"] = [
                ["containerPort": 8083, "protocol": "TCP"], ["containerPort": 9090, "protocol": "TCP"],
            ]
            $0[path: ["spec", "template", "spec", "containers"]] = [container]
        }
        let modified = try PatchFixtures.json(PatchFixtures.deploymentManifest)
        let patch = try ThreeWayMerge.patch(
            original: withTwoPorts, modified: modified, current: live, schema: deployment)
        let expected = try PatchFixtures.json(
            #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"notepad"}],"#
                + #""containers":[{"$setElementOrder/ports":[{"containerPort":8083}],"name":"notepad","ports":[{"$patch":"delete","containerPort":9090}]}]}}}}"#
        )
        #expect(patch == expected)
        let result = try expectApplied(patch, to: live, schema: deployment, contains: modified)
        #expect(
            result["spec"]["template"]["spec"]["containers"][0]["ports"] == [
                ["containerPort": 8083, "protocol": "TCP"]
            ])
        #expect(result["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "Always")
    }

    @Test func changingServiceTargetPortMergesByPort() throws {
        let original = try PatchFixtures.json(PatchFixtures.serviceManifest)
        let modified = try edited(PatchFixtures.serviceManifest) {
            $0[path: ["spec", "ports"]] = [["port": 80, "targetPort": 8084, "nodePort": 30036]]
        }
        let live = try PatchFixtures.json(PatchFixtures.serviceLive)
        let patch = try ThreeWayMerge.patch(original: original, modified: modified, current: live, schema: service)
        #expect(
            patch
                == (try PatchFixtures.json(
                    #"{"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetPort":8084}]}}"#)))
        let result = try expectApplied(patch, to: live, schema: service, contains: modified)
        #expect(result["spec"]["ports"] == [["port": 80, "targetPort": 8084, "nodePort": 30036, "protocol": "TCP"]])
        #expect(result["spec"]["clusterIP"] == "10.96.0.20")
    }

    @Test func addingAPortListsTheNewOrder() throws {
        let original = try PatchFixtures.json(PatchFixtures.serviceManifest)
        let modified = try edited(PatchFixtures.serviceManifest) {
            $0[path: ["spec", "ports"]] = [
                ["port": 80, "targetPort": 8083, "nodePort": 30036], ["port": 443, "targetPort": 8443],
            ]
        }
        let live = try PatchFixtures.json(PatchFixtures.serviceLive)
        let patch = try ThreeWayMerge.patch(original: original, modified: modified, current: live, schema: service)
        #expect(
            patch
                == (try PatchFixtures.json(
                    #"{"spec":{"$setElementOrder/ports":[{"port":80},{"port":443}],"ports":[{"port":443,"targetPort":8443}]}}"#
                )))
        let result = try expectApplied(patch, to: live, schema: service, contains: modified)
        #expect(result["spec"]["ports"].arrayValue?.map { $0["port"] } == [80, 443])
    }

    @Test func removedFieldsBecomeNullButServerFieldsStay() throws {
        let original = try edited(PatchFixtures.serviceManifest) {
            $0[path: ["metadata", "labels"]] = ["app": "mytest", "tier": "web"]
        }
        let modified = try edited(PatchFixtures.serviceManifest) {
            $0[path: ["metadata", "labels"]] = ["app": "mytest"]
        }
        let live = try edited(PatchFixtures.serviceLive) {
            $0[path: ["metadata", "labels"]] = ["app": "mytest", "tier": "web", "owner": "ops"]
        }
        let patch = try ThreeWayMerge.patch(original: original, modified: modified, current: live, schema: service)
        #expect(patch == ["metadata": ["labels": ["tier": nil]]])
        let result = try expectApplied(patch, to: live, schema: service, contains: modified)
        #expect(result["metadata"]["labels"] == ["app": "mytest", "owner": "ops"])
    }

    @Test func withoutLastAppliedNothingIsDeleted() throws {
        let modified = try edited(PatchFixtures.serviceManifest) { $0[path: ["spec", "selector"]] = ["app": "other"] }
        let live = try PatchFixtures.json(PatchFixtures.serviceLive)
        let patch = try ThreeWayMerge.patch(original: nil, modified: modified, current: live, schema: service)
        #expect(patch == ["spec": ["selector": ["app": "other"]]])
        _ = try expectApplied(patch, to: live, schema: service, contains: modified)
    }

    @Test func removedContainerIsDeletedByName() throws {
        let twoContainers = try edited(PatchFixtures.deploymentManifest) {
            $0[path: ["spec", "template", "spec", "containers"]] = [
                ["name": "notepad", "image": "mengsixing/notepad", "ports": [["containerPort": 8083]]],
                ["name": "sidecar", "image": "busybox"],
            ]
        }
        let live = try edited(PatchFixtures.deploymentLive) {
            var containers = $0["spec"]["template"]["spec"]["containers"].arrayValue ?? []
            containers.append(["name": "sidecar", "image": "busybox", "imagePullPolicy": "Always"])
            $0[path: ["spec", "template", "spec", "containers"]] = .array(containers)
        }
        let modified = try PatchFixtures.json(PatchFixtures.deploymentManifest)
        let patch = try ThreeWayMerge.patch(
            original: twoContainers, modified: modified, current: live, schema: deployment)
        #expect(
            patch
                == (try PatchFixtures.json(
                    #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"notepad"}],"#
                        + #""containers":[{"$patch":"delete","name":"sidecar"}]}}}}"#
                )))
        let result = try expectApplied(patch, to: live, schema: deployment, contains: modified)
        #expect(result["spec"]["template"]["spec"]["containers"].arrayValue?.map { $0["name"] } == ["notepad"])
    }

    @Test func strategySwitchSendsRetainKeys() throws {
        let original = try PatchFixtures.json(PatchFixtures.deploymentManifest)
        let modified = try edited(PatchFixtures.deploymentManifest) {
            $0[path: ["spec", "strategy"]] = ["type": "Recreate"]
        }
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let patch = try ThreeWayMerge.patch(original: original, modified: modified, current: live, schema: deployment)
        #expect(patch == ["spec": ["strategy": ["$retainKeys": ["type"], "type": "Recreate"]]])
        let result = try expectApplied(patch, to: live, schema: deployment, contains: modified)
        #expect(result["spec"]["strategy"] == ["type": "Recreate"])
    }

    @Test func finalizerRemovedFromFileLeavesControllersOnes() throws {
        let original = try edited(PatchFixtures.serviceManifest) { $0[path: ["metadata", "finalizers"]] = ["a", "b"] }
        let modified = try edited(PatchFixtures.serviceManifest) { $0[path: ["metadata", "finalizers"]] = ["a"] }
        let live = try edited(PatchFixtures.serviceLive) { $0[path: ["metadata", "finalizers"]] = ["a", "b", "c"] }
        let patch = try ThreeWayMerge.patch(original: original, modified: modified, current: live, schema: service)
        #expect(
            patch == ["metadata": ["$deleteFromPrimitiveList/finalizers": ["b"], "$setElementOrder/finalizers": ["a"]]])
        let result = try expectApplied(patch, to: live, schema: service, contains: modified)
        #expect(result["metadata"]["finalizers"] == ["a", "c"])
    }

    @Test func envChangeInsideContainerKeepsOtherVariables() throws {
        let withEnv = try edited(PatchFixtures.deploymentManifest) {
            $0[path: ["spec", "template", "spec", "containers"]] = [
                [
                    "name": "notepad", "image": "mengsixing/notepad",
                    "env": [["name": "A", "value": "1"], ["name": "B", "value": "1"]],
                ]
            ]
        }
        let modified = try edited(try withEnv.jsonString()) {
            $0[path: ["spec", "template", "spec", "containers"]] = [
                [
                    "name": "notepad", "image": "mengsixing/notepad",
                    "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]],
                ]
            ]
        }
        let live = try StrategicMergePatch.apply(
            try PatchFixtures.json(
                #"{"spec":{"template":{"spec":{"containers":[{"name":"notepad","env":[{"name":"A","value":"1"},{"name":"B","value":"1"},{"name":"INJECTED","value":"x"}]}]}}}}"#
            ),
            to: try PatchFixtures.json(PatchFixtures.deploymentLive), schema: deployment)
        let patch = try ThreeWayMerge.patch(original: withEnv, modified: modified, current: live, schema: deployment)
        #expect(
            patch
                == (try PatchFixtures.json(
                    #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"notepad"}],"#
                        + #""containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"B"}],"env":[{"name":"B","value":"2"}],"name":"notepad"}]}}}}"#
                )))
        let result = try expectApplied(patch, to: live, schema: deployment, contains: modified)
        #expect(
            result["spec"]["template"]["spec"]["containers"][0]["env"].arrayValue?.map { $0["name"] } == [
                "A", "B", "INJECTED",
            ])
    }

    @Test func nonObjectDocumentsAreRejected() throws {
        #expect(throws: PatchError(.badRequest, "invalid JSON document")) {
            try ThreeWayMerge.patch(original: nil, modified: [1], current: .object([:]), schema: .unknown)
        }
    }
}
