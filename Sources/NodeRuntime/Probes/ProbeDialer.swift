/// Runs the kubelet's TCP and HTTP probes against pods from the node's network
/// namespace (the daemon itself may live in another; pod IPs are routed only
/// from the node's), with the kubelet's semantics and messages.
///
/// Each attempt runs on a `Blocking` thread: the socket is created inside the
/// namespace and every wait is a poll bounded by the probe's timeout, so the
/// cooperative pool is never blocked and a dead pod costs at most `timeout`.
/// HTTPS is not supported: there is no TLS library in NodeRuntime, so an HTTPS
/// probe fails with a message saying so.
package struct ProbeDialer: Sendable {
    /// What the kubelet sends as `User-Agent` (`kube-probe/<major>.<minor>`).
    package var userAgent: String
    /// The kubelet reads at most this much of a response body.
    package static let maxBodyBytes = 10 * 1024

    package init(userAgent: String = "kube-probe/1.32") {
        self.userAgent = userAgent
    }

    /// `tcpSocket`: success when a connection opens within `timeout` (then it is closed).
    /// - Parameter netnsPath: the namespace to dial from (`/run/netns/skiff-node`); nil for the daemon's own.
    package func tcpCheck(netnsPath: String?, host: String, port: Int, timeout: Duration) async -> ProbeOutcome {
        guard (1...65535).contains(port) else { return .failure("invalid port number: \(port)") }
        return await attempt {
            let deadline = ProbeDeadline(after: timeout)
            do {
                _ = try ProbeConnection.open(namespace: try namespace(netnsPath), host: host, port: port, deadline: deadline)
                return .success
            } catch ProbeIOError.timedOut(let operation) {
                return .failure("\(operation): i/o timeout")
            } catch ProbeIOError.failed(let message) {
                return .failure(message)
            }
        }
    }

    /// `httpGet`: success when the response status is 200...399 within `timeout`
    /// (3xx as a warning: redirects are not followed).
    package func httpGet(
        netnsPath: String?, host: String, port: Int, path: String, scheme: ProbeScheme = .http,
        headers: [ProbeHeader] = [], timeout: Duration
    ) async -> ProbeOutcome {
        guard (1...65535).contains(port) else { return .failure("invalid port number: \(port)") }
        guard scheme == .http else { return .failure("HTTPS probes are not supported by this node (no TLS client)") }
        let userAgent = userAgent
        return await attempt {
            let deadline = ProbeDeadline(after: timeout)
            let request = try HTTPProbeRequest(
                hostPort: ProbeAddress.join(host, port), path: path, headers: headers, userAgent: userAgent)
            let get = "Get \(goQuoted(request.url))"
            let connection: ProbeConnection
            do {
                connection = try ProbeConnection.open(namespace: try namespace(netnsPath), host: host, port: port, deadline: deadline)
            } catch ProbeIOError.timedOut(let operation) {
                return .failure("\(get): \(operation): i/o timeout (Client.Timeout exceeded while awaiting headers)")
            } catch ProbeIOError.failed(let message) {
                return .failure("\(get): \(message)")
            } catch let error as ProbeFailureText {
                return .failure("\(get): \(error.message)")
            }
            var reader = HTTPProbeResponseReader(connection: connection, deadline: deadline)
            let head: HTTPProbeResponseHead
            do {
                try connection.send(request.bytes, deadline: deadline)
                head = try reader.readHead()
            } catch ProbeIOError.timedOut {
                return .failure("\(get): context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
            } catch ProbeIOError.failed(let message) {
                return .failure("\(get): \(message)")
            } catch let error as HTTPProbeResponseError {
                return .failure("\(get): \(error.text)")
            }
            let body: [UInt8]
            do {
                body = try reader.readBody(head, limit: Self.maxBodyBytes)
            } catch ProbeIOError.timedOut {
                return .failure("\(get): context deadline exceeded (Client.Timeout exceeded while reading body)")
            } catch ProbeIOError.failed(let message) {
                return .failure(message)
            } catch let error as HTTPProbeResponseError {
                return .failure(error.text)
            }
            return Self.outcome(statusCode: head.statusCode, body: body)
        }
    }

    /// The kubelet's verdict on a status: 2xx success, 3xx a warning carrying the
    /// body, anything else a failure naming only the code (never the body).
    static func outcome(statusCode: Int, body: [UInt8]) -> ProbeOutcome {
        switch statusCode {
        case 200..<300: return .success
        case 300..<400:
            return .warning("Probe terminated redirects, Response body: \(String(decoding: body, as: UTF8.self))")
        default: return .failure("HTTP probe failed with statuscode: \(statusCode)")
        }
    }

    /// Runs one attempt off the cooperative pool; anything unexpected becomes a failure.
    private func attempt(_ body: @escaping @Sendable () throws -> ProbeOutcome) async -> ProbeOutcome {
        do {
            return try await Blocking.run(body)
        } catch let error as ProbeFailureText {
            return .failure(error.message)
        } catch {
            return .failure(String(describing: error))
        }
    }
}

/// The namespace to dial from, opened per attempt so a recreated namespace is
/// picked up (the open descriptor keeps it alive only for the attempt).
private func namespace(_ path: String?) throws -> NetworkNamespace? {
    guard let path else { return nil }
    do {
        return try NetworkNamespace(path: path)
    } catch let error as SystemError {
        throw ProbeFailureText("probe from netns \(path): \(error)")
    }
}
