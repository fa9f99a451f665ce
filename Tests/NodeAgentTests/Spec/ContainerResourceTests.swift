import NodeRuntime
import SkiffAPI
import Testing

@testable import NodeAgent

@Suite struct ContainerResourceFieldTests {
    func value(_ resource: String, divisor: String? = nil, _ container: String) throws -> String {
        try ContainerResourceField.value(
            resource: resource, divisor: divisor, container: try json(container), nodeAllocatable: testAllocatable)
    }

    let limited = #"{"name":"c","resources":{"limits":{"cpu":"1500m","memory":"128Mi","ephemeral-storage":"1Gi","hugepages-2Mi":"4Mi"},"requests":{"cpu":"250m","memory":"100M"}}}"#

    @Test func cpuRoundsUpInDivisorUnits() throws {
        #expect(try value("limits.cpu", limited) == "2")
        #expect(try value("limits.cpu", divisor: "1m", limited) == "1500")
        #expect(try value("requests.cpu", limited) == "1")
        #expect(try value("requests.cpu", divisor: "100m", limited) == "3")
        #expect(try value("limits.cpu", divisor: "0", limited) == "2")
    }

    @Test func bytesRoundUpInDivisorUnits() throws {
        #expect(try value("limits.memory", limited) == "134217728")
        #expect(try value("limits.memory", divisor: "1Mi", limited) == "128")
        #expect(try value("requests.memory", divisor: "1Mi", limited) == "96")
        #expect(try value("requests.memory", divisor: "1M", limited) == "100")
        #expect(try value("limits.ephemeral-storage", divisor: "1Gi", limited) == "1")
        #expect(try value("limits.hugepages-2Mi", divisor: "1Mi", limited) == "4")
        #expect(try value("requests.hugepages-2Mi", limited) == "0")
    }

    @Test func missingLimitsFallBackToNodeAllocatable() throws {
        let bare = #"{"name":"c"}"#
        #expect(try value("limits.cpu", bare) == "4")
        #expect(try value("limits.cpu", divisor: "1m", bare) == "4000")
        #expect(try value("limits.memory", divisor: "1Gi", bare) == "8")
        #expect(try value("requests.cpu", bare) == "0")
        #expect(try value("requests.memory", bare) == "0")
        #expect(try value("limits.ephemeral-storage", bare) == "0")
        #expect(try value("limits.cpu", #"{"name":"c","resources":{"limits":{"cpu":"0"}}}"#) == "4")
    }

    @Test func unsupportedResourcesAndBadDivisors() {
        #expect(throws: PodConfigError("unsupported container resource : limits.nvidia.com/gpu")) {
            try value("limits.nvidia.com/gpu", limited)
        }
        #expect(throws: PodConfigError("unsupported container resource : cpu")) {
            try value("cpu", limited)
        }
        #expect(throws: PodConfigError("quantity \"1x\": unable to parse quantity's suffix")) {
            try value("limits.cpu", divisor: "1x", limited)
        }
    }

    @Test func namedContainerIsLookedUpInThePod() throws {
        let pod = try json(
            #"{"spec":{"containers":[{"name":"a","resources":{"limits":{"memory":"1Gi"}}}],"initContainers":[{"name":"init","resources":{"limits":{"cpu":"2"}}}]}}"#)
        func lookUp(_ reference: String) throws -> String {
            try ContainerResourceField.value(
                reference: try json(reference), pod: pod, container: nil, nodeAllocatable: testAllocatable)
        }
        #expect(try lookUp(#"{"containerName":"a","resource":"limits.memory","divisor":"1Mi"}"#) == "1024")
        #expect(try lookUp(#"{"containerName":"init","resource":"limits.cpu"}"#) == "2")
        #expect(throws: PodConfigError("container nope not found")) {
            try lookUp(#"{"containerName":"nope","resource":"limits.cpu"}"#)
        }
    }
}

@Suite struct ContainerResourcesTests {
    @Test func convertsToRuntimeUnits() throws {
        let container = try json(#"{"resources":{"limits":{"cpu":"1","memory":"128Mi"},"requests":{"cpu":"250m","memory":"64Mi"}}}"#)
        #expect(
            try ContainerResources.limits(container: container)
                == ResourceLimitsConfig(cpuRequestMillis: 250, cpuLimitMillis: 1000, memoryLimitBytes: 134_217_728))
    }

    @Test func requestDefaultsToLimit() throws {
        let container = try json(#"{"resources":{"limits":{"cpu":"0.5","memory":"1G"}}}"#)
        #expect(
            try ContainerResources.limits(container: container)
                == ResourceLimitsConfig(cpuRequestMillis: 500, cpuLimitMillis: 500, memoryLimitBytes: 1_000_000_000))
    }

    @Test func requestsAloneAndNothingAtAll() throws {
        #expect(
            try ContainerResources.limits(container: try json(#"{"resources":{"requests":{"cpu":"100m"}}}"#))
                == ResourceLimitsConfig(cpuRequestMillis: 100))
        #expect(try ContainerResources.limits(container: try json(#"{"name":"c"}"#)) == ResourceLimitsConfig())
        #expect(
            try ContainerResources.limits(container: try json(#"{"resources":{"limits":{"cpu":"0","memory":0}}}"#))
                == ResourceLimitsConfig())
        #expect(
            try ContainerResources.limits(container: try json(#"{"resources":{"limits":{"cpu":2}}}"#))
                == ResourceLimitsConfig(cpuRequestMillis: 2000, cpuLimitMillis: 2000))
    }

    @Test func unparsableQuantitiesAreErrors() {
        #expect(throws: PodConfigError("quantity \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")) {
            try ContainerResources.limits(container: try json(#"{"resources":{"limits":{"memory":"lots"}}}"#))
        }
    }
}

@Suite struct PodQOSTests {
    func qos(_ spec: String) throws -> String {
        PodQOS.classOf(pod: try json(#"{"spec":"# + spec + "}"))
    }

    @Test func bestEffortWithoutAnyAmount() throws {
        #expect(try qos(#"{"containers":[{"name":"a"},{"name":"b","resources":{}}]}"#) == "BestEffort")
        #expect(try qos(#"{"containers":[{"name":"a","resources":{"requests":{"cpu":"0"}}}]}"#) == "BestEffort")
        // Only cpu and memory count.
        #expect(try qos(#"{"containers":[{"name":"a","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}"#) == "BestEffort")
    }

    @Test func guaranteedWhenEveryContainerLimitsBothAndRequestsMatch() throws {
        #expect(
            try qos(#"{"containers":[{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1000m","memory":"1024Mi"}}}]}"#)
                == "Guaranteed")
        // Limits only: the requests default to them.
        #expect(try qos(#"{"containers":[{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]}"#) == "Guaranteed")
    }

    @Test func burstableOtherwise() throws {
        #expect(try qos(#"{"containers":[{"name":"a","resources":{"requests":{"cpu":"100m"}}}]}"#) == "Burstable")
        #expect(
            try qos(#"{"containers":[{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m","memory":"1Gi"}}}]}"#)
                == "Burstable")
        #expect(
            try qos(#"{"containers":[{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},{"name":"b"}]}"#)
                == "Burstable")
        // An init container without limits makes an otherwise guaranteed pod burstable.
        #expect(
            try qos(#"{"containers":[{"name":"a","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}],"initContainers":[{"name":"i","resources":{"requests":{"cpu":"1"}}}]}"#)
                == "Burstable")
    }

    @Test func recordedClassWins() throws {
        let pod = try json(#"{"spec":{"containers":[{"name":"a"}]},"status":{"qosClass":"Burstable"}}"#)
        #expect(PodQOS.classOf(pod: pod) == "Burstable")
        #expect(PodQOS.compute(pod: pod) == "BestEffort")
    }
}
