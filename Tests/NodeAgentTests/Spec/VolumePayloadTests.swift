import SkiffAPI
import Testing

@testable import NodeAgent

@Suite struct VolumePayloadTests {
    /// The seed's `mysecret.yaml` as it was meant (username admin, password 123, values
    /// base64-encoded) and the volume of its `mypod.yaml`.
    let seedSecret = secretObject("mysecret", ["username": "admin", "password": "123"])
    let seedVolume: JSONValue = ["name": "foo", "secret": ["secretName": "mysecret", "defaultMode": 420]]

    @Test func seedSecretVolumeHoldsOneFilePerKey() throws {
        #expect(seedSecret["data"]["password"] == "MTIz")
        let files = try VolumePayload.secret(source: seedVolume["secret"], secret: seedSecret)
        #expect(
            files == [
                "username": FileContent(text: "admin", mode: 0o644),
                "password": FileContent(text: "123", mode: 0o644),
            ])
    }

    @Test func seedPodWithoutItsSecretWaitsWithKubeletsMountEvent() async throws {
        let pod = try json(#"{"metadata":{"name":"mypod","namespace":"default"},"spec":{"volumes":[{"name":"foo","secret":{"secretName":"mysecret","defaultMode":420}}]}}"#)
        do {
            _ = try await VolumePayload.resolve(
                volume: seedVolume, pod: pod, source: FakePodObjects(), nodeAllocatable: testAllocatable)
            Issue.record("expected an error")
        } catch let error as PodConfigError {
            #expect(error.message == "secret \"mysecret\" not found")
            #expect(error.reason == "ContainerCreating")
            #expect(error.eventReason == "FailedMount")
            #expect(error.eventMessage(volumeName: "foo") == "MountVolume.SetUp failed for volume \"foo\" : secret \"mysecret\" not found")
        }
        let objects = FakePodObjects(secrets: ["default/mysecret": seedSecret])
        let files = try await VolumePayload.resolve(volume: seedVolume, pod: pod, source: objects, nodeAllocatable: testAllocatable)
        #expect(files?["password"] == FileContent(text: "123", mode: 0o644))
        #expect(await objects.fetches == ["secret default/mysecret"])
    }

    @Test func itemsChoosePathsAndModes() throws {
        let source = try json(
            #"{"secretName":"mysecret","defaultMode":256,"items":[{"key":"username","path":"creds/user"},{"key":"password","path":"./creds//pass","mode":384}]}"#)
        let files = try VolumePayload.secret(source: source, secret: seedSecret)
        #expect(
            files == [
                "creds/user": FileContent(text: "admin", mode: 0o400),
                "creds/pass": FileContent(text: "123", mode: 0o600),
            ])
    }

    @Test func missingItemKeysFailUnlessOptional() throws {
        let items = #""items":[{"key":"username","path":"u"},{"key":"token","path":"t"}]"#
        #expect(throws: PodConfigError("references non-existent secret key: token", stage: .volumeSetUp)) {
            try VolumePayload.secret(source: try json(#"{"secretName":"mysecret","# + items + "}"), secret: seedSecret)
        }
        let optional = try VolumePayload.secret(
            source: try json(#"{"secretName":"mysecret","optional":true,"# + items + "}"), secret: seedSecret)
        #expect(optional == ["u": FileContent(text: "admin", mode: 0o644)])
    }

    @Test func missingObjectIsEmptyWhenOptional() throws {
        #expect(try VolumePayload.secret(source: ["secretName": "x", "optional": true], secret: nil).isEmpty)
        #expect(try VolumePayload.configMap(source: ["name": "x", "optional": true, "items": [["key": "k", "path": "k"]]], configMap: nil).isEmpty)
        #expect(throws: PodConfigError("secret \"x\" not found", stage: .volumeSetUp)) {
            try VolumePayload.secret(source: ["secretName": "x"], secret: nil)
        }
        #expect(throws: PodConfigError("configmap \"x\" not found", stage: .volumeSetUp)) {
            try VolumePayload.configMap(source: ["name": "x"], configMap: nil)
        }
    }

    @Test func configMapCarriesTextAndBinaryData() throws {
        let configMap = configMapObject("cfg", ["app.conf": "port=8083\n"], binary: ["logo.bin": [0, 255, 1]])
        let all = try VolumePayload.configMap(source: ["name": "cfg"], configMap: configMap)
        #expect(
            all == [
                "app.conf": FileContent(text: "port=8083\n", mode: 0o644),
                "logo.bin": FileContent(bytes: [0, 255, 1], mode: 0o644),
            ])
        let picked = try VolumePayload.configMap(
            source: ["name": "cfg", "items": [["key": "logo.bin", "path": "img/logo", "mode": 292]]], configMap: configMap)
        #expect(picked == ["img/logo": FileContent(bytes: [0, 255, 1], mode: 0o444)])
        #expect(throws: PodConfigError("configmap references non-existent config key: k", stage: .volumeSetUp)) {
            try VolumePayload.configMap(source: ["name": "cfg", "items": [["key": "k", "path": "k"]]], configMap: configMap)
        }
    }

    @Test func payloadPathsAreCheckedLikeTheAtomicWriter() {
        let secret = secretObject("s", ["k": "v"])
        func write(_ path: String) throws -> [String: FileContent] {
            try VolumePayload.secret(source: ["secretName": "s", "items": [["key": "k", "path": .string(path)]]], secret: secret)
        }
        #expect(throws: PodConfigError("invalid path: must be relative path: /etc/k", stage: .volumeSetUp)) { try write("/etc/k") }
        #expect(throws: PodConfigError("invalid path: must not contain '..': a/../k", stage: .volumeSetUp)) { try write("a/../k") }
        #expect(throws: PodConfigError("invalid path: must not start with '..': ..data/k", stage: .volumeSetUp)) { try write("..data/k") }
        #expect(throws: PodConfigError("invalid path: must not be empty: \"\"", stage: .volumeSetUp)) { try write("") }
        #expect(
            throws: PodConfigError("invalid path: filenames must be less than or equal to 255 characters", stage: .volumeSetUp)
        ) { try write(String(repeating: "x", count: 256)) }
    }

    @Test func downwardAPIVolumeFiles() throws {
        let pod = try json(
            #"""
            {"metadata":{"name":"web","namespace":"default","labels":{"b":"2","a":"1"}},
             "spec":{"containers":[{"name":"web","resources":{"limits":{"memory":"64Mi"}}}]}}
            """#)
        let source = try json(
            #"""
            {"defaultMode":420,"items":[
              {"path":"labels","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.labels"}},
              {"path":"name","mode":256,"fieldRef":{"fieldPath":"metadata.name"}},
              {"path":"mem","resourceFieldRef":{"containerName":"web","resource":"limits.memory","divisor":"1Mi"}},
              {"path":"cpu","resourceFieldRef":{"containerName":"web","resource":"limits.cpu","divisor":"1m"}}]}
            """#)
        let files = try VolumePayload.downwardAPI(source: source, pod: pod, nodeAllocatable: testAllocatable)
        #expect(
            files == [
                "labels": FileContent(text: "a=\"1\"\nb=\"2\"", mode: 0o644),
                "name": FileContent(text: "web", mode: 0o400),
                "mem": FileContent(text: "64", mode: 0o644),
                "cpu": FileContent(text: "4000", mode: 0o644),
            ])
    }

    @Test func downwardAPIFailuresAreAggregated() throws {
        let pod = try json(#"{"metadata":{"name":"web"},"spec":{"containers":[{"name":"web"}]}}"#)
        let one = try json(#"{"items":[{"path":"n","fieldRef":{"fieldPath":"spec.nodeName"}}]}"#)
        #expect(throws: PodConfigError("unsupported fieldPath: spec.nodeName", stage: .volumeSetUp)) {
            try VolumePayload.downwardAPI(source: one, pod: pod, nodeAllocatable: testAllocatable)
        }
        let two = try json(
            #"{"items":[{"path":"n","fieldRef":{"fieldPath":"spec.nodeName"}},{"path":"x","resourceFieldRef":{"containerName":"gone","resource":"limits.cpu"}},{"path":"n2","fieldRef":{"fieldPath":"spec.nodeName"}}]}"#)
        #expect(
            throws: PodConfigError("[unsupported fieldPath: spec.nodeName, container gone not found]", stage: .volumeSetUp)
        ) {
            try VolumePayload.downwardAPI(source: two, pod: pod, nodeAllocatable: testAllocatable)
        }
    }

    @Test func projectedVolumeMergesItsSources() async throws {
        let pod = try json(#"{"metadata":{"name":"web","namespace":"default"},"spec":{"containers":[{"name":"web"}]}}"#)
        let volume = try json(
            #"""
            {"name":"all","projected":{"defaultMode":384,"sources":[
              {"secret":{"name":"mysecret","items":[{"key":"password","path":"secret/password"}]}},
              {"configMap":{"name":"cfg"}},
              {"downwardAPI":{"items":[{"path":"podname","fieldRef":{"fieldPath":"metadata.name"}}]}},
              {"serviceAccountToken":{"path":"token","expirationSeconds":3600}}]}}
            """#)
        let objects = FakePodObjects(
            secrets: ["default/mysecret": seedSecret], configMaps: ["default/cfg": configMapObject("cfg", ["k": "v"])])
        let files = try await VolumePayload.resolve(volume: volume, pod: pod, source: objects, nodeAllocatable: testAllocatable)
        #expect(
            files == [
                "secret/password": FileContent(text: "123", mode: 0o600),
                "k": FileContent(text: "v", mode: 0o600),
                "podname": FileContent(text: "web", mode: 0o600),
            ])
    }

    @Test func projectedFailuresAreReportedTogether() throws {
        let pod = try json(#"{"metadata":{"name":"web","namespace":"default"}}"#)
        let source = try json(
            #"{"sources":[{"secret":{"name":"s1"}},{"configMap":{"name":"c1","optional":true}},{"configMap":{"name":"c2"}}]}"#)
        #expect(throws: PodConfigError("[secret \"s1\" not found, configmap \"c2\" not found]", stage: .volumeSetUp)) {
            try VolumePayload.projected(source: source, pod: pod, objects: ProjectedObjects(), nodeAllocatable: testAllocatable)
        }
    }

    @Test func otherVolumeKindsHaveNoPayload() async throws {
        let pod = try json(#"{"metadata":{"name":"web"}}"#)
        let files = try await VolumePayload.resolve(
            volume: ["name": "scratch", "emptyDir": [:]], pod: pod, source: FakePodObjects(), nodeAllocatable: testAllocatable)
        #expect(files == nil)
    }
}
