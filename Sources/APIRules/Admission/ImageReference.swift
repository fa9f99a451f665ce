extension Admission {
    /// The tag of a container image reference, read as Kubernetes' `parsers.ParseImageName` does,
    /// to choose the default `imagePullPolicy`.
    enum ImageReference {
        /// `Always` for `:latest` or no tag and no digest; `IfNotPresent` for any other tag, a digest,
        /// or a reference that does not parse (Kubernetes ignores the parse error there).
        static func defaultPullPolicy(for image: String) -> String {
            tag(of: image) == "latest" ? "Always" : "IfNotPresent"
        }

        /// The tag, `latest` when neither tag nor digest is given, nil when the reference is invalid.
        static func tag(of image: String) -> String? {
            guard !image.isEmpty, !image.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else { return nil }
            var remainder = Substring(image)
            var hasDigest = false
            if let at = remainder.firstIndex(of: "@") {
                hasDigest = true
                remainder = remainder[..<at]
            }
            let lastSlash = remainder.lastIndex(of: "/")
            let lastComponentStart = lastSlash.map { remainder.index(after: $0) } ?? remainder.startIndex
            var tag: Substring = ""
            if let colon = remainder[lastComponentStart...].lastIndex(of: ":") {
                tag = remainder[remainder.index(after: colon)...]
                remainder = remainder[..<colon]
            }
            guard !remainder.isEmpty, isLowercaseRepository(remainder) else { return nil }
            if tag.isEmpty && !hasDigest { return "latest" }
            return String(tag)
        }

        /// Repository path components must be lowercase; the first may be a registry host
        /// (it contains `.` or `:`, or is `localhost`), which may use any case.
        private static func isLowercaseRepository(_ repository: Substring) -> Bool {
            var components = repository.split(separator: "/", omittingEmptySubsequences: false)
            if components.count > 1, let first = components.first,
                first.contains(".") || first.contains(":") || first == "localhost"
            {
                components.removeFirst()
            }
            return components.allSatisfy { component in
                !component.isEmpty && !component.contains(where: \.isUppercase)
            }
        }
    }
}
