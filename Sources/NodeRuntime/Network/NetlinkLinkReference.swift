/// Names a link in a request: by ifindex when known (cheapest, and required
/// by address changes and renames), otherwise by name. The name is always
/// kept so errors can say which link a request was about.
package struct NetlinkLinkReference: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package var name: String
    /// 0 when unknown: the kernel looks the link up by name.
    package var index: Int32

    package init(name: String, index: Int32 = 0) {
        self.name = name
        self.index = index
    }

    package init(stringLiteral name: String) {
        self.init(name: name)
    }

    package init(_ link: NetlinkLink) {
        self.init(name: link.name, index: link.index)
    }

    package var description: String { name }
}
