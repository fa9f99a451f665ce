import NodeRuntime
import SkiffAPI
import SkiffClient

/// `pod-start`: pods that serve HTTP, created through the API `concurrency` at a
/// time (closed loop: a worker creates its next pod once its last one answered),
/// each timed from its POST to `Running` seen on a watch and to its first HTTP
/// 200, with the steps in between from skiffd's start trace. Warm-up pods go
/// first and are not counted. Afterwards every pod of the run is deleted and
/// the scenario waits until they are gone, so the next run starts on an idle node.
struct PodStartScenario {
    /// One pod's start as the benchmark saw it (wall-clock nanoseconds).
    struct Start: Sendable {
        var index: Int
        var posted: UInt64 = 0
        var answered: UInt64 = 0
        var running: UInt64?
        var served: UInt64?
        var ip: String?
        var attempts = 0
        var error: String?
    }

    let options: Options
    let settings: ConnectionSettings

    func run() async throws -> Report {
        let pods = BenchPods(namespace: options.namespace)
        let total = options.warmup + options.count
        var clients: [APIClient] = []
        for _ in 0..<options.clientCount { clients.append(try APIClient(settings: settings)) }
        let watchClient = try APIClient(settings: settings)
        defer {
            // Not awaited: the watch connection's TLS close waits for the server (see WatchScenario).
            let all = clients + [watchClient]
            Task.detached { for client in all { await client.shutdown() } }
        }
        let probe = HTTPProbe(namespace: try options.netns.map(NetworkNamespace.init(path:)), port: UInt16(options.port))
        let board = RunningBoard()
        let revision = try await pods.listRevision(clients[0])
        let watch = Task { await watchRunning(watchClient, pods, revision: revision, board: board) }

        let bodies = (0..<total).map { pods.servingBody($0, image: options.image, port: options.port) }
        let cpuBefore = ProcessCPU.seconds()
        var starts = await startAll(0..<options.warmup, pods, bodies, clients, board, probe)
        let measuredStart = WallClock.nanoseconds()
        starts += await startAll(options.warmup..<total, pods, bodies, clients, board, probe)
        let measuredSeconds = Double(WallClock.nanoseconds() - measuredStart) / 1e9
        let clientCPU = ProcessCPU.seconds() - cpuBefore
        watch.cancel()
        let watchProblem = await watch.value

        let teardown = await removeAll(pods, total: total, clients[0])
        var marks: [String: [String: UInt64]] = [:]
        var traceProblem: String?
        if let trace = options.trace {
            let keys = Set((0..<total).map { "\(options.namespace)/\(pods.name($0))" })
            do {
                marks = try StartPhases.read(trace: trace, keys: keys)
            } catch {
                traceProblem = "reading the start trace \(trace): \(error)"
            }
        }
        return report(
            starts.filter { $0.index >= options.warmup }, pods: pods, marks: marks, traceProblem: traceProblem,
            watchProblem: watchProblem, teardown: teardown, seconds: measuredSeconds, clientCPU: clientCPU)
    }

    /// Closed loop over `indices` with `concurrency` workers.
    private func startAll(
        _ indices: Range<Int>, _ pods: BenchPods, _ bodies: [[UInt8]], _ clients: [APIClient], _ board: RunningBoard,
        _ probe: HTTPProbe
    ) async -> [Start] {
        let next = Counter(indices.lowerBound)
        return await withTaskGroup(of: [Start].self) { group in
            for worker in 0..<options.concurrency {
                let client = clients[worker % clients.count]
                group.addTask {
                    var mine: [Start] = []
                    while true {
                        let index = next.take()
                        guard index < indices.upperBound else { break }
                        mine.append(await startOne(index, pods, bodies[index], client, board, probe))
                    }
                    return mine
                }
            }
            var all: [Start] = []
            for await part in group { all += part }
            return all.sorted { $0.index < $1.index }
        }
    }

    private func startOne(
        _ index: Int, _ pods: BenchPods, _ body: [UInt8], _ client: APIClient, _ board: RunningBoard, _ probe: HTTPProbe
    ) async -> Start {
        var start = Start(index: index)
        start.posted = WallClock.nanoseconds()
        do {
            let response = try await client.send("POST", pods.collectionPath, body: body, contentType: "application/json")
            start.answered = WallClock.nanoseconds()
            if let problem = problem(response, expected: 201) {
                start.error = "create: \(problem)"
                return start
            }
        } catch {
            start.error = "create: \(error)"
            return start
        }
        guard let seen = await board.wait(for: index, timeout: .seconds(options.podTimeoutSeconds)) else {
            start.error = "not Running with an IP within \(options.podTimeoutSeconds) s"
            return start
        }
        start.running = seen.wallNanoseconds
        start.ip = seen.ip
        switch await probe.firstSuccess(ip: seen.ip, timeoutSeconds: options.podTimeoutSeconds) {
        case .ok(let at, let attempts):
            start.served = at
            start.attempts = attempts
        case .failed(let why):
            start.error = why
        }
        return start
    }

    /// Notes each pod's first event with phase Running and an IP; returns a
    /// problem with the watch, nil when there was none.
    private func watchRunning(_ client: APIClient, _ pods: BenchPods, revision: String, board: RunningBoard) async -> String? {
        do {
            let query = [("watch", "true"), ("labelSelector", pods.selector), ("resourceVersion", revision)]
            let reply = try await client.stream(pods.collectionPath, query: query, accept: "application/json")
            guard reply.status == 200 else { return "watch answered HTTP \(reply.status)" }
            var sightings: [(Int, RunningBoard.Seen)] = []
            let problem = try await WatchEvents.read(reply.body) { type, object, arrived in
                guard type == "ADDED" || type == "MODIFIED", object["status"]["phase"].stringValue == "Running",
                    let ip = object["status"]["podIP"].stringValue, !ip.isEmpty,
                    let index = object["metadata"]["name"].stringValue.flatMap(pods.index(ofName:))
                else { return }
                sightings.append((index, RunningBoard.Seen(wallNanoseconds: arrived.wallNanoseconds, ip: ip)))
            } after: {
                for (index, seen) in sightings { await board.record(index, seen) }
                sightings.removeAll()
            }
            return problem
        } catch {
            return Task.isCancelled ? nil : "reading the watch: \(error)"
        }
    }

    /// Deletes the run's pods (grace period 0) and waits until the API has none
    /// left; the seconds that took, nil if they were not all gone in 5 minutes.
    private func removeAll(_ pods: BenchPods, total: Int, _ client: APIClient) async -> Double? {
        let started = WallClock.nanoseconds()
        let next = Counter(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while true {
                        let index = next.take()
                        guard index < total else { return }
                        _ = try? await client.send(
                            "DELETE", "\(pods.collectionPath)/\(pods.name(index))", query: [("gracePeriodSeconds", "0")])
                    }
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            if let response = try? await client.send("GET", pods.collectionPath, query: [("labelSelector", pods.selector)]),
                response.status == 200, let list = try? JSONValue(jsonBytes: response.body),
                (list["items"].arrayValue ?? []).isEmpty
            {
                return Double(WallClock.nanoseconds() - started) / 1e9
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }
}
