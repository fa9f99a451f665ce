import SkiffAPI

extension PodStartScenario {
    /// Totals and per-phase order statistics of the measured pods, with every
    /// pod's numbers in the JSON (for the distribution plots). A run in which a
    /// pod failed to start, or whose trace is missing, says so and is incomplete.
    func report(
        _ starts: [Start], pods: BenchPods, marks: [String: [String: UInt64]], traceProblem: String?,
        watchProblem: String?, teardown: Double?, seconds: Double, clientCPU: Double
    ) -> Report {
        let done = starts.filter { $0.error == nil && $0.running != nil && $0.served != nil }
        let toRunning = done.compactMap { start in start.running.map { Double($0 - start.posted) / 1e6 } }
        let toHTTP = done.compactMap { start in start.served.map { Double($0 - start.posted) / 1e6 } }
        let apiWrite = done.map { Double($0.answered - $0.posted) / 1e6 }

        var phaseSamples = Array(repeating: [Double](), count: StartPhases.phases.count)
        var traced = 0
        var perPod: [JSONValue] = []
        for start in done {
            var own = marks["\(options.namespace)/\(pods.name(start.index))"] ?? [:]
            let hasTrace = !own.isEmpty
            own[StartPhases.start] = start.posted
            own["bench.running"] = start.running
            own["bench.http"] = start.served
            var entry: JSONValue = [
                "runningMs": LatencySummary.number(Double((start.running ?? 0) - start.posted) / 1e6),
                "httpMs": LatencySummary.number(Double((start.served ?? 0) - start.posted) / 1e6),
                "httpAttempts": .integer(Int64(start.attempts)),
                "ip": start.ip.map(JSONValue.string) ?? .null,
            ]
            if hasTrace, let durations = StartPhases.durations(own) {
                traced += 1
                for (i, value) in durations.enumerated() { phaseSamples[i].append(value) }
                entry["phasesMs"] = .array(durations.map(LatencySummary.number))
            }
            perPod.append(entry)
        }
        let running = LatencySummary(milliseconds: toRunning)
        let http = LatencySummary(milliseconds: toHTTP)
        let write = LatencySummary(milliseconds: apiWrite)
        let phases: [JSONValue] = zip(StartPhases.phases, phaseSamples).map { phase, samples in
            var summary = LatencySummary(milliseconds: samples).json
            summary["name"] = .string(phase.name)
            summary["step"] = .string(phase.step)
            return summary
        }
        let failures = starts.filter { $0.error != nil }
        var problems = failures.prefix(3).map { "pod \(pods.name($0.index)): \($0.error ?? "")" }
        if let traceProblem { problems.append(traceProblem) }
        if options.trace != nil, traced < done.count {
            problems.append("\(done.count - traced) started pods have no marks in the start trace")
        }
        if let watchProblem { problems.append(watchProblem) }
        if teardown == nil { problems.append("the run's pods were not all gone 5 minutes after their deletion") }

        var json: JSONValue = [
            "scenario": "pod-start", "count": .integer(Int64(starts.count)), "started": .integer(Int64(done.count)),
            "failures": .integer(Int64(failures.count)), "concurrency": .integer(Int64(options.concurrency)),
            "image": .string(options.image), "seconds": LatencySummary.number(seconds),
            "podsPerSecond": LatencySummary.number(seconds > 0 ? Double(done.count) / seconds : 0),
            "createToRunningMs": running.json, "createToHTTPMs": http.json, "createRequestMs": write.json,
            "phases": .array(phases), "traced": .integer(Int64(traced)), "pods": .array(perPod),
            "teardownSeconds": teardown.map(LatencySummary.number) ?? .null,
            "clientCPUSeconds": LatencySummary.number(clientCPU),
            "problems": .array(problems.map(JSONValue.string)),
        ]
        json["warmup"] = .integer(Int64(options.warmup))
        var text = """
            pod-start: \(done.count)/\(starts.count) pods, \(options.concurrency) at a time, \
            \(LatencySummary.format(seconds)) s (\(LatencySummary.format(seconds > 0 ? Double(done.count) / seconds : 0)) pods/s)
              create -> Running seen:   \(running.text)
              create -> first HTTP 200: \(http.text)
              create request:           \(write.text)
            """
        if traced > 0 {
            text += "\n  phases (p50 / p99 ms, \(traced) traced pods):"
            for (phase, samples) in zip(StartPhases.phases, phaseSamples) {
                let summary = LatencySummary(milliseconds: samples)
                text += "\n    \(phase.name): \(LatencySummary.format(summary.p50)) / \(LatencySummary.format(summary.p99))"
            }
        }
        for problem in problems { text += "\n  problem: \(problem)" }
        return Report(text: text, json: json, complete: problems.isEmpty)
    }
}
