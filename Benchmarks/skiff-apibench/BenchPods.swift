import SkiffAPI
import SkiffClient

/// The pods one benchmark run creates: numbered names under a random run id and a
/// label carrying that id, so a watch selects exactly this run's pods and repeated runs
/// against one server never collide.
struct BenchPods: Sendable {
    static let label = "skiff-apibench"

    let run: String
    let namespace: String

    init(namespace: String) {
        let digits = Array("0123456789abcdef")
        run = String((0..<8).map { _ in digits[Int.random(in: 0..<digits.count)] })
        self.namespace = namespace
    }

    var collectionPath: String { "/api/v1/namespaces/\(namespace)/pods" }
    var selector: String { "\(Self.label)=\(run)" }

    func name(_ index: Int) -> String { "apibench-\(run)-\(index)" }

    /// The index a pod name of this run carries; nil for any other name.
    func index(ofName name: String) -> Int? {
        let prefix = "apibench-\(run)-"
        guard name.hasPrefix(prefix) else { return nil }
        return Int(name.dropFirst(prefix.count))
    }

    /// A small, valid Pod as `kubectl run` would send it: one busybox container, no
    /// nodeName (nothing schedules it in a `--disable-agent` server, so it stays Pending
    /// and costs exactly one write).
    func body(_ index: Int) -> [UInt8] {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name(index)), "labels": [Self.label: .string(run)]],
            "spec": [
                "containers": [["name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"]]],
                "restartPolicy": "Never",
            ],
        ]
        return pod.serializedBytes()
    }

    /// A pod that serves HTTP on `port` (the walkthrough's notepad by default),
    /// created bound to no node so the scheduler's part is measured too.
    /// Nothing makes it wait: no probes, the image already on the node, and a
    /// grace period of 0 so removing a run's pods does not slow the next one.
    func servingBody(_ index: Int, image: String, port: Int) -> [UInt8] {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name(index)), "labels": [Self.label: .string(run)]],
            "spec": [
                "containers": [[
                    "name": "web", "image": .string(image), "imagePullPolicy": "IfNotPresent",
                    "ports": [["containerPort": .integer(Int64(port))]],
                ]],
                "terminationGracePeriodSeconds": 0,
            ],
        ]
        return pod.serializedBytes()
    }

    /// The resourceVersion of a list of this run's pods: a watch from it misses
    /// none of the run's events however late its connection opens.
    func listRevision(_ client: APIClient) async throws -> String {
        let response = try await client.send("GET", collectionPath, query: [("labelSelector", selector), ("limit", "1")])
        if let problem = problem(response, expected: 200) { throw ScenarioError("listing pods: \(problem)") }
        guard let revision = try JSONValue(jsonBytes: response.body)["metadata"]["resourceVersion"].stringValue else {
            throw ScenarioError("the pod list has no metadata.resourceVersion")
        }
        return revision
    }
}
