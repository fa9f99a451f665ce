import SkiffAPI
import Testing

@testable import NodeAgent

@Suite struct ContainerEnvironmentTests {
    let pod: JSONValue
    init() throws {
        pod = try json(
            #"""
            {"metadata":{"name":"web","namespace":"default","uid":"1234-abcd","labels":{"app":"mytest"}},
             "spec":{"nodeName":"node-1","serviceAccountName":"default",
                     "containers":[{"name":"web","image":"notepad","resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"250m","memory":"64Mi"}}},
                                   {"name":"side","image":"side"}]},
             "status":{"hostIP":"10.0.0.1","hostIPs":[{"ip":"10.0.0.1"}],"podIP":"10.88.0.5","podIPs":[{"ip":"10.88.0.5"},{"ip":"fd00::5"}]}}
            """#)
    }

    func resolve(_ container: String, objects: FakePodObjects, services: [String: String] = [:]) async throws -> ResolvedEnvironment {
        try await ContainerEnvironment.resolve(
            container: try json(container), pod: pod, source: objects, nodeAllocatable: testAllocatable,
            serviceEnvironment: services)
    }

    @Test func literalValuesExpandAgainstEarlierVariablesOnly() async throws {
        let env = try await resolve(
            #"{"name":"c","env":[{"name":"A","value":"a"},{"name":"B","value":"$(A)-$(C)"},{"name":"C","value":"c"},{"name":"D","value":"$$(A)"},{"name":"E"}]}"#,
            objects: FakePodObjects())
        #expect(env.variables == ["A=a", "B=a-$(C)", "C=c", "D=$(A)", "E="])
        #expect(env.skippedKeys.isEmpty)
    }

    @Test func laterDefinitionsOverrideInPlace() async throws {
        let objects = FakePodObjects(configMaps: ["default/cfg": configMapObject("cfg", ["A": "from-cm", "B": "b"])])
        let env = try await resolve(
            #"{"name":"c","envFrom":[{"configMapRef":{"name":"cfg"}}],"env":[{"name":"A","value":"mine-$(A)"},{"name":"Z","value":"z"},{"name":"B","value":"again"}]}"#,
            objects: objects)
        #expect(env.variables == ["A=mine-from-cm", "B=again", "Z=z"])
    }

    @Test func envFromAppliesPrefixAndSkipsInvalidNames() async throws {
        let objects = FakePodObjects(
            secrets: ["default/mysecret": secretObject("mysecret", ["username": "admin", "1badkey": "x", "2alsobad": "y"])],
            configMaps: ["default/myconfig": configMapObject("myconfig", ["ok.name-1": "v", "has space": "w"])])
        let env = try await resolve(
            #"{"name":"c","envFrom":[{"secretRef":{"name":"mysecret"}},{"prefix":"CFG_","configMapRef":{"name":"myconfig"}}]}"#,
            objects: objects)
        #expect(env.variables == ["username=admin", "CFG_ok.name-1=v"])
        #expect(env.skippedKeys.count == 2)
        #expect(
            env.skippedKeys.first?.eventMessage
                == "Keys [1badkey, 2alsobad] from the EnvFrom secret default/mysecret were skipped since they are considered invalid environment variable names."
        )
        #expect(env.skippedKeys.first?.eventReason == "InvalidEnvironmentVariableNames")
        #expect(
            env.skippedKeys.last?.eventMessage
                == "Keys [CFG_has space] from the EnvFrom configMap default/myconfig were skipped since they are considered invalid environment variable names."
        )
    }

    @Test func missingEnvFromSourcesFailUnlessOptional() async throws {
        let objects = FakePodObjects()
        let optional = try await resolve(
            #"{"name":"c","envFrom":[{"secretRef":{"name":"gone","optional":true}},{"configMapRef":{"name":"gone","optional":true}}]}"#,
            objects: objects)
        #expect(optional.variables.isEmpty)

        await #expect(throws: PodConfigError("secret \"mysecret\" not found")) {
            _ = try await resolve(#"{"name":"c","envFrom":[{"secretRef":{"name":"mysecret"}}]}"#, objects: objects)
        }
        await #expect(throws: PodConfigError("configmap \"cfg\" not found")) {
            _ = try await resolve(#"{"name":"c","envFrom":[{"configMapRef":{"name":"cfg"}}]}"#, objects: objects)
        }
    }

    @Test func secretAndConfigMapKeyReferences() async throws {
        let objects = FakePodObjects(
            secrets: ["default/mysecret": secretObject("mysecret", ["password": "123"])],
            configMaps: ["default/cfg": configMapObject("cfg", ["k": "v"])])
        let env = try await resolve(
            #"""
            {"name":"c","env":[
              {"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"mysecret","key":"password"}}},
              {"name":"K","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"k"}}},
              {"name":"OPT_KEY","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"nope","optional":true}}},
              {"name":"OPT_OBJ","valueFrom":{"secretKeyRef":{"name":"absent","key":"x","optional":true}}},
              {"name":"USES","value":"$(PASSWORD)/$(OPT_KEY)"}]}
            """#,
            objects: objects)
        #expect(env.variables == ["PASSWORD=123", "K=v", "USES=123/$(OPT_KEY)"])
    }

    @Test func missingKeysUseKubeletWording() async throws {
        let objects = FakePodObjects(
            secrets: ["default/mysecret": secretObject("mysecret", ["username": "admin"])],
            configMaps: ["default/cfg": configMapObject("cfg", [:])])
        await #expect(throws: PodConfigError("couldn't find key password in Secret default/mysecret")) {
            _ = try await resolve(
                #"{"name":"c","env":[{"name":"P","valueFrom":{"secretKeyRef":{"name":"mysecret","key":"password"}}}]}"#,
                objects: objects)
        }
        await #expect(throws: PodConfigError("couldn't find key k in ConfigMap default/cfg")) {
            _ = try await resolve(
                #"{"name":"c","env":[{"name":"K","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"k"}}}]}"#,
                objects: objects)
        }
        await #expect(throws: PodConfigError("secret \"other\" not found")) {
            _ = try await resolve(
                #"{"name":"c","env":[{"name":"K","valueFrom":{"secretKeyRef":{"name":"other","key":"k"}}}]}"#,
                objects: objects)
        }
    }

    @Test func errorsCarryTheContainerWaitingReason() async throws {
        do {
            _ = try await resolve(
                #"{"name":"c","envFrom":[{"secretRef":{"name":"mysecret"}}]}"#, objects: FakePodObjects())
            Issue.record("expected an error")
        } catch let error as PodConfigError {
            #expect(error.reason == "CreateContainerConfigError")
            #expect(error.eventReason == "Failed")
            #expect(error.eventMessage() == "Error: secret \"mysecret\" not found")
        }
    }

    @Test func fetchesEachObjectOncePerResolve() async throws {
        let objects = FakePodObjects(
            secrets: ["default/s": secretObject("s", ["a": "1", "b": "2"])],
            configMaps: ["default/cfg": configMapObject("cfg", ["k": "v"])])
        _ = try await resolve(
            #"""
            {"name":"c","envFrom":[{"secretRef":{"name":"s"}},{"prefix":"X_","secretRef":{"name":"s"}}],
             "env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"s","key":"a"}}},
                    {"name":"K","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"k"}}},
                    {"name":"K2","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"k"}}},
                    {"name":"M","valueFrom":{"configMapKeyRef":{"name":"missing","key":"k","optional":true}}},
                    {"name":"M2","valueFrom":{"configMapKeyRef":{"name":"missing","key":"k","optional":true}}}]}
            """#,
            objects: objects)
        #expect(await objects.fetches == ["secret default/s", "configmap default/cfg", "configmap default/missing"])
    }

    @Test func transportErrorsPropagateUnchanged() async throws {
        let objects = FakePodObjects(failing: ["flaky"])
        await #expect(throws: FakePodObjects.TransportError()) {
            _ = try await resolve(
                #"{"name":"c","env":[{"name":"K","valueFrom":{"secretKeyRef":{"name":"flaky","key":"k","optional":true}}}]}"#,
                objects: objects)
        }
    }

    @Test func downwardAPIFieldAndResourceReferences() async throws {
        let env = try await resolve(
            #"""
            {"name":"web","resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"250m","memory":"64Mi"}},
             "env":[{"name":"POD","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},
                    {"name":"NS","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},
                    {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
                    {"name":"IPS","valueFrom":{"fieldRef":{"fieldPath":"status.podIPs"}}},
                    {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
                    {"name":"CPU","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}},
                    {"name":"CPU_M","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu","divisor":"1m"}}},
                    {"name":"MEM_MI","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
                    {"name":"SIDE_MEM","valueFrom":{"resourceFieldRef":{"containerName":"side","resource":"limits.memory"}}}]}
            """#,
            objects: FakePodObjects())
        #expect(
            env.variables == [
                "POD=web", "NS=default", "NODE=node-1", "IPS=10.88.0.5,fd00::5", "APP=mytest", "CPU=1", "CPU_M=250",
                "MEM_MI=128", "SIDE_MEM=8589934592",
            ])
    }

    @Test func badFieldPathsFailWithKubeletWording() async throws {
        await #expect(throws: PodConfigError("field label not supported: spec.containers")) {
            _ = try await resolve(
                #"{"name":"c","env":[{"name":"X","valueFrom":{"fieldRef":{"fieldPath":"spec.containers"}}}]}"#,
                objects: FakePodObjects())
        }
        await #expect(throws: PodConfigError("unsupported container resource : limits.gpu")) {
            _ = try await resolve(
                #"{"name":"c","env":[{"name":"X","valueFrom":{"resourceFieldRef":{"resource":"limits.gpu"}}}]}"#,
                objects: FakePodObjects())
        }
    }

    @Test func serviceVariablesFillOnlyUndefinedNamesAndFeedExpansion() async throws {
        let env = try await resolve(
            #"{"name":"c","env":[{"name":"URL","value":"http://$(WEB_SERVICE_HOST)"},{"name":"WEB_SERVICE_PORT","value":"mine"}]}"#,
            objects: FakePodObjects(),
            services: ["WEB_SERVICE_HOST": "10.96.0.10", "WEB_SERVICE_PORT": "80"])
        #expect(env.variables == ["URL=http://10.96.0.10", "WEB_SERVICE_PORT=mine", "WEB_SERVICE_HOST=10.96.0.10"])
    }
}

@Suite struct EnvVarNameTests {
    @Test func acceptsKubernetesNames() {
        for name in ["A", "my.env-name", "MY_ENV.NAME", "MyEnvName1", "_x", "-dash", ".hidden"] {
            #expect(EnvVarName.isValid(name), "\(name)")
        }
    }

    @Test func refusesOthers() {
        for name in ["", "1abc", "has space", "ü", "a=b", ".", "..", "..x"] {
            #expect(!EnvVarName.isValid(name), "\(name)")
        }
    }
}
