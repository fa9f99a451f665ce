import SkiffAPI

/// A probe or lifecycle hook as the agent runs it: what to check and when
/// (kubelet's defaults: period 10 s, timeout 1 s, thresholds 1 and 3).
package struct ProbeSpec: Sendable, Equatable {
    package enum Action: Sendable, Equatable {
        case exec([String])
        case httpGet(host: String?, port: Int, path: String, scheme: String, headers: [(String, String)])
        case tcpSocket(host: String?, port: Int)
        /// A handler the agent cannot run (grpc, or a named port that does not exist); fails with the message.
        case unsupported(String)
        /// The `sleep` lifecycle handler: the agent waits, nothing runs in the container.
        case sleep(Duration)

        package static func == (lhs: Action, rhs: Action) -> Bool {
            switch (lhs, rhs) {
            case let (.exec(a), .exec(b)): a == b
            case let (.httpGet(h1, p1, path1, s1, hd1), .httpGet(h2, p2, path2, s2, hd2)):
                h1 == h2 && p1 == p2 && path1 == path2 && s1 == s2 && hd1.elementsEqual(hd2, by: ==)
            case let (.tcpSocket(h1, p1), .tcpSocket(h2, p2)): h1 == h2 && p1 == p2
            case let (.unsupported(a), .unsupported(b)): a == b
            case let (.sleep(a), .sleep(b)): a == b
            default: false
            }
        }
    }

    package var action: Action
    package var initialDelay: Duration
    package var period: Duration
    package var timeout: Duration
    package var successThreshold: Int
    package var failureThreshold: Int

    /// A probe of `container` (named ports resolve against its ports).
    package init(probe: JSONValue, container: JSONValue) {
        action = Self.action(probe, container: container)
        initialDelay = .seconds(max(0, probe["initialDelaySeconds"].int64Value ?? 0))
        period = .seconds(max(1, probe["periodSeconds"].int64Value ?? 10))
        timeout = .seconds(max(1, probe["timeoutSeconds"].int64Value ?? 1))
        successThreshold = Int(max(1, probe["successThreshold"].int64Value ?? 1))
        failureThreshold = Int(max(1, probe["failureThreshold"].int64Value ?? 3))
    }

    /// A lifecycle hook (preStop, postStart): one attempt within `timeout`.
    package init(hook: JSONValue, container: JSONValue = .null, timeout: Duration) {
        action = Self.action(hook, container: container)
        initialDelay = .zero
        period = timeout
        self.timeout = timeout
        successThreshold = 1
        failureThreshold = 1
    }

    private static func action(_ handler: JSONValue, container: JSONValue) -> Action {
        if let command = handler["exec"]["command"].arrayValue {
            return .exec(command.compactMap(\.stringValue))
        }
        if !handler["httpGet"].isNull {
            let http = handler["httpGet"]
            guard let port = port(http["port"], container: container) else {
                return .unsupported("port \(http["port"].serializedString()) is not a port of the container")
            }
            let headers = (http["httpHeaders"].arrayValue ?? []).map {
                ($0["name"].stringValue ?? "", $0["value"].stringValue ?? "")
            }
            return .httpGet(
                host: http["host"].stringValue, port: port, path: http["path"].stringValue ?? "/",
                scheme: http["scheme"].stringValue ?? "HTTP", headers: headers)
        }
        if !handler["tcpSocket"].isNull {
            guard let port = port(handler["tcpSocket"]["port"], container: container) else {
                return .unsupported("port \(handler["tcpSocket"]["port"].serializedString()) is not a port of the container")
            }
            return .tcpSocket(host: handler["tcpSocket"]["host"].stringValue, port: port)
        }
        if !handler["grpc"].isNull { return .unsupported("grpc probes are not supported by this node") }
        if !handler["sleep"].isNull {
            return .sleep(.seconds(max(0, handler["sleep"]["seconds"].int64Value ?? 0)))
        }
        return .unsupported("the probe names no handler")
    }

    /// An IntOrString port: a number, or the name of one of the container's ports.
    private static func port(_ value: JSONValue, container: JSONValue) -> Int? {
        if let number = value.int64Value { return Int(number) }
        guard let name = value.stringValue else { return nil }
        if let number = Int(name) { return number }
        for port in container["ports"].arrayValue ?? [] where port["name"].stringValue == name {
            return port["containerPort"].int64Value.map(Int.init)
        }
        return nil
    }
}
