import Dispatch
import Foundation
import Logging
import NodeRuntime

/// The node's Service proxy: takes desired Services (whole or one at a
/// time), validates them, and has its backend program the difference. A
/// timer checks that the table is still what was programmed and repairs it
/// with a full sync when someone changed it behind our back.
///
/// Every kernel call runs on one serial queue of its own: the netlink work
/// blocks, must never sit on Swift's cooperative pool, and must not
/// interleave (a diff is only valid against the state it was computed
/// from), which an actor's reentrancy across awaits would allow.
package final class ServiceProxy: @unchecked Sendable {
    /// What one change did and how long the kernel part took.
    package struct Report: Sendable {
        package var added = 0
        package var removed = 0
        package var changed = 0
        package var seconds: Double = 0
    }

    package let config: DataplaneConfig
    private let backend: any ProxyBackend
    private let compiler: ForwardingCompiler
    private let logger: Logger
    private let queue = DispatchQueue(label: "skiff.dataplane")
    // Confined to `queue`.
    private var state = ProxyState()
    private var timer: DispatchSourceTimer?
    private var synced = false
    private var repairs = 0

    package init(config: DataplaneConfig, backend: any ProxyBackend, logger: Logger = Logger(label: "skiff.dataplane")) {
        self.config = config
        self.backend = backend
        self.compiler = ForwardingCompiler(config: config)
        self.logger = logger
    }

    package var backendName: String { backend.name }

    /// Full sync of `services` (an empty node at first start, the desired
    /// state after a restart) and the repair timer.
    @discardableResult
    package func start(_ services: [ServiceSpec] = []) async throws(DataplaneError) -> Report {
        try await run { () throws(DataplaneError) -> Report in
            try Self.enableBridgeNetfilter(netnsPath: self.config.netnsPath)
            let report = try self.replaceLocked(services)
            self.startTimerLocked()
            return report
        }
    }

    /// Replaces the whole desired state: validated first, then the
    /// difference is programmed.
    @discardableResult
    package func replace(_ services: [ServiceSpec]) async throws(DataplaneError) -> Report {
        try await run { () throws(DataplaneError) -> Report in try self.replaceLocked(services) }
    }

    /// Adds or changes one Service: compiled and diffed on its own, so the
    /// cost does not grow with the number of Services.
    @discardableResult
    package func upsert(_ service: ServiceSpec) async throws(DataplaneError) -> Report {
        try await run { () throws(DataplaneError) -> Report in
            try self.applyLocked(try self.state.planUpsert(service, compiler: self.compiler))
        }
    }

    @discardableResult
    package func remove(_ id: ServiceID) async throws(DataplaneError) -> Report {
        try await run { () throws(DataplaneError) -> Report in
            try self.applyLocked(self.state.planRemoval(id))
        }
    }

    /// The rules programmed now (tests compare backends with it).
    package func table() async -> ForwardingTable {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.state.table) }
        }
    }

    /// How many times the table was found changed and re-synced.
    package func repairCount() async -> Int {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.repairs) }
        }
    }

    /// Checks the table now (instead of waiting for the timer); true when it
    /// had to be repaired.
    @discardableResult
    package func checkNow() async throws(DataplaneError) -> Bool {
        try await run { () throws(DataplaneError) -> Bool in try self.checkLocked() }
    }

    /// Stops the timer; with `removeRules` also deletes what was programmed
    /// (a node leaving; a restart keeps forwarding in place instead).
    package func stop(removeRules: Bool) async throws(DataplaneError) {
        try await run { () throws(DataplaneError) in
            self.timer?.cancel()
            self.timer = nil
            if removeRules { try self.backend.teardown() }
            self.synced = false
        }
    }

    // MARK: On the queue

    private func replaceLocked(_ services: [ServiceSpec]) throws(DataplaneError) -> Report {
        let next = try ProxyState.compiled(services, compiler: compiler)
        let start = ContinuousClock.now
        let diff = ForwardingDiff(from: state.table, to: next.table)
        do {
            if synced {
                try backend.apply(diff, table: next.table)
            } else {
                try backend.fullSync(next.table)
                synced = true
            }
        } catch {
            logger.warning("update failed, running a full sync", metadata: ["error": "\(error)", "backend": "\(backend.name)"])
            try backend.fullSync(next.table)
        }
        state = next
        flushConntrack(diff)
        var report = Report(added: diff.added.count, removed: diff.removed.count, changed: diff.changed.count)
        report.seconds = Self.seconds(since: start)
        return report
    }

    /// Programs one planned change, then commits it to the state.
    private func applyLocked(_ change: ProxyState.Change) throws(DataplaneError) -> Report {
        let start = ContinuousClock.now
        let diff = change.diff
        // Backends that rewrite whole chains need the table after the
        // change; the nftables one works from the diff alone.
        let next = backend.needsTable ? state.table(after: change) : ForwardingTable()
        do {
            try backend.apply(diff, table: next)
        } catch {
            // The kernel refused an increment (the table was changed under
            // us, an element already gone): program the whole state instead.
            logger.warning("incremental update failed, running a full sync", metadata: ["error": "\(error)", "backend": "\(backend.name)"])
            try backend.fullSync(state.table(after: change))
        }
        state.commit(change)
        flushConntrack(diff)
        var report = Report(added: diff.added.count, removed: diff.removed.count, changed: diff.changed.count)
        report.seconds = Self.seconds(since: start)
        return report
    }

    private func flushConntrack(_ diff: ForwardingDiff) {
        for (frontend, backend) in diff.staleUDPBackends {
            deleteConntrack(frontend, backend: backend)
        }
        for frontend in diff.revivedUDPFrontends {
            deleteConntrack(frontend, backend: nil)
        }
    }

    private func deleteConntrack(_ frontend: Frontend, backend: BackendAddress?) {
        do {
            try Conntrack.delete(netnsPath: config.netnsPath, proto: frontend.proto, destination: frontend.ip, port: frontend.port, backend: backend)
        } catch {
            logger.warning("could not flush UDP conntrack entries", metadata: ["frontend": "\(frontend)", "error": "\(error)"])
        }
    }

    private func checkLocked() throws(DataplaneError) -> Bool {
        guard synced, try !backend.isIntact() else { return false }
        logger.warning("the \(backend.name) rules were changed behind the proxy's back; repairing with a full sync")
        let start = ContinuousClock.now
        try backend.fullSync(state.table)
        repairs += 1
        logger.notice("repaired the \(backend.name) rules", metadata: [
            "rules": "\(state.table.rules.count)", "seconds": "\(Self.seconds(since: start))",
        ])
        return true
    }

    private func startTimerLocked() {
        guard timer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = Self.nanoseconds(config.repairInterval)
        timer.schedule(deadline: .now() + .nanoseconds(interval), repeating: .nanoseconds(interval))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            do {
                _ = try self.checkLocked()
            } catch {
                self.logger.error("checking the \(self.backend.name) rules failed", metadata: ["error": "\(error)"])
            }
        }
        timer.resume()
        self.timer = timer
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws(DataplaneError) -> T) async throws(DataplaneError) -> T {
        let result: Result<T, DataplaneError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(DataplaneError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Pods on the node's bridge reach each other's Services only if bridged
    /// frames pass the IP hooks (the reply of a pod to a pod on the same
    /// bridge must meet the DNAT's conntrack entry): kube-proxy needs the
    /// same of br_netfilter. Per netns since Linux 5.3.
    private static func enableBridgeNetfilter(netnsPath: String?) throws(DataplaneError) {
        let path = "/proc/sys/net/bridge/bridge-nf-call-iptables"
        do {
            let namespace = try NetworkNamespace(path: netnsPath ?? "/proc/thread-self/ns/net")
            try namespace.perform {
                guard FileManager.default.fileExists(atPath: path) else { return }
                try Data("1\n".utf8).write(to: URL(fileURLWithPath: path))
            }
        } catch {
            throw .kernel(step: "enable \(path)", errno: (error as? SystemError)?.errno ?? EIO)
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    private static func nanoseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
    }
}
