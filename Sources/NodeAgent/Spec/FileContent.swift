/// One file of a secret/configMap/downwardAPI/projected volume: its bytes and permission bits.
package struct FileContent: Equatable, Sendable {
    package var bytes: [UInt8]
    /// Permission bits (`0644` = 420 unless the pod says otherwise).
    package var mode: UInt32

    package init(bytes: [UInt8], mode: UInt32) {
        self.bytes = bytes
        self.mode = mode
    }

    package init(text: String, mode: UInt32) {
        self.init(bytes: Array(text.utf8), mode: mode)
    }
}
