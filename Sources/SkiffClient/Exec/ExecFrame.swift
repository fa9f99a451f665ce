import SkiffAPI

/// The remote-command channel framing of `v5.channel.k8s.io` (and v4) as the client
/// writes and reads it: every binary message starts with its channel byte.
public enum ExecFrame {
    /// The subprotocol offered, as kubectl 1.32 offers it (v5 alone: only v5 can say
    /// "stdin is closed").
    public static let subprotocol = "v5.channel.k8s.io"

    public static let stdinChannel: UInt8 = 0
    public static let stdoutChannel: UInt8 = 1
    public static let stderrChannel: UInt8 = 2
    public static let statusChannel: UInt8 = 3
    public static let resizeChannel: UInt8 = 4
    /// v5's control channel: `[255, n]` closes the client's stream `n`.
    public static let closeChannel: UInt8 = 255

    /// A piece of the client's stdin.
    public static func stdin(_ bytes: [UInt8]) -> [UInt8] { [stdinChannel] + bytes }

    /// The end of the client's stdin.
    public static let closeStdin: [UInt8] = [closeChannel, stdinChannel]

    /// A terminal size, as client-go encodes `TerminalSize` (`{"Width":W,"Height":H}`).
    public static func resize(columns: UInt16, rows: UInt16) -> [UInt8] {
        [resizeChannel] + Array("{\"Width\":\(columns),\"Height\":\(rows)}".utf8)
    }

    /// A message from the server, split into its channel and payload.
    public enum Inbound: Equatable, Sendable {
        case stdout([UInt8])
        case stderr([UInt8])
        /// Part of the status document; the whole is what arrives on channel 3 until the end.
        case status([UInt8])
        /// An empty message or an unknown channel (client-go discards these).
        case ignored
    }

    public static func decode(_ message: [UInt8]) -> Inbound {
        guard let channel = message.first else { return .ignored }
        let payload = Array(message.dropFirst())
        switch channel {
        case stdoutChannel: return .stdout(payload)
        case stderrChannel: return .stderr(payload)
        case statusChannel: return .status(payload)
        default: return .ignored
        }
    }
}
