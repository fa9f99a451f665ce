import Foundation

/// Where a command writes: standard output for results, standard error for errors, warnings
/// and "No resources found". Replaceable so tests can read what a command printed.
public struct CtlOutput: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    /// Bytes for standard output as they arrive (`logs -f`), so a UTF-8 sequence split
    /// across chunks is not mangled.
    public var outBytes: @Sendable ([UInt8]) -> Void

    public init(
        out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
        outBytes: (@Sendable ([UInt8]) -> Void)? = nil
    ) {
        self.out = out
        self.err = err
        self.outBytes = outBytes ?? { out(String(decoding: $0, as: UTF8.self)) }
    }

    /// The process's standard output and error, unbuffered so `-w` and `logs -f` show
    /// each line as it arrives.
    public static let standard = CtlOutput(
        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
        err: { FileHandle.standardError.write(Data($0.utf8)) },
        outBytes: { FileHandle.standardOutput.write(Data($0)) })
}
