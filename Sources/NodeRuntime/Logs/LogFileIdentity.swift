/// Device and inode of a file: stays the same across a rename, which is how a
/// reader tells "my file was rotated" from "my file grew".
package struct LogFileIdentity: Hashable, Sendable {
    package var device: UInt64
    package var inode: UInt64
}
