import ControlPlane
import Foundation
import Testing

/// Throughput numbers for the report, not a pass/fail gate: runs only with
/// SKIFF_STORE_BENCH set, e.g.
/// `SKIFF_STORE_BENCH=1 swift test --filter StorePerformanceTests`.
@Suite struct StorePerformanceTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SKIFF_STORE_BENCH"] != nil))
    func createsPerSecond() async throws {
        let count = 2_000
        try await withTemporaryStore { store, _ in
            let clock = ContinuousClock()
            let sequential = try await clock.measure {
                for index in 0..<count {
                    _ = try await store.create("/bench/seq/\(index)", value: Data(repeating: 0x61, count: 512))
                }
            }
            let concurrent = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in 0..<20 {
                        group.addTask {
                            for index in 0..<(count / 20) {
                                _ = try await store.create("/bench/par/\(task)/\(index)", value: Data(repeating: 0x61, count: 512))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            func rate(_ duration: Duration) -> Int {
                let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
                return Int(Double(count) / seconds)
            }
            print("STORE-BENCH sequential: \(count) creates in \(sequential), \(rate(sequential))/s")
            print("STORE-BENCH 20 tasks:   \(count) creates in \(concurrent), \(rate(concurrent))/s")
        }
    }
}
