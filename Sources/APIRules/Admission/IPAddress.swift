extension Admission {
    /// IP address syntax as Kubernetes accepts it (`netutils.ParseIPSloppy`: IPv4 dotted quads,
    /// leading zeros allowed, and IPv6 in any RFC 4291 text form).
    enum IPAddress {
        static let invalidMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"

        static func isValid(_ text: String) -> Bool {
            isIPv4(Substring(text)) || isIPv6(Substring(text))
        }

        static func isIPv4(_ text: Substring) -> Bool {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 4 && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber }
                    && (Int(part) ?? 256) <= 255
            }
        }

        static func isIPv6(_ text: Substring) -> Bool {
            guard text.contains(":") else { return false }
            var address = text
            var groupsAvailable = 8
            // An embedded IPv4 address takes the last two groups.
            if let lastColon = address.lastIndex(of: ":"), address[address.index(after: lastColon)...].contains(".") {
                guard isIPv4(address[address.index(after: lastColon)...]) else { return false }
                address = address[...lastColon]
                if !address.hasSuffix("::") { address = address.dropLast() }
                groupsAvailable = 6
            }
            let halves = splitOnDoubleColon(address)
            guard halves.count <= 2, let head = groups(halves[0]) else { return false }
            if halves.count == 1 { return head.count == groupsAvailable }
            guard let tail = groups(halves[1]) else { return false }
            return head.count + tail.count < groupsAvailable
        }

        /// The colon-separated hexadecimal groups of one side of `::`, nil when one is malformed.
        private static func groups(_ half: Substring) -> [Substring]? {
            if half.isEmpty { return [] }
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            let valid = parts.allSatisfy { part in
                !part.isEmpty && part.count <= 4 && part.allSatisfy(\.isHexDigit)
            }
            return valid ? parts : nil
        }

        /// The text around each `::`; more than two pieces means `::` appeared twice.
        private static func splitOnDoubleColon(_ text: Substring) -> [Substring] {
            var pieces: [Substring] = []
            var start = text.startIndex
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(after: index)
                if text[index] == ":", next < text.endIndex, text[next] == ":" {
                    pieces.append(text[start..<index])
                    start = text.index(after: next)
                    index = start
                } else {
                    index = next
                }
            }
            pieces.append(text[start...])
            return pieces
        }
    }
}
