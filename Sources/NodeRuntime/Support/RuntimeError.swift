/// An error about what the caller asked for (bad input, missing object), as
/// opposed to a failed system call. The message names the field and value.
package struct RuntimeError: Error, CustomStringConvertible, Equatable, Sendable {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
