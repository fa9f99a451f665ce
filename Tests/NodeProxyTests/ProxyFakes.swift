import Dataplane
import Foundation
import NodeRuntime
import SkiffAPI
import SkiffClient

@testable import NodeProxy

/// An API server in memory: lists answer from `lists`, each watch is a
/// stream the test feeds, and status patches are recorded.
final class FakeAPI: APITransport, @unchecked Sendable {
    private let lock = NSLock()
    private var lists: [String: (items: [JSONValue], version: Int)] = [:]
    private var watches: [String: [AsyncThrowingStream<[UInt8], any Error>.Continuation]] = [:]
    private var watchVersions: [String: [String]] = [:]
    private var listCounts: [String: Int] = [:]
    private var patchList: [(String, JSONValue)] = []

    func setList(_ path: String, _ items: [JSONValue], version: Int) {
        lock.withLock { lists[path] = (items, version) }
    }

    /// The resourceVersion each watch of `path` started from, in order.
    func watchedFrom(_ path: String) -> [String] { lock.withLock { watchVersions[path] ?? [] } }
    func listCount(_ path: String) -> Int { lock.withLock { listCounts[path] ?? 0 } }
    var patches: [(String, JSONValue)] { lock.withLock { patchList } }

    /// Sends one watch event on the newest watch of `path`.
    func send(_ path: String, _ type: String, _ object: JSONValue) {
        let line = Array((["type": .string(type), "object": object] as JSONValue).serializedString().utf8) + [0x0A]
        lock.withLock { _ = watches[path]?.last?.yield(line) }
    }

    /// Ends the newest watch of `path` as a server timeout does.
    func endWatch(_ path: String) {
        lock.withLock { watches[path]?.last?.finish() }
    }

    func send(
        _ method: String, _ path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String
    ) async throws(ClientError) -> APIResponse {
        lock.withLock {
            switch method {
            case "GET":
                listCounts[path, default: 0] += 1
                let list = lists[path] ?? ([], 1)
                let json: JSONValue = ["items": .array(list.items), "metadata": ["resourceVersion": .string("\(list.version)")]]
                return APIResponse(status: 200, headers: [], body: json.serializedBytes())
            case "PATCH":
                patchList.append((path, (try? JSONValue(jsonBytes: body ?? [])) ?? .null))
                return APIResponse(status: 200, headers: [], body: Array("{}".utf8))
            default:
                return APIResponse(status: 405, headers: [], body: [])
            }
        }
    }

    func stream(_ path: String, query: [(String, String)], accept: String) async throws(ClientError) -> (
        status: Int, headers: [(String, String)], body: AsyncThrowingStream<[UInt8], any Error>
    ) {
        let (body, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        lock.withLock {
            watches[path, default: []].append(continuation)
            watchVersions[path, default: []].append(query.first { $0.0 == "resourceVersion" }?.1 ?? "")
        }
        return (200, [], body)
    }
}

/// A dataplane that records what it is asked to program.
final class RecordingDataplane: ServiceProgrammer, @unchecked Sendable {
    enum Call: Equatable {
        case all([ServiceSpec], first: Bool)
        case program(ServiceSpec)
        case unprogram(ServiceID)
    }

    private let lock = NSLock()
    private var recorded: [Call] = []
    let backendName = "recorder"
    let podCIDRs: [IPv4Network]

    init(podCIDRs: [IPv4Network]) {
        self.podCIDRs = podCIDRs
    }

    var calls: [Call] { lock.withLock { recorded } }

    func programAll(_ services: [ServiceSpec], first: Bool) async throws(DataplaneError) -> Double {
        lock.withLock { recorded.append(.all(services, first: first)) }
        return 0
    }

    func program(_ service: ServiceSpec) async throws(DataplaneError) -> Double {
        lock.withLock { recorded.append(.program(service)) }
        return 0
    }

    func unprogram(_ id: ServiceID) async throws(DataplaneError) -> Double {
        lock.withLock { recorded.append(.unprogram(id)) }
        return 0
    }
}

/// Polls until `check` holds (the proxy works on its own tasks). The bound
/// counts polls, not wall time: the whole test process shares two
/// cooperative threads with suites that block them for seconds at a time,
/// and a stall that also stalled the proxy must not use up its budget.
func eventually(_ what: String, _ check: () -> Bool) async throws {
    for _ in 0..<2_000 {
        if check() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    if check() { return }
    throw FakeTimeout(what: what)
}

struct FakeTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
