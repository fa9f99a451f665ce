import Testing
@testable import NodeRuntime

/// The start-up warning about the kernel's neighbour table limit.
@Suite struct NeighbourTableCheckTests {
    @Test func warnsOnlyWhenThePodsNeedMoreEntriesThanTheLimit() throws {
        #expect(NeighbourTableCheck.warning(maxPods: 250, limit: 1024) == nil)
        let warning = try #require(NeighbourTableCheck.warning(maxPods: 1000, limit: 1024))
        #expect(warning.contains("--max-pods 1000 needs about 2064"))
        #expect(warning.contains("gc_thresh3=2064"))
        #expect(warning.contains("beyond ~480"))
        #expect(NeighbourTableCheck.warning(maxPods: 1000, limit: nil) == nil)
        #expect(NeighbourTableCheck.currentLimit() != nil, "this kernel exposes \(NeighbourTableCheck.path)")
    }
}
