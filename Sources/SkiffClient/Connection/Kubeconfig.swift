import Foundation
import SkiffAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A kubeconfig file: named clusters, users and contexts, and the current context.
///
/// Only what `skiff` needs is modelled; the whole document is kept too, so that
/// `use-context` and `set-context` rewrite the file without dropping anything else.
/// Relative file references (`certificate-authority: ca.crt`) are kept as written and
/// resolved against the kubeconfig's directory when used, as kubectl does.
public struct Kubeconfig: Sendable {
    public var currentContext: String?
    public var contexts: [String: KubeContext]
    public var clusters: [String: KubeCluster]
    public var users: [String: KubeUser]
    /// The file this was loaded from; nil for a kubeconfig built in memory.
    public var path: String?
    /// The document as read, including what is not modelled above.
    var document: JSONValue

    /// An empty kubeconfig, to build one in memory.
    public init() {
        currentContext = nil
        contexts = [:]
        clusters = [:]
        users = [:]
        path = nil
        document = ["apiVersion": "v1", "kind": "Config"]
    }

    /// Parses a kubeconfig file: clusters (server, certificate-authority,
    /// certificate-authority-data, insecure-skip-tls-verify), users (token, tokenFile,
    /// client-certificate[-data], client-key[-data]), contexts (cluster, user, namespace)
    /// and current-context. Errors name the file and what is wrong in it.
    public static func load(path: String) throws(ClientError) -> Kubeconfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw loadError(path, Self.openFailure(path))
        }
        return try parse(text, path: path)
    }

    /// Parses kubeconfig text; `path` names it in errors and anchors relative file paths.
    public static func parse(_ text: String, path: String?) throws(ClientError) -> Kubeconfig {
        let name = path ?? "<kubeconfig>"
        do {
            return try Kubeconfig(document: KubeconfigYAML.parse(text), path: path)
        } catch {
            throw loadError(name, error.description)
        }
    }

    init(document: JSONValue, path: String?) throws(KubeconfigShapeError) {
        guard document.objectValue != nil else {
            throw KubeconfigShapeError(path: "", problem: "is not a mapping")
        }
        self.document = document
        self.path = path
        let current = try Self.string(document["current-context"], at: "current-context")
        self.currentContext = current?.isEmpty == true ? nil : current
        self.clusters = try Self.namedEntries(document, list: "clusters", member: "cluster") {
            (value: JSONValue, at: String) throws(KubeconfigShapeError) -> KubeCluster in
            KubeCluster(
                server: try Self.string(value["server"], at: "\(at).server") ?? "",
                certificateAuthority: try Self.string(
                    value["certificate-authority"], at: "\(at).certificate-authority"),
                certificateAuthorityData: try Self.base64(
                    value["certificate-authority-data"], at: "\(at).certificate-authority-data"),
                insecureSkipTLSVerify: try Self.bool(
                    value["insecure-skip-tls-verify"], at: "\(at).insecure-skip-tls-verify"))
        }
        self.users = try Self.namedEntries(document, list: "users", member: "user") {
            (value: JSONValue, at: String) throws(KubeconfigShapeError) -> KubeUser in
            KubeUser(
                token: try Self.string(value["token"], at: "\(at).token"),
                tokenFile: try Self.string(value["tokenFile"], at: "\(at).tokenFile"),
                clientCertificate: try Self.string(value["client-certificate"], at: "\(at).client-certificate"),
                clientCertificateData: try Self.base64(
                    value["client-certificate-data"], at: "\(at).client-certificate-data"),
                clientKey: try Self.string(value["client-key"], at: "\(at).client-key"),
                clientKeyData: try Self.base64(value["client-key-data"], at: "\(at).client-key-data"))
        }
        self.contexts = try Self.namedEntries(document, list: "contexts", member: "context") {
            (value: JSONValue, at: String) throws(KubeconfigShapeError) -> KubeContext in
            KubeContext(
                cluster: try Self.string(value["cluster"], at: "\(at).cluster") ?? "",
                user: try Self.string(value["user"], at: "\(at).user") ?? "",
                namespace: try Self.string(value["namespace"], at: "\(at).namespace"))
        }
    }

    /// `error loading config file "PATH": REASON`, as kubectl words it.
    static func loadError(_ path: String, _ reason: String) -> ClientError {
        ClientError(.kubeconfig, "error loading config file \"\(path)\": \(reason)")
    }

    /// Go's `open PATH: no such file or directory` for a file that cannot be read.
    static func openFailure(_ path: String) -> String {
        let code = access(path, R_OK) == 0 ? EISDIR : errno
        return "open \(path): \(String(cString: strerror(code)).lowercased())"
    }
}

// MARK: Reading the document

extension Kubeconfig {
    /// The `list` of `{name, member: {...}}` entries as a dictionary by name. A later
    /// entry with the same name wins, as in kubectl.
    static func namedEntries<Entry>(
        _ document: JSONValue, list: String, member: String,
        _ makeEntry: (JSONValue, String) throws(KubeconfigShapeError) -> Entry
    ) throws(KubeconfigShapeError) -> [String: Entry] {
        let value = document[list]
        if value.isNull { return [:] }
        guard let entries = value.arrayValue else {
            throw KubeconfigShapeError(path: list, problem: "must be a list")
        }
        var result: [String: Entry] = [:]
        for (index, entry) in entries.enumerated() {
            let at = "\(list)[\(index)]"
            guard entry.objectValue != nil else {
                throw KubeconfigShapeError(path: at, problem: "must be a mapping with name and \(member)")
            }
            guard let name = try string(entry["name"], at: "\(at).name"), !name.isEmpty else {
                throw KubeconfigShapeError(path: "\(at).name", problem: "is missing")
            }
            let body = entry[member]
            guard body.isNull || body.objectValue != nil else {
                throw KubeconfigShapeError(path: "\(at).\(member)", problem: "must be a mapping")
            }
            result[name] = try makeEntry(body, "\(at).\(member)")
        }
        return result
    }

    static func string(_ value: JSONValue, at path: String) throws(KubeconfigShapeError) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        // An unquoted `namespace: 2024` is still meant as text.
        case .integer(let number): return String(number)
        default: throw KubeconfigShapeError(path: path, problem: "must be a string")
        }
    }

    static func bool(_ value: JSONValue, at path: String) throws(KubeconfigShapeError) -> Bool {
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        default: throw KubeconfigShapeError(path: path, problem: "must be true or false")
        }
    }

    /// A `*-data` field: base64 of PEM text.
    static func base64(_ value: JSONValue, at path: String) throws(KubeconfigShapeError) -> String? {
        guard let text = try string(value, at: path), !text.isEmpty else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact), let decoded = String(data: data, encoding: .utf8) else {
            throw KubeconfigShapeError(path: path, problem: "is not valid base64 of PEM text")
        }
        return decoded
    }
}
