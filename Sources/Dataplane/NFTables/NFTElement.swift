/// One element of a set or map as the kernel stores it: the key (and, for a
/// map, the data) in register layout. Hashable so two tables' elements can be
/// diffed as sets.
package struct NFTElement: Hashable, Sendable {
    package var set: String
    package var key: [UInt8]
    package var data: [UInt8]?

    package init(set: String, key: [UInt8], data: [UInt8]? = nil) {
        self.set = set
        self.key = key
        self.data = data
    }
}

/// An element operation of one netlink transaction.
package enum NFTElementOp: Sendable {
    case add(NFTElement)
    case delete(NFTElement)
    /// Empties a set or map.
    case flush(set: String)
}
