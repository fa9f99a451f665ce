import Dispatch

/// Runs blocking work (mounts, clone, cgroupfs writes, fsync) on Dispatch's
/// threads so it never occupies a thread of Swift's cooperative pool.
///
/// Each call gets a serial queue of its own. libdispatch runs serial queues
/// on its overcommit pool, which adds a thread whenever all of them are
/// blocked; a concurrent queue runs on the pool that is only as wide as the
/// machine has cores. With the latter, two pod starts blocked in the kernel
/// (a clone waiting for its child's exec, a cgroup move waiting for RCU) held
/// up every other pod's blocking step: 20 pods started at once waited 31 ms
/// (p50) for two mkfifo calls (docs/benchmarks/pod-start.md).
package enum Blocking {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "skiff.blocking").async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
