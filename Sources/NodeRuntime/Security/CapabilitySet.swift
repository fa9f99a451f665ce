import CShims

/// A set of Linux capabilities as the kernel's 64-bit mask (bit n = capability n).
///
/// A plain mask, not a list of names, because the cloned child applies it with
/// raw capset/prctl and may not allocate; names are resolved here, in the parent.
/// The numbers are kernel ABI (linux/capability.h) and never change.
package struct CapabilitySet: OptionSet, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: UInt64

    package init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The set holding only capability `number` (0...63).
    package init(number: Int) {
        self.rawValue = (0..<64).contains(number) ? 1 << UInt64(number) : 0
    }

    package static let chown = CapabilitySet(number: 0)
    package static let dacOverride = CapabilitySet(number: 1)
    package static let dacReadSearch = CapabilitySet(number: 2)
    package static let fowner = CapabilitySet(number: 3)
    package static let fsetid = CapabilitySet(number: 4)
    package static let kill = CapabilitySet(number: 5)
    package static let setgid = CapabilitySet(number: 6)
    package static let setuid = CapabilitySet(number: 7)
    package static let setpcap = CapabilitySet(number: 8)
    package static let linuxImmutable = CapabilitySet(number: 9)
    package static let netBindService = CapabilitySet(number: 10)
    package static let netBroadcast = CapabilitySet(number: 11)
    package static let netAdmin = CapabilitySet(number: 12)
    package static let netRaw = CapabilitySet(number: 13)
    package static let ipcLock = CapabilitySet(number: 14)
    package static let ipcOwner = CapabilitySet(number: 15)
    package static let sysModule = CapabilitySet(number: 16)
    package static let sysRawio = CapabilitySet(number: 17)
    package static let sysChroot = CapabilitySet(number: 18)
    package static let sysPtrace = CapabilitySet(number: 19)
    package static let sysPacct = CapabilitySet(number: 20)
    package static let sysAdmin = CapabilitySet(number: 21)
    package static let sysBoot = CapabilitySet(number: 22)
    package static let sysNice = CapabilitySet(number: 23)
    package static let sysResource = CapabilitySet(number: 24)
    package static let sysTime = CapabilitySet(number: 25)
    package static let sysTtyConfig = CapabilitySet(number: 26)
    package static let mknod = CapabilitySet(number: 27)
    package static let lease = CapabilitySet(number: 28)
    package static let auditWrite = CapabilitySet(number: 29)
    package static let auditControl = CapabilitySet(number: 30)
    package static let setfcap = CapabilitySet(number: 31)
    package static let macOverride = CapabilitySet(number: 32)
    package static let macAdmin = CapabilitySet(number: 33)
    package static let syslog = CapabilitySet(number: 34)
    package static let wakeAlarm = CapabilitySet(number: 35)
    package static let blockSuspend = CapabilitySet(number: 36)
    package static let auditRead = CapabilitySet(number: 37)
    package static let perfmon = CapabilitySet(number: 38)
    package static let bpf = CapabilitySet(number: 39)
    package static let checkpointRestore = CapabilitySet(number: 40)

    /// The set containerd, Docker and CRI-O give a non-privileged container,
    /// so images behave here as they do under those runtimes.
    package static let containerDefault: CapabilitySet = [
        .chown, .dacOverride, .fsetid, .fowner, .mknod, .netRaw, .setgid, .setuid,
        .setfcap, .setpcap, .netBindService, .sysChroot, .kill, .auditWrite,
    ]

    /// The highest capability number the running kernel knows.
    package static let lastSupported: Int = Int(skiff_cap_last_cap())

    /// Every capability the running kernel knows: what "ALL" and a privileged
    /// container get. Bits past the kernel's last capability would make capset fail.
    package static let allSupported: CapabilitySet = {
        let last = min(max(lastSupported, 0), 63)
        return CapabilitySet(rawValue: last == 63 ? .max : (1 << UInt64(last + 1)) - 1)
    }()

    /// The capability numbers in the set, ascending.
    package var numbers: [Int] {
        (0..<64).filter { rawValue & (1 << UInt64($0)) != 0 }
    }

    /// `CAP_CHOWN`-style names, ascending by number.
    package var names: [String] {
        numbers.map(Self.name(of:))
    }

    package var description: String {
        "[" + names.joined(separator: ", ") + "]"
    }
}
