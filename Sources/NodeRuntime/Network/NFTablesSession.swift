import CShims

/// A libnftables context kept open for one namespace: for a daemon that
/// changes its table's structure now and then, creating a context per
/// transaction costs ~20 ms of waiting in close() (nf_tables' deferred
/// cleanup), keeping one costs nothing. Used from one thread at a time.
package final class NFTablesSession {
    private let session: OpaquePointer

    /// - Parameter netnsPath: the namespace to program (nil: the caller's).
    package init(netnsPath: String?) throws {
        var buffer = [CChar](repeating: 0, count: 1024)
        let session = buffer.withUnsafeMutableBufferPointer { err in
            skiff_nft_session_open(netnsPath, err.baseAddress, err.count)
        }
        guard let session else { throw RuntimeError("nftables: \(NFTables.message(buffer))") }
        self.session = session
    }

    deinit {
        skiff_nft_session_close(session)
    }

    /// Applies `script` as one transaction; on failure nothing of it is applied.
    package func run(_ script: String) throws {
        var buffer = [CChar](repeating: 0, count: 4096)
        let rc = buffer.withUnsafeMutableBufferPointer { err in
            skiff_nft_session_run(session, script, err.baseAddress, err.count)
        }
        if rc != 0 { throw RuntimeError("nftables: \(NFTables.message(buffer))") }
    }
}
