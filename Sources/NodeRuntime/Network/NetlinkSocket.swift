import CShims

/// Sole owner of one shim handle (`skiff_nl`: socket, batch and receive
/// buffers). Non-copyable so the handle is closed exactly once.
struct NetlinkSocket: ~Copyable {
    let raw: OpaquePointer

    /// Opens the socket inside the namespace of `netnsFD`, or in the calling
    /// thread's namespace when it is nil.
    init(netnsFD: Int32?, context: String) throws {
        var error = skiff_nl_error()
        guard let raw = skiff_nl_open(netnsFD ?? -1, &error) else {
            throw SystemError(netlink: error, steps: [], context: context)
        }
        self.raw = raw
    }

    deinit {
        skiff_nl_close(raw)
    }
}
