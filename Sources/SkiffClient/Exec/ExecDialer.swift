/// Opens the websocket of a `pods/exec` request. `APIClient` does it over its
/// kubeconfig's TLS and token; tests can script one.
public protocol ExecDialer: Sendable {
    /// Connects to `path?query` offering `ExecFrame.subprotocol` and runs `body` on the
    /// open connection; returns when `body` has returned and the connection is closed.
    /// - Throws: `ExecDialError.upgradeRefused` when the server answers the upgrade
    ///   with anything but 101 (it then says why to a plain request).
    func openExec(
        path: String, query: [(String, String)], _ body: @escaping @Sendable (any ExecChannel) async throws -> Void
    ) async throws
}

/// An open exec websocket: whole binary messages in, and out.
public protocol ExecChannel: Sendable {
    /// The next message from the server; nil once it has closed the connection.
    /// Call from one task only.
    func receive() async throws -> [UInt8]?
    func send(_ message: [UInt8]) async throws
}

public enum ExecDialError: Error, Equatable, Sendable {
    case upgradeRefused
}
