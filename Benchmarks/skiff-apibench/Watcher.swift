import SkiffAPI
import SkiffClient

/// One watch on the run's pods, noting when each pod's ADDED event reached this
/// process. The time is taken as the chunk arrives, before it is parsed, so JSON
/// decoding on the client does not count as delivery.
struct Watcher: Sendable {
    struct Record {
        /// Arrival of the ADDED event of pod `i`, nil while unseen.
        var seen: [ContinuousClock.Instant?]
        var error: String?
    }

    let pods: BenchPods
    /// The list's resourceVersion: the watch starts right after it, so no event of
    /// this run can be missed however late the connection opens.
    let revision: String
    let total: Int
    let timeoutSeconds: Int

    /// Reads until the server ends the watch or the task is cancelled (which closes
    /// the connection). `opened` is counted once the response head arrived (or the
    /// request failed), `finished` once every pod was seen.
    func run(_ client: APIClient, opened: Counter, finished: Counter) async -> Record {
        var record = Record(seen: Array(repeating: nil, count: total))
        let body: AsyncThrowingStream<[UInt8], Error>
        do {
            let query = [
                ("watch", "true"), ("labelSelector", pods.selector), ("resourceVersion", revision),
                ("timeoutSeconds", String(timeoutSeconds)),
            ]
            let reply = try await client.stream(pods.collectionPath, query: query, accept: "application/json")
            _ = opened.take()
            guard reply.status == 200 else {
                record.error = "watch answered HTTP \(reply.status)"
                return record
            }
            body = reply.body
        } catch {
            _ = opened.take()
            record.error = "opening the watch: \(error)"
            return record
        }
        var remaining = total
        do {
            let problem = try await WatchEvents.read(body) { type, object, arrived in
                guard type == "ADDED", let name = object["metadata"]["name"].stringValue,
                    let index = pods.index(ofName: name), index < total, record.seen[index] == nil
                else { return }
                record.seen[index] = arrived.instant
                remaining -= 1
                if remaining == 0 { _ = finished.take() }
            }
            if let problem { record.error = problem }
        } catch {
            if !Task.isCancelled { record.error = "reading the watch: \(error)" }
        }
        return record
    }
}
