/// The result of one probe attempt, with the kubelet's wording so the pod's
/// `Unhealthy` events read as on any Kubernetes node.
package enum ProbeOutcome: Sendable, Equatable {
    case success
    /// The kubelet's `Warning` result: counted as success, with a note for the
    /// event (an HTTP redirect the probe did not follow).
    case warning(String)
    /// E.g. `dial tcp 10.42.0.5:8080: connect: connection refused` or
    /// `HTTP probe failed with statuscode: 500`.
    case failure(String)

    /// Whether the probe passed (success or warning, as the kubelet counts them).
    package var isSuccess: Bool {
        if case .failure = self { return false }
        return true
    }
}
