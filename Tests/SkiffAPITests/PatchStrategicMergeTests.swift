import SkiffAPI
import Testing

/// Strategic merge patch as the API server applies what kubectl sends for built-in kinds.
@Suite struct PatchStrategicMergeTests {
    let deployment = PatchSchema.forKind(PatchFixtures.deploymentGVK)
    let pod = PatchSchema.forKind(PatchFixtures.podGVK)

    func apply(_ patch: String, to object: JSONValue, schema: PatchSchema) throws -> JSONValue {
        try StrategicMergePatch.apply(try PatchFixtures.json(patch), to: object, schema: schema)
    }

    func podWith(_ spec: String) throws -> JSONValue {
        try PatchFixtures.json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":"# + spec + "}")
    }

    func containers(_ value: JSONValue) -> JSONValue { value["spec"]["containers"] }

    @Test func setImageChangesOnlyTheImage() throws {
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let result = try apply(
            #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"notepad"}],"containers":[{"image":"mengsixing/notepad:new","name":"notepad"}]}}}}"#,
            to: live, schema: deployment)
        var expected = live
        expected[path: ["spec", "template", "spec", "containers"]] = .array([
            live["spec"]["template"]["spec"]["containers"][0].settingImage("mengsixing/notepad:new")
        ])
        #expect(result == expected)
    }

    @Test func applyPatchMergesServicePortByPort() throws {
        let live = try PatchFixtures.json(PatchFixtures.serviceLive)
        let result = try apply(
            #"{"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetPort":8084}]}}"#,
            to: live, schema: PatchSchema.forKind(PatchFixtures.serviceGVK))
        #expect(result["spec"]["ports"] == [["port": 80, "targetPort": 8084, "nodePort": 30036, "protocol": "TCP"]])
        #expect(result["spec"]["clusterIP"] == "10.96.0.20")
        #expect(PatchFixtures.allKeys(result).allSatisfy { !$0.hasPrefix("$") })
    }

    @Test func mergesNestedContainerEnvByName() throws {
        let live = try podWith(
            #"{"containers":[{"name":"app","image":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"1"}]},{"name":"sidecar","image":"s"}]}"#
        )
        let result = try apply(
            #"{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"2"}]}]}}"#, to: live, schema: pod)
        #expect(
            containers(result) == [
                ["name": "app", "image": "a", "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]]],
                ["name": "sidecar", "image": "s"],
            ])
    }

    /// Without `$setElementOrder`, Kubernetes puts a new item before the server's items.
    @Test func newItemWithoutOrderComesFirst() throws {
        let live = try podWith(#"{"containers":[{"name":"app","env":[{"name":"A","value":"1"}]}]}"#)
        let result = try apply(
            #"{"spec":{"containers":[{"name":"app","env":[{"name":"C","value":"3"}]}]}}"#, to: live, schema: pod)
        #expect(containers(result)[0]["env"] == [["name": "C", "value": "3"], ["name": "A", "value": "1"]])
    }

    @Test func setElementOrderReordersAndPlacesNewItems() throws {
        let live = try podWith(#"{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}"#)
        let result = try apply(
            #"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"c"},{"name":"a"}],"containers":[{"name":"c","image":"3"}]}}"#,
            to: live, schema: pod)
        #expect(
            containers(result) == [
                ["name": "b", "image": "2"], ["name": "c", "image": "3"], ["name": "a", "image": "1"],
            ])
    }

    /// Kubernetes' "set elements order in a list with server-only items 2": items the order
    /// does not list keep their place relative to the listed ones.
    @Test func serverOnlyItemsKeepTheirPlace() throws {
        let live = try podWith(
            #"{"containers":[{"name":"1","image":"a"},{"name":"2"},{"name":"9"},{"name":"3"},{"name":"4"}]}"#)
        let result = try apply(
            #"{"spec":{"$setElementOrder/containers":[{"name":"2"},{"name":"1"},{"name":"4"},{"name":"3"}]}}"#,
            to: live, schema: pod)
        #expect(containers(result).arrayValue?.map { $0["name"] } == ["2", "1", "9", "4", "3"])
    }

    /// Kubernetes' "add and delete an item in a list and preserve order".
    @Test func deletesByMergeKeyAndAddsInOrder() throws {
        let live = try podWith(
            #"{"containers":[{"name":"1","image":"a"},{"name":"2","image":"b"},{"name":"3","image":"c"}]}"#)
        let result = try apply(
            #"{"spec":{"$setElementOrder/containers":[{"name":"4"},{"name":"2"},{"name":"1"}],"containers":[{"name":"4","image":"d"},{"name":"3","$patch":"delete"}]}}"#,
            to: live, schema: pod)
        #expect(
            containers(result) == [
                ["name": "4", "image": "d"], ["name": "2", "image": "b"], ["name": "1", "image": "a"],
            ])
    }

    /// Kubernetes' "add map and delete map from merging list": an item added in the same
    /// patch that deletes another takes the freed place in the server's order, so it lands
    /// after the server-only item rather than before it.
    @Test func addedItemTakesTheDeletedItemsPlace() throws {
        let live = try podWith(#"{"containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"4","image":"c"}]}"#)
        let result = try apply(
            #"{"spec":{"$setElementOrder/containers":[{"name":"2"},{"name":"3"}],"#
                + #""containers":[{"name":"3"},{"name":"1","$patch":"delete"}]}}"#,
            to: live, schema: pod)
        #expect(containers(result) == [["name": "2", "image": "b"], ["name": "4", "image": "c"], ["name": "3"]])
    }

    @Test func deleteDirectiveNeedsTheMergeKey() throws {
        let live = try podWith(#"{"containers":[{"name":"a"}]}"#)
        #expect(throws: PatchError(.unprocessable, "map: map[$patch:delete] does not contain declared merge key: name"))
        {
            try apply(#"{"spec":{"containers":[{"$patch":"delete"}]}}"#, to: live, schema: pod)
        }
    }

    @Test func itemWithoutMergeKeyIsRejected() throws {
        let live = try podWith(#"{"containers":[{"name":"a"}]}"#)
        #expect(throws: PatchError(.unprocessable, "map: map[image:x] does not contain declared merge key: name")) {
            try apply(#"{"spec":{"containers":[{"image":"x"}]}}"#, to: live, schema: pod)
        }
    }

    @Test func replaceDirectiveInListReplacesTheList() throws {
        let live = try podWith(
            #"{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}"#)
        let result = try apply(
            #"{"spec":{"containers":[{"name":"a","env":[{"name":"C","value":"3"},{"$patch":"replace"}]}]}}"#,
            to: live, schema: pod)
        #expect(containers(result)[0]["env"] == [["name": "C", "value": "3"]])
    }

    @Test func replaceDirectiveInMapReplacesTheMap() throws {
        let live = try podWith(#"{"containers":[],"nodeSelector":{"disk":"hdd","zone":"a"}}"#)
        let result = try apply(#"{"spec":{"nodeSelector":{"$patch":"replace","disk":"ssd"}}}"#, to: live, schema: pod)
        #expect(result["spec"]["nodeSelector"] == ["disk": "ssd"])
    }

    @Test func deleteDirectiveInMapEmptiesIt() throws {
        let live = try podWith(#"{"containers":[],"nodeSelector":{"disk":"hdd"}}"#)
        let result = try apply(#"{"spec":{"nodeSelector":{"$patch":"delete"}}}"#, to: live, schema: pod)
        #expect(result["spec"]["nodeSelector"] == .object([:]))
    }

    @Test func mergeDirectiveMergesAsUsual() throws {
        let live = try podWith(#"{"containers":[{"name":"a","image":"1"}],"nodeSelector":{"disk":"hdd"}}"#)
        let result = try apply(
            #"{"spec":{"nodeSelector":{"$patch":"merge","zone":"b"},"containers":[{"name":"a","image":"2","$patch":"merge"}]}}"#,
            to: live, schema: pod)
        #expect(result["spec"]["nodeSelector"] == ["disk": "hdd", "zone": "b"])
        #expect(containers(result) == [["name": "a", "image": "2"]])
    }

    @Test func unknownDirectiveIsRejected() throws {
        let live = try podWith(#"{"containers":[{"name":"a"}]}"#)
        #expect(throws: PatchError(.unprocessable, "unknown patch type: frob in map: map[$patch:frob name:a]")) {
            try apply(#"{"spec":{"containers":[{"name":"a","$patch":"frob"}]}}"#, to: live, schema: pod)
        }
    }

    @Test func nullDeletesAndUnmatchedNullsVanish() throws {
        let live = try podWith(#"{"containers":[],"nodeSelector":{"disk":"hdd"},"hostname":"h"}"#)
        let result = try apply(
            #"{"spec":{"hostname":null,"subdomain":null,"affinity":{"nodeAffinity":null,"podAffinity":{}}}}"#,
            to: live, schema: pod)
        #expect(
            result["spec"] == ["containers": [], "nodeSelector": ["disk": "hdd"], "affinity": ["podAffinity": [:]]])
    }

    @Test func retainKeysClearsUnlistedFields() throws {
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        let result = try apply(
            #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#, to: live, schema: deployment)
        #expect(result["spec"]["strategy"] == ["type": "Recreate"])
        #expect(result["spec"]["replicas"] == 3)
    }

    @Test func retainKeysMustListEveryPatchedField() throws {
        let live = try PatchFixtures.json(PatchFixtures.deploymentLive)
        #expect(throws: PatchError(.badRequest, "invalid patch format of retainKeys")) {
            try apply(
                #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":{"maxSurge":1}}}}"#,
                to: live, schema: deployment)
        }
    }

    @Test func finalizersMergeAsASet() throws {
        let live = try podWith(#"{"containers":[]}"#).settingFinalizers(["a", "b"])
        let added = try apply(#"{"metadata":{"finalizers":["b","c"]}}"#, to: live, schema: pod)
        #expect(added["metadata"]["finalizers"] == ["a", "b", "c"])
        let removed = try apply(
            #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a","x"]}}"#, to: added, schema: pod)
        #expect(removed["metadata"]["finalizers"] == ["b", "c"])
        let reordered = try apply(#"{"metadata":{"$setElementOrder/finalizers":["c","b"]}}"#, to: removed, schema: pod)
        #expect(reordered["metadata"]["finalizers"] == ["c", "b"])
    }

    @Test func deletionListForMissingListAddsNothing() throws {
        let live = try podWith(#"{"containers":[]}"#)
        let result = try apply(#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#, to: live, schema: pod)
        #expect(result == live)
    }

    @Test func ownerReferencesMergeByUID() throws {
        let live = try podWith(#"{"containers":[]}"#).settingOwners([["uid": "1", "name": "rs-a"]])
        let result = try apply(
            #"{"metadata":{"ownerReferences":[{"uid":"1","controller":true},{"uid":"2","name":"rs-b"}]}}"#,
            to: live, schema: pod)
        #expect(
            Set(result["metadata"]["ownerReferences"].arrayValue ?? [])
                == [["uid": "1", "name": "rs-a", "controller": true], ["uid": "2", "name": "rs-b"]])
    }

    @Test func atomicListsAreReplaced() throws {
        let live = try podWith(
            #"{"containers":[{"name":"a","command":["sh","-c"]}],"tolerations":[{"key":"x","operator":"Exists"}]}"#)
        let result = try apply(
            #"{"spec":{"tolerations":[{"key":"y","operator":"Exists"}],"containers":[{"name":"a","command":["run"]}]}}"#,
            to: live, schema: pod)
        #expect(result["spec"]["tolerations"] == [["key": "y", "operator": "Exists"]])
        #expect(containers(result)[0]["command"] == ["run"])
    }

    @Test func unknownKindsMergeMapsAndReplaceLists() throws {
        let schema = PatchSchema.forKind(GroupVersionKind(group: "example.com", version: "v1", kind: "Widget"))
        let live = try PatchFixtures.json(
            #"{"metadata":{"name":"w","finalizers":["a"]},"spec":{"size":1,"items":[{"name":"x"}],"opts":{"a":1}}}"#)
        let result = try apply(
            #"{"metadata":{"finalizers":["b"]},"spec":{"items":[{"name":"y"}],"opts":{"b":2}}}"#, to: live,
            schema: schema)
        #expect(result["spec"] == ["size": 1, "items": [["name": "y"]], "opts": ["a": 1, "b": 2]])
        // A value new to the set comes first when no `$setElementOrder` says otherwise.
        #expect(result["metadata"]["finalizers"] == ["b", "a"])
    }

    @Test func directivesNeverReachTheResult() throws {
        let live = try podWith(#"{"containers":[{"name":"a"}]}"#)
        let result = try apply(
            #"{"spec":{"initContainers":[{"name":"i","$setElementOrder/env":[{"name":"E"}],"#
                + #""env":[{"name":"E"},{"name":"gone","$patch":"delete"}]},{"$patch":"replace"}],"#
                + #""volumes":[{"name":"v","$retainKeys":["name","emptyDir"],"emptyDir":{}}],"#
                + #""nodeSelector":{"$patch":"replace","k":"v"}},"#
                + #""metadata":{"$setElementOrder/finalizers":["f"],"finalizers":["f"]}}"#,
            to: live, schema: pod)
        #expect(PatchFixtures.allKeys(result).allSatisfy { !$0.hasPrefix("$") })
        #expect(result["spec"]["initContainers"] == [["name": "i", "env": [["name": "E"]]]])
        #expect(result["spec"]["volumes"] == [["name": "v", "emptyDir": [:]]])
        #expect(result["spec"]["nodeSelector"] == ["k": "v"])
        #expect(result["metadata"]["finalizers"] == ["f"])
    }

    @Test func orderDirectiveMustAgreeWithThePatchList() throws {
        let live = try podWith(#"{"containers":[{"name":"a"},{"name":"b"}]}"#)
        let patch = #"{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b","image":"x"}]}}"#
        #expect(
            throws: PatchError(
                .unprocessable,
                "The order in patch list:\n[map[image:x name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n"
            )
        ) {
            try apply(patch, to: live, schema: pod)
        }
    }

    @Test func malformedDirectivesAreBadRequests() throws {
        let live = try podWith(#"{"containers":[]}"#)
        let retain = try #require(throws: PatchError.self) {
            try apply(#"{"spec":{"$retainKeys":"containers"}}"#, to: live, schema: pod)
        }
        #expect(retain == PatchError(.badRequest, "invalid patch format of retainKeys"))
        let order = try #require(throws: PatchError.self) {
            try apply(#"{"spec":{"$setElementOrderX/containers":[]}}"#, to: live, schema: pod)
        }
        #expect(order == PatchError(.badRequest, "invalid patch format of setElementOrder list"))
        let list = try #require(throws: PatchError.self) {
            try apply(#"{"metadata":{"$deleteFromPrimitiveList":["a"]}}"#, to: live, schema: pod)
        }
        #expect(list.httpStatus == 400)
    }

    @Test func patchMustBeAnObject() throws {
        let error = try #require(throws: PatchError.self) {
            try StrategicMergePatch.apply([1], to: .object([:]), schema: .unknown)
        }
        #expect(
            error
                == PatchError(.badRequest, "json: cannot unmarshal array into Go value of type map[string]interface {}")
        )
    }

    @Test func listsOfListsAreRejected() throws {
        let schema = PatchSchema.object(["m": .set])
        let error = try #require(throws: PatchError.self) {
            try StrategicMergePatch.apply(["m": [[1]]], to: ["m": [[2]]], schema: schema)
        }
        #expect(error == PatchError(.unprocessable, "lists of lists are not supported"))
    }
}

extension JSONValue {
    fileprivate func settingImage(_ image: String) -> JSONValue {
        var copy = self
        copy["image"] = .string(image)
        return copy
    }

    fileprivate func settingFinalizers(_ finalizers: [JSONValue]) -> JSONValue {
        var copy = self
        copy[path: ["metadata", "finalizers"]] = .array(finalizers)
        return copy
    }

    fileprivate func settingOwners(_ owners: [JSONValue]) -> JSONValue {
        var copy = self
        copy[path: ["metadata", "ownerReferences"]] = .array(owners)
        return copy
    }
}
