import SkiffAPI

/// What a request path names, parsed the way the Kubernetes API server's
/// `RequestInfoFactory` does: `/api/v1/namespaces/default/pods/web/log` is the
/// `log` subresource of pod `web` in namespace `default`; `/api/v1/namespaces/x`
/// is the namespace `x` itself; anything else is a non-resource path.
enum RequestTarget: Equatable {
    case nonResource(String)
    /// `/api`, `/apis`, `/api/v1`, `/apis/apps`, `/apis/apps/v1`.
    case discovery(group: String?, version: String?, legacyCore: Bool)
    case resource(ResourcePath)

    struct ResourcePath: Equatable {
        var group: String
        var version: String
        var namespace: String?
        var plural: String
        var name: String?
        var subresource: String?
    }

    init(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let root = segments.first, root == "api" || root == "apis" else {
            self = .nonResource(path)
            return
        }
        var rest = ArraySlice(segments.dropFirst())
        let group: String
        if root == "api" {
            group = ""
        } else {
            guard let first = rest.popFirst() else {
                self = .discovery(group: nil, version: nil, legacyCore: false)
                return
            }
            group = first
        }
        guard let version = rest.popFirst() else {
            self = root == "api"
                ? .discovery(group: nil, version: nil, legacyCore: true)
                : .discovery(group: group, version: nil, legacyCore: false)
            return
        }
        guard !rest.isEmpty else {
            self = .discovery(group: group, version: version, legacyCore: root == "api")
            return
        }
        var namespace: String?
        // `/namespaces/{ns}/{resource}...` is namespaced; `/namespaces/{ns}` alone
        // (or with a subresource such as `finalize`) is the Namespace object.
        if rest.first == "namespaces", rest.count >= 3 {
            rest = rest.dropFirst()
            namespace = rest.popFirst()
        }
        guard let plural = rest.popFirst() else {
            self = .nonResource(path)
            return
        }
        let name = rest.popFirst()
        let subresource = rest.popFirst()
        guard rest.isEmpty else {
            self = .nonResource(path)
            return
        }
        self = .resource(
            ResourcePath(
                group: group, version: version, namespace: namespace, plural: plural, name: name,
                subresource: subresource))
    }
}
