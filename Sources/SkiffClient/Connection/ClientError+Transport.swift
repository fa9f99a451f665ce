import AsyncHTTPClient
import NIOCore
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension ClientError {
    /// A network or TLS failure talking to `server` (`HOST:PORT`), worded as kubectl
    /// words it where it has a wording.
    init(transport error: any Error, server: String) {
        if let error = error as? ClientError {
            self = error
            return
        }
        if error is CancellationError || (error as? HTTPClientError) == .cancelled {
            self.init(.cancelled, "the request to the server \(server) was cancelled")
            return
        }
        if let code = Self.errnoCode(in: error) {
            switch code {
            case ECONNREFUSED:
                self.init(
                    .connectionRefused,
                    "The connection to the server \(server) was refused - did you specify the right host or port?")
            case ETIMEDOUT:
                self.init(.timeout, "Unable to connect to the server: dial tcp \(server): i/o timeout")
            default:
                let text = String(cString: strerror(code)).lowercased()
                self.init(.transport, "Unable to connect to the server: dial tcp \(server): connect: \(text)")
            }
            return
        }
        if let tls = Self.tlsProblem(in: error, server: server) {
            self.init(.tls, "Unable to connect to the server: \(tls)")
            return
        }
        if let http = error as? HTTPClientError {
            switch http {
            case .connectTimeout:
                self.init(.timeout, "Unable to connect to the server: dial tcp \(server): i/o timeout")
            case .tlsHandshakeTimeout:
                self.init(.timeout, "Unable to connect to the server: net/http: TLS handshake timeout")
            case .remoteConnectionClosed:
                self.init(.transport, "Unable to connect to the server: the server \(server) closed the connection")
            default:
                self.init(.transport, "Unable to connect to the server: \(http)")
            }
            return
        }
        self.init(.transport, "Unable to connect to the server: \(error)")
    }

    /// The errno of a failed connect, wherever NIO nested it (`NIOConnectionError` holds
    /// one `IOError` per address tried). Found by walking the error's stored values, as
    /// those wrapper types live in modules SkiffClient does not import.
    private static func errnoCode(in error: any Error, depth: Int = 0) -> Int32? {
        if let io = error as? IOError { return io.errnoCode }
        guard depth < 4 else { return nil }
        for child in Mirror(reflecting: error).children {
            if let nested = child.value as? any Error, let code = errnoCode(in: nested, depth: depth + 1) {
                return code
            }
            for element in Mirror(reflecting: child.value).children {
                if let nested = element.value as? any Error, let code = errnoCode(in: nested, depth: depth + 1) {
                    return code
                }
                for member in Mirror(reflecting: element.value).children {
                    if let nested = member.value as? any Error, let code = errnoCode(in: nested, depth: depth + 1) {
                        return code
                    }
                }
            }
        }
        return nil
    }

    /// What went wrong in the TLS handshake, in kubectl's words where they fit.
    private static func tlsProblem(in error: any Error, server: String) -> String? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            let host = server.split(separator: ":").dropLast().joined(separator: ":")
            return "tls: failed to verify certificate: x509: certificate is not valid for \(host)"
        }
        guard let ssl = error as? NIOSSLError else { return nil }
        switch ssl {
        case .handshakeFailed(let boring):
            let detail = "\(boring)"
            if detail.contains("CERTIFICATE_VERIFY_FAILED") {
                return "tls: failed to verify certificate: x509: certificate signed by unknown authority "
                    + "(the server's certificate does not chain to the kubeconfig's certificate-authority, or has expired)"
            }
            return "tls: handshake with \(server) failed: \(detail)"
        case .uncleanShutdown:
            return "tls: the server \(server) closed the connection during the handshake"
        default:
            return "tls: \(ssl)"
        }
    }
}
