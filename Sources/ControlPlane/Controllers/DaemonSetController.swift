import Foundation
import Logging
import SkiffAPI

/// Placeholder: being written.
struct DaemonSetController: Sendable {
    let handler: ResourceHandler
    let logger: Logger

    func run() async {}
}
