/// The OCI runtime-spec `linux.seccomp` object (the subset Skiff enforces),
/// decodable from a bundle's config.json or a Kubernetes Localhost profile.
package struct OCISeccomp: Codable, Hashable, Sendable {
    package var defaultAction: String
    package var defaultErrnoRet: UInt32?
    package var architectures: [String]?
    package var flags: [String]?
    package var listenerPath: String?
    package var syscalls: [Syscall]?

    package struct Syscall: Codable, Hashable, Sendable {
        package var names: [String]
        package var action: String
        package var errnoRet: UInt32?
        package var args: [Arg]?
    }

    package struct Arg: Codable, Hashable, Sendable {
        package var index: UInt32
        package var value: UInt64
        package var valueTwo: UInt64?
        package var op: String
    }
}

extension SeccompFilterSpec {
    /// Converts an OCI seccomp object, with runc's semantics where the spec is
    /// silent: ERRNO and TRACE default to EPERM; args on distinct indexes must
    /// all match, while args repeating an index are alternatives (one rule
    /// each), since one rule cannot compare an argument twice.
    package init(oci: OCISeccomp) throws(RuntimeError) {
        let defaultAction = try Self.action(oci.defaultAction, errnoRet: oci.defaultErrnoRet, field: "defaultAction")
        if oci.listenerPath.map({ !$0.isEmpty }) ?? false {
            throw RuntimeError("seccomp listenerPath \"\(oci.listenerPath ?? "")\": notify is not supported")
        }
        // The child installs the filter single-threaded with prctl, which
        // takes no flags; TSYNC is moot there, the others cannot be honoured.
        for flag in oci.flags ?? [] where flag != "SECCOMP_FILTER_FLAG_TSYNC" {
            throw RuntimeError("seccomp flags: \(flag) is not supported")
        }
        let architectures = try (oci.architectures ?? []).map { (arch) throws(RuntimeError) -> String in
            try Self.architecture(arch)
        }
        var rules: [SeccompRule] = []
        for (position, syscall) in (oci.syscalls ?? []).enumerated() {
            let field = "syscalls[\(position)]"
            let action = try Self.action(syscall.action, errnoRet: syscall.errnoRet, field: "\(field).action")
            let args = try (syscall.args ?? []).map { (arg) throws(RuntimeError) -> SeccompArgument in
                guard let op = Self.operators[arg.op] else {
                    throw RuntimeError("seccomp \(field).args op \"\(arg.op)\": unknown operator")
                }
                return SeccompArgument(index: arg.index, op: op, value: arg.value, valueTwo: arg.valueTwo ?? 0)
            }
            if Set(args.map(\.index)).count == args.count {
                rules.append(SeccompRule(names: syscall.names, action: action, arguments: args))
            } else {
                rules += args.map { SeccompRule(names: syscall.names, action: action, arguments: [$0]) }
            }
        }
        self.init(defaultAction: defaultAction, architectures: architectures, rules: rules)
    }

    private static let operators: [String: SeccompOperator] = [
        "SCMP_CMP_NE": .notEqual, "SCMP_CMP_LT": .lessThan, "SCMP_CMP_LE": .lessOrEqual,
        "SCMP_CMP_EQ": .equal, "SCMP_CMP_GE": .greaterOrEqual, "SCMP_CMP_GT": .greaterThan,
        "SCMP_CMP_MASKED_EQ": .maskedEqual,
    ]

    private static func action(_ name: String, errnoRet: UInt32?, field: String) throws(RuntimeError) -> SeccompAction {
        let code = errnoRet ?? 1  // EPERM
        guard code <= UInt32(UInt16.max) else {
            throw RuntimeError("seccomp \(field) errnoRet \(code): out of range")
        }
        switch name {
        case "SCMP_ACT_ALLOW": return .allow
        case "SCMP_ACT_ERRNO": return .errno(UInt16(code))
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": return .killThread
        case "SCMP_ACT_KILL_PROCESS": return .killProcess
        case "SCMP_ACT_TRAP": return .trap
        case "SCMP_ACT_TRACE": return .trace(UInt16(code))
        case "SCMP_ACT_LOG": return .log
        default: throw RuntimeError("seccomp \(field) \"\(name)\": unsupported action")
        }
    }

    /// "SCMP_ARCH_X86_64" -> "x86_64", libseccomp's spelling.
    private static func architecture(_ name: String) throws(RuntimeError) -> String {
        let prefix = "SCMP_ARCH_"
        guard name.hasPrefix(prefix), name.count > prefix.count else {
            throw RuntimeError("seccomp architectures \"\(name)\": not an SCMP_ARCH_ name")
        }
        return String(name.dropFirst(prefix.count)).lowercased()
    }
}
