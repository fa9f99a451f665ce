/// The command line of `skiff-dpbench`: one backend at one number of
/// Services per process, so each run starts from fresh namespaces and a
/// fresh kernel table. Hand-parsed (the target has no ArgumentParser).
struct Options {
    enum Backend: String, CaseIterable {
        case nftables
        case iptables
    }

    var backend: Backend = .nftables
    var services = 0
    /// Measured connections per target Service (after `warmup` more).
    var connects = 3000
    var warmup = 200
    /// Measured endpoint changes of each kind.
    var changes = 20
    /// Seconds per iperf3 run; 0 skips the throughput step.
    var iperfSeconds = 3
    /// One JSON object on one line instead of text (for scripts/bench-dataplane).
    var json = false
    /// The iptables backend's restore program: `iptables-restore` is what
    /// the distribution chose (nf_tables on Debian 12); `iptables-legacy-restore`
    /// measures the legacy kernel tables instead.
    var iptablesRestore = "/usr/sbin/iptables-restore"

    static let usage = """
        usage: skiff-dpbench --backend nftables|iptables --services N
                             [--connects 3000] [--warmup 200] [--changes 20] [--iperf-seconds 3]
                             [--iptables-restore /usr/sbin/iptables-restore] [--json]
        Needs root: builds network namespaces (skiff-dpb-*) and removes them at the end.
        """

    /// The largest N whose cluster IPs fit the 10.43.1.1–10.43.254.250 plan.
    static let maxServices = 254 * 250

    init(_ arguments: [String]) throws(UsageError) {
        var backend: Backend?
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--json": json = true
            case "-h", "--help": throw UsageError("")
            default:
                guard argument.hasPrefix("--"), let value = rest.popFirst() else {
                    throw UsageError("unknown argument \(argument)")
                }
                switch argument {
                case "--backend":
                    guard let named = Backend(rawValue: value) else {
                        throw UsageError("--backend is nftables or iptables, got \(value)")
                    }
                    backend = named
                case "--iptables-restore":
                    guard value.hasPrefix("/") else { throw UsageError("--iptables-restore wants an absolute path") }
                    iptablesRestore = value
                default:
                    try set(argument, value)
                }
            }
        }
        guard let backend else { throw UsageError("--backend is required") }
        self.backend = backend
        guard (1...Self.maxServices).contains(services) else {
            throw UsageError("--services must be 1...\(Self.maxServices)")
        }
        guard connects > 0, warmup >= 0, changes > 0, iperfSeconds >= 0 else {
            throw UsageError("--connects and --changes must be positive, --warmup and --iperf-seconds not negative")
        }
    }

    private mutating func set(_ flag: String, _ value: String) throws(UsageError) {
        guard let number = Int(value) else { throw UsageError("\(flag) wants an integer, got \(value)") }
        switch flag {
        case "--services": services = number
        case "--connects": connects = number
        case "--warmup": warmup = number
        case "--changes": changes = number
        case "--iperf-seconds": iperfSeconds = number
        default: throw UsageError("unknown option \(flag)")
        }
    }
}

/// A bad command line; an empty message asks for the usage alone.
struct UsageError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
