/// One probe or hook attempt: passed, or failed with kubelet's message.
package enum ProbeResult: Sendable, Equatable {
    case success
    case failure(String)
}
