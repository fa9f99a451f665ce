import Foundation
import NodeRuntime

/// One container of a pod as the worker sees it at a sync: its spec name,
/// whether it is an init container, and the runtime's latest and previous
/// attempts (kubelet keeps one dead container for `logs --previous`).
package struct ContainerView: Sendable {
    package var name: String
    package var isInit: Bool
    package var current: ContainerRecord?
    package var previous: ContainerRecord?
    /// Why it is not running yet (ContainerCreating, CrashLoopBackOff, ErrImageNeverPull, …).
    package var waiting: WaitingReason?
    package var ready: Bool
    /// The startup probe passed (or there is none) while it runs.
    package var started: Bool

    package var restartCount: Int { Int(current?.config.attempt ?? 0) }
    package var isRunning: Bool { current?.state == .running }
    package var hasExited: Bool { current?.state == .exited }
    package var succeeded: Bool { hasExited && current?.exitCode == 0 }
}

/// A waiting container's reason and message, as kubectl shows them in the STATUS column.
package struct WaitingReason: Sendable, Equatable {
    package var reason: String
    package var message: String?

    package init(_ reason: String, _ message: String? = nil) {
        self.reason = reason
        self.message = message
    }

    package static let creating = WaitingReason("ContainerCreating")
    package static let initializing = WaitingReason("PodInitializing")
}
