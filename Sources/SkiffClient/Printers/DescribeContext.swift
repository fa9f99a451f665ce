import SkiffAPI

/// What `describe` shows besides the object itself, fetched by the command.
public struct DescribeContext: Sendable {
    /// Events about the object (nil: not fetched, no `Events:` section).
    public var events: [JSONValue]?
    /// For a Deployment: the ReplicaSets it controls.
    public var replicaSets: [JSONValue] = []
    /// For a Service: its EndpointSlices.
    public var endpointSlices: [JSONValue] = []
    /// For a Node: the pods scheduled to it that have not terminated.
    public var nodePods: [JSONValue]?
    /// For ReplicaSets and the like: the pods it controls.
    public var controlledPods: [JSONValue] = []
    /// For a Node: its heartbeat Lease in `kube-node-lease`, or why it could not be read.
    public var nodeLease: LeaseLookup?
    /// Seconds since the epoch, for ages.
    public var now: Double

    public init(events: [JSONValue]? = nil, now: Double) {
        self.events = events
        self.now = now
    }
}

/// The outcome of looking up a node's Lease.
public enum LeaseLookup: Sendable {
    case found(JSONValue)
    /// The server's message (`leases.coordination.k8s.io "node1" not found`).
    case failed(String)
}
