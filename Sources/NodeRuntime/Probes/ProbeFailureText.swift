/// A probe failure message, already in the kubelet's words.
struct ProbeFailureText: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
