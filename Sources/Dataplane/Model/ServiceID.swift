/// A Service's namespace and name: how errors and the iptables chain names refer to it.
package struct ServiceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var namespace: String
    package var name: String

    package init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    package var description: String { "\(namespace)/\(name)" }

    package static func < (lhs: ServiceID, rhs: ServiceID) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}
