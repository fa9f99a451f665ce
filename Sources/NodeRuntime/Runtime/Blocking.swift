import Dispatch

/// Runs blocking work (mounts, clone, cgroupfs writes, fsync) on Dispatch's
/// threads so it never occupies a thread of Swift's cooperative pool.
package enum Blocking {
    private static let queue = DispatchQueue(label: "skiff.blocking", attributes: .concurrent)

    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
