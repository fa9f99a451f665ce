/// What the kernel does with a syscall a filter matches.
package enum SeccompAction: Hashable, Sendable {
    case allow
    /// Fail the syscall with this errno, without running it.
    case errno(UInt16)
    case killThread
    case killProcess
    /// SIGSYS to the thread.
    case trap
    /// Notify a ptrace tracer with this message (ENOSYS without one).
    case trace(UInt16)
    /// Allow and log to the audit log.
    case log

    /// The kernel's SECCOMP_RET_* word, which libseccomp's SCMP_ACT_* equal.
    package var rawValue: UInt32 {
        switch self {
        case .allow: 0x7fff_0000
        case .errno(let code): 0x0005_0000 | UInt32(code)
        case .killThread: 0
        case .killProcess: 0x8000_0000
        case .trap: 0x0003_0000
        case .trace(let message): 0x7ff0_0000 | UInt32(message)
        case .log: 0x7ffc_0000
        }
    }
}

/// How a syscall argument is compared; raw values are libseccomp's SCMP_CMP_*.
package enum SeccompOperator: UInt32, Hashable, Sendable {
    case notEqual = 1
    case lessThan = 2
    case lessOrEqual = 3
    case equal = 4
    case greaterOrEqual = 5
    case greaterThan = 6
    /// `(arg & value) == valueTwo`.
    case maskedEqual = 7
}

/// One comparison of syscall argument `index` (0...5).
package struct SeccompArgument: Hashable, Sendable {
    package var index: UInt32
    package var op: SeccompOperator
    package var value: UInt64
    package var valueTwo: UInt64

    package init(index: UInt32, op: SeccompOperator, value: UInt64, valueTwo: UInt64 = 0) {
        self.index = index
        self.op = op
        self.value = value
        self.valueTwo = valueTwo
    }
}

/// An action for a list of syscalls, optionally only when every argument
/// comparison holds.
package struct SeccompRule: Hashable, Sendable {
    package var names: [String]
    package var action: SeccompAction
    package var arguments: [SeccompArgument]

    package init(names: [String], action: SeccompAction, arguments: [SeccompArgument] = []) {
        self.names = names
        self.action = action
        self.arguments = arguments
    }
}

/// A filter spelled out rule by rule (an OCI `linux.seccomp`, a Localhost
/// profile). Syscall names the installed libseccomp does not know are
/// skipped, so the default action covers them.
package struct SeccompFilterSpec: Hashable, Sendable {
    package var defaultAction: SeccompAction
    /// libseccomp architecture names ("x86", "x32") filtered beside the native one.
    package var architectures: [String]
    package var rules: [SeccompRule]

    package init(defaultAction: SeccompAction, architectures: [String] = [], rules: [SeccompRule]) {
        self.defaultAction = defaultAction
        self.architectures = architectures
        self.rules = rules
    }
}

/// Which filter a container runs under; the key (with its capabilities) the
/// compiled programs are cached by.
package enum SeccompPolicy: Hashable, Sendable {
    /// The built-in default: Docker/moby's allowlist, returning EPERM for
    /// anything else, with the capability-gated groups following the
    /// container's capabilities (Kubernetes `RuntimeDefault`).
    case runtimeDefault
    case custom(SeccompFilterSpec)
}
