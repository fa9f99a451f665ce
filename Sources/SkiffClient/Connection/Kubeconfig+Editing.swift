import Foundation
import SkiffAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Kubeconfig {
    /// `skiff config use-context NAME`: makes `name` the current context.
    public mutating func setCurrentContext(_ name: String) throws(ClientError) {
        guard contexts[name] != nil else {
            throw problem("no context exists with the name: \"\(name)\"")
        }
        currentContext = name
    }

    /// `skiff config set-context [NAME|--current] --namespace NS`: sets the namespace of
    /// `context` (nil: the current context); an empty `namespace` removes it.
    public mutating func setNamespace(_ namespace: String, context: String?) throws(ClientError) {
        guard let name = context ?? currentContext else {
            throw problem("no current context is set")
        }
        guard var entry = contexts[name] else {
            throw problem("no context exists with the name: \"\(name)\"")
        }
        entry.namespace = namespace.isEmpty ? nil : namespace
        contexts[name] = entry
    }

    /// Writes this kubeconfig to `path`, keeping every field of the loaded document that
    /// is not modelled here, with mode 0600 (it holds credentials) and atomically, so an
    /// interrupted write never leaves half a kubeconfig.
    public func save(to path: String) throws(ClientError) {
        let text: String
        do {
            text = try KubeconfigYAML.render(mergedDocument())
        } catch {
            throw ClientError(.kubeconfig, "error writing config file \"\(path)\": \(error)")
        }
        if let failure = Self.writeAtomically(text, to: path) {
            throw ClientError(.kubeconfig, "error writing config file \"\(path)\": \(failure)")
        }
    }

    /// Writes through a temporary file created 0600 in the same directory, fsynced and
    /// renamed over `path`; the errno text on failure.
    private static func writeAtomically(_ text: String, to path: String) -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary =
            (directory.isEmpty ? "." : directory)
            + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return "open \(temporary): \(String(cString: strerror(errno)))" }
        let bytes = Array(text.utf8)
        var offset = 0
        var failure: String?
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = "write \(temporary): \(String(cString: strerror(errno)))"
                break
            }
            offset += written
        }
        if failure == nil, fsync(descriptor) != 0 {
            failure = "fsync \(temporary): \(String(cString: strerror(errno)))"
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 {
            failure = "rename \(temporary) \(path): \(String(cString: strerror(errno)))"
        }
        if failure != nil { unlink(temporary) }
        return failure
    }

    /// The loaded document with the modelled fields written back: entries updated in
    /// place (keeping their unknown fields and their order), new ones appended by name,
    /// removed ones dropped; empty values omitted, as kubectl's `omitempty` does.
    func mergedDocument() -> JSONValue {
        var result = document
        result["current-context"] = currentContext.map(JSONValue.string) ?? .null
        result["clusters"] = Self.merged(document["clusters"], member: "cluster", entries: clusters) {
            cluster, body in
            body["server"] = cluster.server.isEmpty ? .null : .string(cluster.server)
            body["certificate-authority"] = Self.optional(cluster.certificateAuthority)
            body["certificate-authority-data"] = Self.optional(
                cluster.certificateAuthorityData.map { Data($0.utf8).base64EncodedString() })
            body["insecure-skip-tls-verify"] = cluster.insecureSkipTLSVerify ? .bool(true) : .null
        }
        result["users"] = Self.merged(document["users"], member: "user", entries: users) { user, body in
            body["token"] = Self.optional(user.token)
            body["tokenFile"] = Self.optional(user.tokenFile)
            body["client-certificate"] = Self.optional(user.clientCertificate)
            body["client-certificate-data"] = Self.optional(
                user.clientCertificateData.map { Data($0.utf8).base64EncodedString() })
            body["client-key"] = Self.optional(user.clientKey)
            body["client-key-data"] = Self.optional(user.clientKeyData.map { Data($0.utf8).base64EncodedString() })
        }
        result["contexts"] = Self.merged(document["contexts"], member: "context", entries: contexts) {
            context, body in
            body["cluster"] = context.cluster.isEmpty ? .null : .string(context.cluster)
            body["user"] = context.user.isEmpty ? .null : .string(context.user)
            body["namespace"] = Self.optional(context.namespace)
        }
        return result
    }

    private static func merged<Entry>(
        _ existing: JSONValue, member: String, entries: [String: Entry], write: (Entry, inout JSONValue) -> Void
    ) -> JSONValue {
        var list: [JSONValue] = []
        var written: Set<String> = []
        for item in existing.arrayValue ?? [] {
            guard let name = item["name"].stringValue, let entry = entries[name], !written.contains(name) else {
                continue
            }
            var item = item
            var body = item[member].objectValue == nil ? JSONValue.emptyObject : item[member]
            write(entry, &body)
            item[member] = body
            list.append(item)
            written.insert(name)
        }
        for name in entries.keys.sorted() where !written.contains(name) {
            guard let entry = entries[name] else { continue }
            var body = JSONValue.emptyObject
            write(entry, &body)
            var item: JSONValue = ["name": .string(name)]
            item[member] = body
            list.append(item)
        }
        return .array(list)
    }

    private static func optional(_ text: String?) -> JSONValue {
        guard let text, !text.isEmpty else { return .null }
        return .string(text)
    }
}
