import CShims
import Glibc

/// A seccomp filter compiled to classic BPF, ready for the kernel.
///
/// Compiled in the parent because the cloned child may not allocate or call
/// libseccomp; the child only passes `program` to prctl(PR_SET_SECCOMP).
/// `@unchecked Sendable`: the program is written once in `init` and only read
/// afterwards, and the buffer lives until deinit, so sharing one compiled
/// profile across threads and containers is safe. Keep the profile alive
/// until the child has installed the filter (the pointer dies with it).
package final class SeccompProfile: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<sock_fprog>

    /// Takes ownership of a program produced by skiff_seccomp_compile*.
    private init(taking program: sock_fprog) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: program)
    }

    deinit {
        skiff_seccomp_release(storage)
        storage.deallocate()
    }

    /// The `struct sock_fprog` for PR_SET_SECCOMP, valid while `self` lives.
    package var program: UnsafePointer<sock_fprog> { UnsafePointer(storage) }

    /// Number of BPF instructions (the kernel allows at most 4096).
    package var instructionCount: Int { Int(storage.pointee.len) }

    /// The raw `struct sock_filter` array, e.g. to hand to another process.
    package var bpfBytes: [UInt8] {
        guard let filter = storage.pointee.filter else { return [] }
        let count = instructionCount * MemoryLayout<sock_filter>.stride
        return Array(UnsafeRawBufferPointer(start: filter, count: count))
    }

    /// Compiles `policy` for a container holding `capabilities` (only the
    /// runtime default looks at them). Prefer `SeccompProfileCache`, which
    /// compiles each distinct policy once.
    package static func compile(_ policy: SeccompPolicy, capabilities: CapabilitySet) throws -> SeccompProfile {
        switch policy {
        case .runtimeDefault:
            return try compiled("compile default seccomp profile") { out, errbuf, errlen in
                skiff_seccomp_compile_default(capabilities.rawValue, out, errbuf, errlen)
            }
        case .custom(let spec):
            return try compile(spec)
        }
    }

    private static func compile(_ spec: SeccompFilterSpec) throws -> SeccompProfile {
        try validate(spec)
        let arena = CArena()
        let arches = spec.architectures.map { Optional(arena.string($0)) }
        var rules: [skiff_seccomp_rule] = []
        for rule in spec.rules {
            let args = rule.arguments.map {
                skiff_seccomp_arg(index: $0.index, op: $0.op.rawValue, value: $0.value, value_two: $0.valueTwo)
            }
            let argsPointer = arena.array(args)
            for name in rule.names {
                rules.append(
                    skiff_seccomp_rule(
                        name: arena.string(name), action: rule.action.rawValue,
                        nargs: UInt32(args.count), args: argsPointer))
            }
        }
        let archPointer = arena.array(arches)
        let rulePointer = arena.array(rules)
        return try withExtendedLifetime(arena) {
            try compiled("compile seccomp profile") { out, errbuf, errlen in
                skiff_seccomp_compile(
                    spec.defaultAction.rawValue, archPointer, arches.count,
                    rulePointer, rules.count, out, errbuf, errlen)
            }
        }
    }

    /// Rejects what libseccomp would reject, naming the field, so bad input is
    /// a RuntimeError rather than a bare EINVAL.
    private static func validate(_ spec: SeccompFilterSpec) throws(RuntimeError) {
        for arch in spec.architectures where arch.isEmpty || arch.utf8.contains(0) {
            throw RuntimeError("seccomp architecture \"\(arch)\": invalid name")
        }
        for rule in spec.rules {
            for name in rule.names where name.isEmpty || name.utf8.contains(0) {
                throw RuntimeError("seccomp syscall name \"\(name)\": invalid")
            }
            let label = rule.names.joined(separator: ",")
            guard rule.arguments.count <= 6 else {
                throw RuntimeError("seccomp rule \(label): \(rule.arguments.count) args, at most 6")
            }
            for arg in rule.arguments where arg.index > 5 {
                throw RuntimeError("seccomp rule \(label): args index \(arg.index) out of range 0...5")
            }
        }
    }

    /// Runs one compile entry point and wraps its program, or throws the
    /// failing step and errno it reported.
    private static func compiled(
        _ step: String,
        _ body: (UnsafeMutablePointer<sock_fprog>, UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws(SystemError) -> SeccompProfile {
        var program = sock_fprog()
        var errbuf = [CChar](repeating: 0, count: 256)
        let rc = errbuf.withUnsafeMutableBufferPointer { buf -> Int32 in
            guard let base = buf.baseAddress else { return -ENOMEM }
            return body(&program, base, buf.count)
        }
        guard rc == 0 else {
            let detail = String(decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw SystemError(detail.isEmpty ? step : "\(step): \(detail)", errno: -rc)
        }
        return SeccompProfile(taking: program)
    }
}
