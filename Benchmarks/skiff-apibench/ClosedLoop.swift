import SkiffClient
import SkiffAPI
import Synchronization

/// A closed-loop load: `concurrency` tasks each send their next request as soon as
/// the previous one answered, taking indices from a shared counter until `count` were
/// sent. Throughput is then what the server sustains at that many requests in flight,
/// and each latency is one request's round trip (no client-side queueing: task `k`
/// uses client `k % clients.count`, and no client carries more tasks than connections).
struct ClosedLoop {
    struct Outcome {
        var latencies: [Double] = []
        var failures = 0
        var firstError: String?
        var elapsed: Duration = .zero
        /// CPU seconds the benchmark process itself spent during the loop.
        var clientCPU = 0.0

        var perSecond: Double {
            let seconds = elapsed.milliseconds / 1000
            return seconds > 0 ? Double(latencies.count + failures) / seconds : 0
        }
    }

    /// One request; returns nil on success or what went wrong.
    typealias Request = @Sendable (_ client: APIClient, _ index: Int) async -> String?

    static func run(
        indices: Range<Int>, concurrency: Int, clients: [APIClient], request: @escaping Request
    ) async -> Outcome {
        let next = Counter(indices.lowerBound)
        let clock = ContinuousClock()
        let start = clock.now
        let cpuBefore = ProcessCPU.seconds()
        var total = await withTaskGroup(of: Outcome.self) { group in
            for worker in 0..<concurrency {
                let client = clients[worker % clients.count]
                group.addTask {
                    var mine = Outcome()
                    while true {
                        let index = next.take()
                        guard index < indices.upperBound else { break }
                        let sent = clock.now
                        if let problem = await request(client, index) {
                            mine.failures += 1
                            if mine.firstError == nil { mine.firstError = problem }
                        } else {
                            mine.latencies.append((clock.now - sent).milliseconds)
                        }
                    }
                    return mine
                }
            }
            var merged = Outcome()
            for await part in group {
                merged.latencies += part.latencies
                merged.failures += part.failures
                merged.firstError = merged.firstError ?? part.firstError
            }
            return merged
        }
        total.elapsed = clock.now - start
        total.clientCPU = ProcessCPU.seconds() - cpuBefore
        return total
    }
}

/// A shared count: the next index to send, or how many watches are open.
final class Counter: Sendable {
    private let value: Atomic<Int>

    init(_ start: Int) { value = Atomic(start) }

    func take() -> Int { value.add(1, ordering: .relaxed).oldValue }

    var current: Int { value.load(ordering: .relaxed) }
}

/// What a reply says about a request that should have succeeded with `expected`.
func problem(_ response: APIResponse, expected: Int) -> String? {
    guard response.status != expected else { return nil }
    let message = response.statusError?.message ?? String(decoding: response.body.prefix(300), as: UTF8.self)
    return "HTTP \(response.status): \(message)"
}

extension ClosedLoop.Outcome {
    /// Counts the warm-up's failures too: a run that lost requests anywhere is suspect.
    mutating func absorbFailures(of warmup: ClosedLoop.Outcome) {
        failures += warmup.failures
        firstError = firstError ?? warmup.firstError
    }

    func report(scenario: String, unit: String, concurrency: Int, clients: Int) -> Report {
        let latency = LatencySummary(milliseconds: latencies)
        let count = latencies.count + failures
        var json: JSONValue = [
            "scenario": .string(scenario), "count": .integer(Int64(count)),
            "concurrency": .integer(Int64(concurrency)), "clients": .integer(Int64(clients)),
            "seconds": LatencySummary.number(elapsed.milliseconds / 1000),
            "perSecond": LatencySummary.number(perSecond), "failures": .integer(Int64(failures)),
            "latencyMs": latency.json, "clientCPUSeconds": LatencySummary.number(clientCPU),
        ]
        var text = """
            \(scenario): \(count) requests, concurrency \(concurrency) over \(clients) client(s): \
            \(Int(perSecond.rounded())) \(unit)/s
              latency \(latency.text)
            """
        if let firstError {
            json["firstError"] = .string(firstError)
            text += "\n  \(failures) failed; first: \(firstError)"
        }
        return Report(text: text, json: json, complete: failures == 0)
    }
}
