import Foundation
import SkiffAPI
import Synchronization

/// Pods and nodes as last parsed from their stored bytes, by store key. Every
/// controller pass lists all pods and every watcher parses every event it is
/// sent, so one pod change was parsed once per watch and once per pass of the
/// scheduler, the ReplicaSet and the endpoints controllers: JSON parsing was
/// most of the scheduler's pass, which grows with the pods on the cluster and
/// sits in every pod's start (docs/benchmarks/pod-start.md). A hit needs the
/// very bytes parsed before (a compare, far cheaper than a parse), so servers
/// sharing a process, or a key rewritten at any revision, never see another's
/// object. Only pods and nodes, so the memory it holds stays proportional to
/// the pods (events, far more numerous and rarely re-read, are left out).
final class ParsedObjects: Sendable {
    static let shared = ParsedObjects(capacity: 20_000)

    private let capacity: Int
    private let entries = Mutex<[String: (bytes: Data, object: JSONValue)]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    static func cached(_ key: String) -> Bool {
        key.hasPrefix("/registry/core/pods/") || key.hasPrefix("/registry/core/nodes/")
    }

    /// The object `bytes` hold, parsed by `parse` unless they are the bytes
    /// last parsed for `key`.
    func object(key: String, bytes: Data, parse: (Data) throws(APIStatus) -> JSONValue) throws(APIStatus) -> JSONValue {
        guard Self.cached(key) else { return try parse(bytes) }
        if let hit = entries.withLock({ $0[key] }), hit.bytes == bytes { return hit.object }
        let object = try parse(bytes)
        entries.withLock { entries in
            // Deleted keys are never removed one by one; past the capacity the
            // whole table goes, and the next passes parse and fill it again.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (bytes, object)
        }
        return object
    }
}
