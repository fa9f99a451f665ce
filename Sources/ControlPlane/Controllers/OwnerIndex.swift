import SkiffAPI
import Synchronization

/// Which objects name which owner uid, kept up to date from the store's
/// events, so a delete finds its dependents with one lookup instead of listing
/// every resource of the namespace (which made every pod delete parse every
/// object around it).
///
/// It also counts, per owner, the dependents whose reference blocks the
/// owner's deletion: an owner deleted in Foreground with a thousand blocking
/// pods is looked at again once the last of them is gone, not once per pod
/// (which re-read every remaining pod each time).
final class OwnerIndex: Sendable {
    struct Dependent: Hashable, Sendable {
        let resource: ResourceKind
        let namespace: String?
        let name: String
    }

    private struct State {
        var byOwner: [String: Set<Dependent>] = [:]
        var owners: [Dependent: [OwnerReference]] = [:]
        var blocking: [String: Int] = [:]
        var waiting: Set<String> = []
    }

    private let state = Mutex(State())

    func reset() {
        state.withLock { $0 = State() }
    }

    /// Records `object`'s current owners, replacing what was known of it.
    /// Returns the references that blocked their owner's deletion before and
    /// no longer do (removed, or `blockOwnerDeletion` cleared): an owner
    /// waiting in Foreground may be done now.
    @discardableResult
    func record(_ object: JSONValue, resource: ResourceKind) -> [OwnerReference] {
        guard let dependent = Self.dependent(object, resource) else { return [] }
        let references = object.metadata.ownerReferences
        return state.withLock { state in
            let before = Self.remove(dependent, from: &state)
            if !references.isEmpty {
                state.owners[dependent] = references
                for reference in references {
                    state.byOwner[reference.uid, default: []].insert(dependent)
                    if reference.blockOwnerDeletion == true { state.blocking[reference.uid, default: 0] += 1 }
                }
            }
            let stillBlocking = Set(references.filter { $0.blockOwnerDeletion == true }.map(\.uid))
            return before.filter { $0.blockOwnerDeletion == true && !stillBlocking.contains($0.uid) }
        }
    }

    func forget(_ object: JSONValue, resource: ResourceKind) {
        guard let dependent = Self.dependent(object, resource) else { return }
        state.withLock { _ = Self.remove(dependent, from: &$0) }
    }

    func dependents(of uid: String) -> [Dependent] {
        state.withLock { Array($0.byOwner[uid] ?? []) }
    }

    /// Whether some dependent known here still blocks the deletion of `uid`.
    func hasBlockingDependents(of uid: String) -> Bool {
        state.withLock { ($0.blocking[uid] ?? 0) > 0 }
    }

    /// Owners being deleted in Foreground, which this collector is working
    /// on: a dependent that appears (or is adopted) meanwhile goes too.
    /// Rebuilt from the store at start like the rest.
    func markWaiting(_ uid: String) {
        state.withLock { _ = $0.waiting.insert(uid) }
    }

    func stopWaiting(_ uid: String) {
        state.withLock { _ = $0.waiting.remove(uid) }
    }

    /// The first of `references` whose owner waits for its dependents.
    func waitingOwner(among references: [OwnerReference]) -> OwnerReference? {
        guard !references.isEmpty else { return nil }
        return state.withLock { state in references.first { state.waiting.contains($0.uid) } }
    }

    private static func dependent(_ object: JSONValue, _ resource: ResourceKind) -> Dependent? {
        guard let name = object.metadata.name else { return nil }
        return Dependent(resource: resource, namespace: object.metadata.namespace, name: name)
    }

    /// Removes what was known of `dependent`; returns its references as they were.
    private static func remove(_ dependent: Dependent, from state: inout State) -> [OwnerReference] {
        guard let references = state.owners.removeValue(forKey: dependent) else { return [] }
        for reference in references {
            let uid = reference.uid
            state.byOwner[uid]?.remove(dependent)
            if state.byOwner[uid]?.isEmpty == true { state.byOwner[uid] = nil }
            if reference.blockOwnerDeletion == true {
                let left = (state.blocking[uid] ?? 0) - 1
                state.blocking[uid] = left > 0 ? left : nil
            }
        }
        return references
    }
}
