/// The command line of `skiff-apibench`: which scenario to run against which server,
/// and its knobs. Hand-parsed (no ArgumentParser) so the target needs nothing but
/// `SkiffClient` and `SkiffAPI`.
struct Options {
    enum Scenario: String {
        /// Closed loop: `count` pod POSTs by `concurrency` tasks.
        case creates
        /// `watchers` watches, then `count` creates at `rate` per second; delivery latency.
        case watch
        /// Closed loop: `GET /version`, the HTTPS + authentication floor of every request.
        case version
        /// `count` serving pods, `concurrency` at a time, each timed from its POST to
        /// `Running` seen on a watch and to its first HTTP 200, with the steps between
        /// taken from skiffd's start trace (`--trace`).
        case podStart = "pod-start"
    }

    var scenario: Scenario = .creates
    var kubeconfig = ""
    var count = 2000
    var concurrency = 8
    /// HTTP connection pools. AsyncHTTPClient keeps at most 8 HTTP/1.1 connections per
    /// host per client and the server speaks HTTP/1.1 only, so more than 8 requests in
    /// flight need more clients; nil means `ceil(concurrency / 8)`.
    var clients: Int?
    /// Requests made (and thrown away) first, so TLS handshakes and first-use costs stay
    /// out of the numbers; nil means 100 (3 for `pod-start`, whose pods are slower).
    var warmupGiven: Int?
    var warmup: Int { warmupGiven ?? (scenario == .podStart ? 3 : 100) }
    var watchers = 10
    var rate = 200.0
    /// Tasks sending the paced creates of `watch`; several, so that one slow create
    /// does not delay the next scheduled one. nil means enough for 20 ms of creates at
    /// `rate` (at least 4): fewer, and the client itself falls behind schedule.
    var writers: Int?
    /// Seconds `watch` waits, after the last create, for events still in flight.
    var drainSeconds = 10.0
    var namespace = "default"
    /// Print one JSON object instead of text (for scripts/bench-apiserver).
    var json = false
    /// `pod-start`: the image and port of the pods (an HTTP server), the network
    /// namespace their IPs are reachable from (the node's; none: this process's),
    /// skiffd's SKIFF_START_TRACE file, and how long one pod may take.
    var image = "docker.io/mengsixing/notepad:latest"
    var port = 8083
    var netns: String?
    var trace: String?
    var podTimeoutSeconds = 60.0

    static let usage = """
        usage: skiff-apibench --kubeconfig FILE creates [--count N] [--concurrency C] [--clients K] [--warmup W]
               skiff-apibench --kubeconfig FILE watch [--watchers W] [--count N] [--rate R] [--writers T] [--drain SECONDS]
               skiff-apibench --kubeconfig FILE version [--count N] [--concurrency C]
               skiff-apibench --kubeconfig FILE pod-start [--count N] [--concurrency C] [--warmup W] [--image REF]
                              [--port P] [--netns PATH] [--trace FILE] [--pod-timeout SECONDS]
        common: [--namespace NS] [--json]
        """

    var clientCount: Int { clients ?? max(1, (concurrency + 7) / 8) }
    var writerCount: Int { writers ?? max(4, Int((rate * 0.02).rounded(.up))) }

    init(_ arguments: [String]) throws(UsageError) {
        var scenario: Scenario?
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            if let named = Scenario(rawValue: argument) {
                guard scenario == nil else { throw UsageError("only one scenario per run, got \(argument) too") }
                scenario = named
                continue
            }
            switch argument {
            case "--json": json = true
            case "-h", "--help": throw UsageError("")
            default:
                guard argument.hasPrefix("--"), let value = rest.popFirst() else {
                    throw UsageError("unknown argument \(argument)")
                }
                try set(argument, value)
            }
        }
        guard let scenario else { throw UsageError("name a scenario: creates, watch, version or pod-start") }
        self.scenario = scenario
        guard !kubeconfig.isEmpty else { throw UsageError("--kubeconfig is required") }
        guard count > 0, concurrency > 0, watchers > 0, rate > 0, warmup >= 0, podTimeoutSeconds > 0, (1...65535).contains(port), (writers ?? 1) > 0, (clients ?? 1) > 0 else {
            throw UsageError("counts, rates and concurrency must be positive")
        }
    }

    private mutating func set(_ flag: String, _ value: String) throws(UsageError) {
        func integer() throws(UsageError) -> Int {
            guard let number = Int(value) else { throw UsageError("\(flag) wants an integer, got \(value)") }
            return number
        }
        func decimal() throws(UsageError) -> Double {
            guard let number = Double(value) else { throw UsageError("\(flag) wants a number, got \(value)") }
            return number
        }
        switch flag {
        case "--kubeconfig": kubeconfig = value
        case "--namespace": namespace = value
        case "--count": count = try integer()
        case "--concurrency": concurrency = try integer()
        case "--clients": clients = try integer()
        case "--warmup": warmupGiven = try integer()
        case "--watchers": watchers = try integer()
        case "--rate": rate = try decimal()
        case "--writers": writers = try integer()
        case "--drain": drainSeconds = try decimal()
        case "--image": image = value
        case "--port": port = try integer()
        case "--netns": netns = value
        case "--trace": trace = value
        case "--pod-timeout": podTimeoutSeconds = try decimal()
        default: throw UsageError("unknown option \(flag)")
        }
    }
}

/// A bad command line; the message is printed above the usage text.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
