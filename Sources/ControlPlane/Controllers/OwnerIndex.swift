import SkiffAPI
import Synchronization

/// Which objects name which owner uid, kept up to date from the store's
/// events, so a delete finds its dependents with one lookup instead of listing
/// every resource of the namespace (which made every pod delete parse every
/// object around it).
final class OwnerIndex: Sendable {
    struct Dependent: Hashable, Sendable {
        let resource: ResourceKind
        let namespace: String?
        let name: String
    }

    private struct State {
        var byOwner: [String: Set<Dependent>] = [:]
        var owners: [Dependent: [String]] = [:]
    }

    private let state = Mutex(State())

    func reset() {
        state.withLock { $0 = State() }
    }

    /// Records `object`'s current owners, replacing what was known of it.
    func record(_ object: JSONValue, resource: ResourceKind) {
        guard let dependent = Self.dependent(object, resource) else { return }
        let uids = object.metadata.ownerReferences.map(\.uid)
        state.withLock { state in
            Self.remove(dependent, from: &state)
            guard !uids.isEmpty else { return }
            state.owners[dependent] = uids
            for uid in uids { state.byOwner[uid, default: []].insert(dependent) }
        }
    }

    func forget(_ object: JSONValue, resource: ResourceKind) {
        guard let dependent = Self.dependent(object, resource) else { return }
        state.withLock { Self.remove(dependent, from: &$0) }
    }

    func dependents(of uid: String) -> [Dependent] {
        state.withLock { Array($0.byOwner[uid] ?? []) }
    }

    private static func dependent(_ object: JSONValue, _ resource: ResourceKind) -> Dependent? {
        guard let name = object.metadata.name else { return nil }
        return Dependent(resource: resource, namespace: object.metadata.namespace, name: name)
    }

    private static func remove(_ dependent: Dependent, from state: inout State) {
        guard let uids = state.owners.removeValue(forKey: dependent) else { return }
        for uid in uids {
            state.byOwner[uid]?.remove(dependent)
            if state.byOwner[uid]?.isEmpty == true { state.byOwner[uid] = nil }
        }
    }
}
