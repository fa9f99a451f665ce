import SkiffAPI

/// A container's `command` and `args` with `$(VAR)` references expanded against its
/// resolved environment, as the kubelet does before handing them to the runtime.
package enum ContainerCommandLine {
    /// `nil` when the container leaves the member unset or empty, so the image's
    /// Entrypoint/Cmd apply (the kubelet passes `command: []` on as no command at all).
    package static func expand(container: JSONValue, env: [String]) -> (command: [String]?, args: [String]?) {
        let table = EnvironmentTable(env)
        func expanded(_ member: String) -> [String]? {
            guard let items = container[member].arrayValue, !items.isEmpty else { return nil }
            return items.map { VariableExpansion.expand($0.stringValue ?? "") { table[$0] } }
        }
        return (expanded("command"), expanded("args"))
    }
}
