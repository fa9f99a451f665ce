import Dataplane
import Foundation
import Logging
import NetnsLab
import NodeRuntime

/// The measurements of one run, in order, on one lab: full sync, restart,
/// endpoint changes, connects, throughput.
struct DataplaneRun {
    let options: Options
    let lab: NetnsLab
    let logger: Logger

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run() async throws -> RunResult {
        let started = ContinuousClock.now
        let n = options.services
        let config = DataplaneConfig(
            netnsPath: lab.nodePath, podCIDRs: [try IPv4Network(parsing: NetnsLab.podCIDR)],
            // The repair check (iptables: two `iptables -C` runs) would land
            // inside the measurements; a run is far shorter than this.
            repairInterval: .seconds(3600))
        let services = BenchServices.all(n)

        // 1. Full sync into an empty node.
        let first = ServiceProxy(config: config, backend: try makeBackend(config), logger: logger)
        let fullSync = try await sync(first, services)
        // 2. Restart: the first proxy goes, its rules stay; a new backend
        // instance syncs the same Services over them.
        try await first.stop(removeRules: false)
        let backend = try makeBackend(config)
        let proxy = ServiceProxy(config: config, backend: backend, logger: logger)
        do {
            let restartSync = try await sync(proxy, services)
            let frontends = await proxy.table().rules.count

            // 3. One endpoint change of the last Service, two kinds.
            let last = n - 1
            let pods = BenchServices.pods
            let replaced = try await changes(proxy, last, [pods[0], pods[1], BenchServices.spareEndpoint], backend)
            let counted = try await changes(proxy, last, [pods[0], pods[1]], backend)

            // 4. Connect latency: the last Service (iptables' worst case) and
            // the first (its best) as the control, taking turns.
            let connects = try ConnectLoop.run(
                from: lab.client, to: [BenchServices.clusterIP(last), BenchServices.clusterIP(0)],
                port: BenchServices.port, count: options.connects, warmup: options.warmup)
            let connectLast = connects[0], connectFirst = connects[1]

            // 6. nftables: the same comparison as the target (the last of 10
            // Services vs the last of N) inside this one lab, taking turns, so
            // it is not blurred by the ±15% between labs and processes.
            var scaling: ScalingStats?
            if options.backend == .nftables, n > ScalingStats.smallServices {
                scaling = try await scale(proxy, services)
            }

            // 5. Throughput through a Service IP versus the pod IP.
            var throughput: ThroughputStats?
            if options.iperfSeconds > 0 {
                try await proxy.upsert(BenchServices.iperf())
                throughput = try Throughput.measure(
                    lab: lab, clusterIP: BenchServices.iperfClusterIP, port: BenchServices.iperfPort,
                    seconds: options.iperfSeconds)
                if throughput == nil { logger.warning("iperf3 is not installed: throughput n/a") }
            }
            try await proxy.stop(removeRules: false)
            return RunResult(
                backend: options.backend.rawValue,
                iptablesRestore: options.backend == .iptables ? options.iptablesRestore : nil,
                services: n, endpointsPerService: pods.count, frontends: frontends,
                fullSync: fullSync, restartSync: restartSync, endpointReplace: replaced, endpointCount: counted,
                connectLast: connectLast, connectFirst: connectFirst, scaling: scaling, throughput: throughput,
                wallSeconds: (ContinuousClock.now - started).seconds)
        } catch {
            try? await proxy.stop(removeRules: false)
            throw error
        }
    }

    /// Rounds of: the table cut to the first 10 Services, connects to the
    /// 10th; the table back to all N, connects to the Nth.
    private func scale(_ proxy: ServiceProxy, _ services: [ServiceSpec]) async throws -> ScalingStats {
        let small = ScalingStats.smallServices
        let perRound = max(options.connects / ScalingStats.rounds, 100)
        var stats = ScalingStats(services: services.count, connectsPerRound: perRound)
        for _ in 0..<ScalingStats.rounds {
            try await proxy.replace(Array(services.prefix(small)))
            try await Task.sleep(for: ScalingStats.settle)
            let few = try ConnectLoop.run(
                from: lab.client, to: [BenchServices.clusterIP(small - 1)], port: BenchServices.port, count: perRound, warmup: 50)
            try await proxy.replace(services)
            try await Task.sleep(for: ScalingStats.settle)
            let many = try ConnectLoop.run(
                from: lab.client, to: [BenchServices.clusterIP(services.count - 1)], port: BenchServices.port, count: perRound, warmup: 50)
            stats.smallP50.append(few[0].micros.p50)
            stats.largeP50.append(many[0].micros.p50)
        }
        return stats
    }

    private func makeBackend(_ config: DataplaneConfig) throws(DataplaneError) -> any ProxyBackend {
        switch options.backend {
        case .nftables: try NFTablesBackend(config: config)
        case .iptables: try IPTablesBackend(config: config, restorePath: options.iptablesRestore)
        }
    }

    private func sync(_ proxy: ServiceProxy, _ services: [ServiceSpec]) async throws(DataplaneError) -> SyncStats {
        let cpu = CPUTimes.now()
        let start = ContinuousClock.now
        let report = try await proxy.start(services)
        let wall = (ContinuousClock.now - start).seconds
        let after = CPUTimes.now()
        return SyncStats(
            seconds: report.seconds, wallSeconds: wall, cpuSeconds: after.own - cpu.own,
            childCPUSeconds: after.children - cpu.children)
    }

    /// `options.changes` upserts of the last Service alternating between
    /// `variant` and its usual three pods, which it is left with.
    private func changes(
        _ proxy: ServiceProxy, _ index: Int, _ variant: [IPv4Address], _ backend: any ProxyBackend
    ) async throws -> ChangeStats {
        let n = options.services
        let structureBefore = (backend as? NFTablesBackend)?.structureTransactions
        var kernel: [Double] = [], wall: [Double] = []
        for k in 0..<options.changes {
            let endpoints = k % 2 == 0 ? variant : BenchServices.pods
            let start = ContinuousClock.now
            let report = try await proxy.upsert(BenchServices.service(index, of: n, endpoints: endpoints))
            wall.append((ContinuousClock.now - start).seconds * 1e6)
            kernel.append(report.seconds * 1e6)
            // Its ClusterIP and NodePort frontends: a change that changed
            // nothing would measure nothing.
            guard report.changed == 2 else {
                throw Failure(description: "endpoint change \(k) changed \(report.changed) frontends, expected 2")
            }
        }
        if options.changes % 2 == 1 { try await proxy.upsert(BenchServices.service(index, of: n)) }
        let structureAfter = (backend as? NFTablesBackend)?.structureTransactions
        return ChangeStats(
            micros: Percentiles(kernel), wallMicros: Percentiles(wall),
            structureTransactions: structureAfter.flatMap { after in structureBefore.map { after - $0 } })
    }
}
