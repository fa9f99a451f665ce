/// A Kubernetes API group, version and kind (`apps/v1`, `Deployment`).
/// The core group is the empty string, written `v1` in apiVersion.
public struct GroupVersionKind: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Parses `apiVersion` as manifests write it: `v1` or `apps/v1`.
    public init?(apiVersion: String, kind: String) {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1 where !parts[0].isEmpty: self.init(group: "", version: String(parts[0]), kind: kind)
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty:
            self.init(group: String(parts[0]), version: String(parts[1]), kind: kind)
        default: return nil
        }
    }

    /// `apiVersion` as written in manifests.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { "\(apiVersion), Kind=\(kind)" }
}
