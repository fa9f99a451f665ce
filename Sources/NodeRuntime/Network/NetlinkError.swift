import CShims

extension SystemError {
    /// Names a failed netlink request after the message the kernel refused
    /// (`RTM_NEWLINK bridge skiff0: EEXIST`), with the kernel's own
    /// explanation when it sent one; failures before the kernel answered
    /// name the local step and the namespace.
    init(netlink error: skiff_nl_error, steps: [String], context: String) {
        var step: String
        if error.index >= 0 && Int(error.index) < steps.count {
            step = steps[Int(error.index)]
        } else {
            step = "netlink \(NetlinkCString.string(error.step)) (\(context))"
        }
        let kernelMessage = NetlinkCString.string(error.message)
        if !kernelMessage.isEmpty { step += " [kernel: \(kernelMessage)]" }
        self.init(step, errno: error.err)
    }
}
