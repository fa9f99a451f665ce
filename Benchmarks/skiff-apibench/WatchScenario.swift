import SkiffAPI
import SkiffClient

/// `watch`: W watches on the run's pods (each on its own connection, as W separate
/// controllers would hold them), then N creates at a steady R per second; for every
/// watcher × pod pair, how long after the create the ADDED event arrived.
///
/// Two delays are reported: from the POST being sent (what a controller waiting on
/// someone else's create sees) and from its 201 being received. The store publishes
/// to watchers before it answers the writer, so the second is often negative.
struct WatchScenario {
    /// One paced create: when it was due, sent, and answered.
    struct Send {
        var index: Int
        var scheduled: ContinuousClock.Instant
        var sent: ContinuousClock.Instant
        var answered: ContinuousClock.Instant
        var error: String?
    }

    let options: Options
    let settings: ConnectionSettings

    func run() async throws -> Report {
        let pods = BenchPods(namespace: options.namespace)
        let total = options.warmup + options.count
        // At most 8 connections per client: one client per 8 writer tasks.
        var writeClients: [APIClient] = []
        for _ in 0..<max(1, (options.writerCount + 7) / 8) { writeClients.append(try APIClient(settings: settings)) }
        var watchClients: [APIClient] = []
        for _ in 0..<options.watchers { watchClients.append(try APIClient(settings: settings)) }

        // The server ends the watches itself shortly after the run, in case it does not
        // notice them being closed (it learns of a closed watch only when it next
        // writes to it, and these selectors match nothing after the run).
        let lifetime = Int((Double(total) / options.rate + options.drainSeconds + 30).rounded(.up))
        let revision: String
        do {
            revision = try await pods.listRevision(writeClients[0])
        } catch {
            // A client must be shut down before it is released.
            for client in writeClients + watchClients { await client.shutdown() }
            throw error
        }
        let watcher = Watcher(pods: pods, revision: revision, total: total, timeoutSeconds: lifetime)
        let opened = Counter(0)
        let finished = Counter(0)
        let watches = watchClients.map { client in
            Task { await watcher.run(client, opened: opened, finished: finished) }
        }
        let clock = ContinuousClock()
        let openDeadline = clock.now + .seconds(10)
        while opened.current < options.watchers, clock.now < openDeadline {
            try await Task.sleep(for: .milliseconds(5))
        }

        let cpuBefore = ProcessCPU.seconds()
        let sends = await paceCreates(pods, total: total, clients: writeClients)
        // Cancelling is what closes a watch (an abandoned stream would hold its
        // connection until the client shuts down).
        let drainDeadline = clock.now + .seconds(options.drainSeconds)
        while finished.current < options.watchers, clock.now < drainDeadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        for watch in watches { watch.cancel() }
        var records: [Watcher.Record] = []
        for watch in watches { records.append(await watch.value) }
        let clientCPU = ProcessCPU.seconds() - cpuBefore
        for client in writeClients { await client.shutdown() }
        // Not awaited: closing a TLS connection waits up to 5 s for the peer's
        // close_notify, which skiffd does not send while a watch stream is idle, and
        // the process exits right after the report anyway.
        Task.detached { for client in watchClients { await client.shutdown() } }
        return report(sends: sends, records: records, clientCPU: clientCPU)
    }

    /// Open loop: create `i` is due at start + i/R whatever happened to the others;
    /// `writers` tasks take turns so one slow reply does not push back the next send.
    private func paceCreates(_ pods: BenchPods, total: Int, clients: [APIClient]) async -> [Send] {
        let bodies = (0..<total).map(pods.body)
        let path = pods.collectionPath
        let clock = ContinuousClock()
        let interval = Duration.seconds(1 / options.rate)
        let start = clock.now + .milliseconds(20)
        let writers = options.writerCount
        var sends = await withTaskGroup(of: [Send].self) { group in
            for first in 0..<writers {
                let client = clients[first % clients.count]
                group.addTask {
                    var mine: [Send] = []
                    for index in stride(from: first, to: total, by: writers) {
                        let scheduled = start + interval * index
                        try? await Task.sleep(until: scheduled, clock: clock)
                        let sent = clock.now
                        var error: String?
                        do {
                            let response = try await client.send(
                                "POST", path, body: bodies[index], contentType: "application/json")
                            error = problem(response, expected: 201)
                        } catch let failure {
                            error = "\(failure)"
                        }
                        mine.append(Send(index: index, scheduled: scheduled, sent: sent, answered: clock.now, error: error))
                    }
                    return mine
                }
            }
            var all: [Send] = []
            for await part in group { all += part }
            return all
        }
        sends.sort { $0.index < $1.index }
        return sends
    }

    private func report(sends: [Send], records: [Watcher.Record], clientCPU: Double) -> Report {
        let measured = sends.filter { $0.index >= options.warmup }
        var fromSend: [Double] = []
        var fromAnswer: [Double] = []
        var missing = 0
        for record in records {
            for send in measured where send.error == nil {
                guard let seen = record.seen[send.index] else {
                    missing += 1
                    continue
                }
                fromSend.append((seen - send.sent).milliseconds)
                fromAnswer.append((seen - send.answered).milliseconds)
            }
        }
        let failures = sends.filter { $0.error != nil }
        let createLatency = LatencySummary(milliseconds: measured.map { ($0.answered - $0.sent).milliseconds })
        let sendLag = LatencySummary(milliseconds: measured.map { ($0.sent - $0.scheduled).milliseconds })
        let fromSendSummary = LatencySummary(milliseconds: fromSend)
        let fromAnswerSummary = LatencySummary(milliseconds: fromAnswer)
        var achieved = 0.0
        if let first = measured.first, let last = measured.last, last.index > first.index {
            achieved = Double(last.index - first.index) / ((last.sent - first.sent).milliseconds / 1000)
        }
        let watchErrors = records.compactMap(\.error)
        var json: JSONValue = [
            "scenario": "watch", "watchers": .integer(Int64(options.watchers)),
            "count": .integer(Int64(options.count)), "rate": LatencySummary.number(options.rate),
            "achievedRate": LatencySummary.number(achieved), "createFailures": .integer(Int64(failures.count)),
            "missingEvents": .integer(Int64(missing)), "deliveryFromSendMs": fromSendSummary.json,
            "deliveryFromResponseMs": fromAnswerSummary.json, "createLatencyMs": createLatency.json,
            "sendLagMs": sendLag.json, "writers": .integer(Int64(options.writerCount)),
            "watchErrors": .array(watchErrors.map(JSONValue.string)),
            "clientCPUSeconds": LatencySummary.number(clientCPU),
        ]
        if let first = failures.first?.error { json["firstError"] = .string(first) }
        var text = """
            watch: \(options.watchers) watchers, \(options.count) creates at \(Int(options.rate))/s \
            (achieved \(Int(achieved.rounded()))/s), \(fromSend.count) deliveries, \(missing) missing
              event seen − create sent:      \(fromSendSummary.text)
              event seen − create answered:  \(fromAnswerSummary.text)
              create latency:                \(createLatency.text)
              send lag behind schedule:      \(sendLag.text)
            """
        if let first = failures.first?.error { text += "\n  \(failures.count) creates failed; first: \(first)" }
        for error in Set(watchErrors) { text += "\n  watch error: \(error)" }
        return Report(
            text: text, json: json, complete: failures.isEmpty && missing == 0 && watchErrors.isEmpty)
    }
}

/// A scenario could not run at all (as opposed to requests failing within it).
struct ScenarioError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
