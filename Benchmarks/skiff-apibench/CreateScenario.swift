import SkiffAPI
import SkiffClient

/// `creates`: how many small Pods per second the server commits with C requests in
/// flight, and what each POST costs. Warm-up pods are created the same way first and
/// not counted.
struct CreateScenario {
    let options: Options
    let clients: [APIClient]

    func run() async -> Report {
        let pods = BenchPods(namespace: options.namespace)
        let total = options.warmup + options.count
        // Bodies are serialized before the clock starts: the client shares the CPUs.
        let bodies = (0..<total).map(pods.body)
        let path = pods.collectionPath
        let post: ClosedLoop.Request = { client, index in
            do {
                let response = try await client.send("POST", path, body: bodies[index], contentType: "application/json")
                return problem(response, expected: 201)
            } catch {
                return "\(error)"
            }
        }
        let warm = await ClosedLoop.run(
            indices: 0..<options.warmup, concurrency: options.concurrency, clients: clients, request: post)
        var measured = await ClosedLoop.run(
            indices: options.warmup..<total, concurrency: options.concurrency, clients: clients, request: post)
        measured.absorbFailures(of: warm)
        return measured.report(
            scenario: "creates", unit: "creates", concurrency: options.concurrency, clients: clients.count)
    }
}

/// `version`: closed-loop `GET /version`, the cost every request pays before any
/// storage is touched (TLS records, HTTP parsing, bearer-token check, routing, JSON).
struct VersionScenario {
    let options: Options
    let clients: [APIClient]

    func run() async -> Report {
        let get: ClosedLoop.Request = { client, _ in
            do {
                return problem(try await client.send("GET", "/version"), expected: 200)
            } catch {
                return "\(error)"
            }
        }
        let warm = await ClosedLoop.run(
            indices: 0..<options.warmup, concurrency: options.concurrency, clients: clients, request: get)
        var measured = await ClosedLoop.run(
            indices: 0..<options.count, concurrency: options.concurrency, clients: clients, request: get)
        measured.absorbFailures(of: warm)
        return measured.report(
            scenario: "version", unit: "requests", concurrency: options.concurrency, clients: clients.count)
    }
}
