/// One file of a secret, configMap, downwardAPI or projected volume: its
/// bytes and permission bits (`defaultMode`/`items[].mode`, e.g. 0o644).
package struct ProjectedFile: Sendable, Equatable {
    package var bytes: [UInt8]
    package var mode: UInt32

    package init(bytes: [UInt8], mode: UInt32 = 0o644) {
        self.bytes = bytes
        self.mode = mode
    }

    package init(_ text: String, mode: UInt32 = 0o644) {
        self.init(bytes: Array(text.utf8), mode: mode)
    }
}
