import Dataplane
import SkiffAPI

/// The Services and EndpointSlices the proxy knows, indexed so that one
/// change costs the size of one Service: each update says which Services it
/// touched, and only those are translated again.
struct ProxyInventory {
    /// What an update asks of the dataplane.
    enum Effect: Equatable {
        /// Sync these Services one by one.
        case services(Set<ServiceID>)
        /// A whole kind was (re)listed: replace the whole state.
        case everything
    }

    private(set) var services: [ServiceID: JSONValue] = [:]
    /// Slices by Service, then by slice name.
    private var slices: [ServiceID: [String: JSONValue]] = [:]
    /// The Service each slice was filed under, to move it when its label changes.
    private var sliceOwners: [String: ServiceID] = [:]
    private var listedServices = false
    private var listedSlices = false

    /// True once both kinds have been listed: before that a full sync would
    /// program Services without their endpoints (and reject their traffic).
    var complete: Bool { listedServices && listedSlices }

    mutating func apply(_ update: ResourceUpdate) -> Effect {
        switch update {
        case .listed(.services, let items):
            services = [:]
            for service in items {
                if let id = ServiceTranslator.id(of: service) { services[id] = service }
            }
            listedServices = true
            return .everything
        case .listed(.slices, let items):
            slices = [:]
            sliceOwners = [:]
            for slice in items { _ = file(slice) }
            listedSlices = true
            return .everything
        case .changed(.services, let service):
            guard let id = ServiceTranslator.id(of: service) else { return .services([]) }
            services[id] = service
            return .services([id])
        case .deleted(.services, let service):
            guard let id = ServiceTranslator.id(of: service) else { return .services([]) }
            services[id] = nil
            return .services([id])
        case .changed(.slices, let slice):
            return .services(file(slice))
        case .deleted(.slices, let slice):
            return .services(unfile(slice))
        }
    }

    func slices(of id: ServiceID) -> [JSONValue] {
        guard let byName = slices[id] else { return [] }
        return byName.keys.sorted().compactMap { byName[$0] }
    }

    /// Files `slice` under its Service; returns the Services whose slices changed.
    private mutating func file(_ slice: JSONValue) -> Set<ServiceID> {
        var touched = unfile(slice)
        guard let key = Self.key(slice), let id = ServiceTranslator.serviceID(ofSlice: slice) else { return touched }
        slices[id, default: [:]][key] = slice
        sliceOwners[key] = id
        touched.insert(id)
        return touched
    }

    private mutating func unfile(_ slice: JSONValue) -> Set<ServiceID> {
        guard let key = Self.key(slice), let id = sliceOwners.removeValue(forKey: key) else { return [] }
        slices[id]?[key] = nil
        if slices[id]?.isEmpty == true { slices[id] = nil }
        return [id]
    }

    private static func key(_ slice: JSONValue) -> String? {
        slice.metadata.name.map { "\(slice.metadata.namespace ?? "default")/\($0)" }
    }
}
