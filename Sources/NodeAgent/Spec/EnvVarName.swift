/// apimachinery's `IsEnvVarName`: `[-._a-zA-Z][-._a-zA-Z0-9]*`, and not `.`, `..` or a
/// name starting with `..` (which could walk out of a directory when used as a file name).
/// The kubelet skips `envFrom` keys that fail it rather than failing the container.
enum EnvVarName {
    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isLeading(first) else { return false }
        guard bytes.dropFirst().allSatisfy({ isLeading($0) || ($0 >= 0x30 && $0 <= 0x39) }) else { return false }
        return name != "." && name != ".." && !name.hasPrefix("..")
    }

    private static func isLeading(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }
}
