/// The half-open key range `[lower, upper)` holding exactly the keys that
/// start with a prefix, so prefix scans use the `(name, id)` index instead of
/// a `LIKE` that escapes badly and scans everything.
struct KeyRange: Sendable {
    var lower: String
    /// nil: no upper bound (empty prefix, or one made only of U+10FFFF).
    var upper: String?

    init(prefix: String) {
        lower = prefix
        upper = KeyRange.successor(ofPrefix: prefix)
    }

    /// The smallest string greater than every string starting with `prefix`.
    /// SQLite compares TEXT bytewise and UTF-8 byte order is scalar order, so
    /// bumping the last scalar that can be bumped (skipping surrogates) works.
    static func successor(ofPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let bumped = Unicode.Scalar(next) {
                scalars.append(bumped)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                return String(view)
            }
        }
        return nil
    }
}
