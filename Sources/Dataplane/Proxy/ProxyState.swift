/// The desired Services and the rules compiled from them, indexed so one
/// Service's change is compiled, diffed and stored on its own. Changes are
/// planned first (nothing mutated, so a refused or failed change leaves the
/// state as it was) and then committed in place: copying the whole table
/// for every change would make each one cost O(Services).
struct ProxyState {
    var services: [ServiceID: ServiceSpec] = [:]
    var rulesByService: [ServiceID: [ForwardingRule]] = [:]
    var table = ForwardingTable()

    /// A planned change to one Service.
    struct Change {
        var id: ServiceID
        var service: ServiceSpec?
        var rules: [ForwardingRule]
        var diff: ForwardingDiff
    }

    /// Plans putting `service` in (or replacing it). Throws when the Service
    /// is invalid or takes a frontend another Service holds.
    func planUpsert(_ service: ServiceSpec, compiler: ForwardingCompiler) throws(DataplaneError) -> Change {
        let rules = try compiler.compile(service)
        for rule in rules { try ForwardingCompiler.checkFree(rule, in: table) }
        return Change(id: service.id, service: service, rules: rules, diff: ForwardingDiff(from: rulesByService[service.id] ?? [], to: rules))
    }

    func planRemoval(_ id: ServiceID) -> Change {
        Change(id: id, service: nil, rules: [], diff: ForwardingDiff(from: rulesByService[id] ?? [], to: []))
    }

    /// The table as it will be after `change` (what a backend that rewrites
    /// whole chains needs). Copies the table: only for such backends.
    func table(after change: Change) -> ForwardingTable {
        var next = table
        next.apply(change.diff)
        return next
    }

    mutating func commit(_ change: Change) {
        services[change.id] = change.service
        rulesByService[change.id] = change.service == nil ? nil : change.rules
        table.apply(change.diff)
    }

    /// A whole desired state, compiled and checked at once.
    static func compiled(_ services: [ServiceSpec], compiler: ForwardingCompiler) throws(DataplaneError) -> ProxyState {
        let table = try compiler.compile(services)
        var state = ProxyState()
        state.table = table
        for service in services { state.services[service.id] = service }
        for rule in table.rules.values { state.rulesByService[rule.service, default: []].append(rule) }
        return state
    }
}

extension ForwardingTable {
    /// Applies a diff in place.
    package mutating func apply(_ diff: ForwardingDiff) {
        for rule in diff.removed { rules[rule.frontend] = nil }
        for (_, rule) in diff.changed { rules[rule.frontend] = rule }
        for rule in diff.added { rules[rule.frontend] = rule }
    }
}
