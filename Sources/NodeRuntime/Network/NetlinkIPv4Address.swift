/// Netlink carries IPv4 addresses as `in_addr.s_addr`: the four octets in
/// network byte order, read as a native UInt32.
extension IPv4Address {
    var netlinkValue: UInt32 { value.bigEndian }

    init(netlinkValue: UInt32) {
        self.init(UInt32(bigEndian: netlinkValue))
    }
}
