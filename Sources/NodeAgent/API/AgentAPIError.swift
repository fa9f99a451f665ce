import SkiffAPI

/// A failed call to the API server: the server's Status when it answered, or
/// the transport failure (status code 0) when it did not.
package struct AgentAPIError: Error, Sendable, CustomStringConvertible {
    package var code: Int
    package var status: APIStatus?
    package var message: String

    package init(code: Int, status: APIStatus?, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    package var isNotFound: Bool { code == 404 }
    package var isConflict: Bool { code == 409 }
    package var isGone: Bool { code == 410 }
    package var description: String { code == 0 ? message : "\(code): \(message)" }
}
