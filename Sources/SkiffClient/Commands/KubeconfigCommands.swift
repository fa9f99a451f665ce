import Foundation
import SkiffAPI

/// `config view|get-contexts|current-context|use-context|set-context`: reads and edits the
/// kubeconfig file only; nothing is sent to a server.
public struct KubeconfigCommands: Sendable {
    /// The kubeconfig file in use (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`, Skiff's own).
    public var path: String
    public var output: CtlOutput

    public init(path: String, output: CtlOutput) {
        self.path = path
        self.output = output
    }

    private func load(mustExist: Bool) throws(CtlError) -> Kubeconfig {
        if !mustExist && !FileManager.default.fileExists(atPath: path) { return Kubeconfig() }
        do {
            return try Kubeconfig.load(path: path)
        } catch {
            throw .connection(error)
        }
    }

    private func save(_ kubeconfig: Kubeconfig) throws(CtlError) {
        do {
            try kubeconfig.save(to: path)
        } catch {
            throw .connection(error)
        }
    }

    /// `config view [--raw] [--minify] [-o json]`: secrets shown as `DATA+OMITTED` and
    /// `REDACTED` unless `--raw`.
    public func view(raw: Bool, minify: Bool, json: Bool, context: String?) throws(CtlError) {
        let kubeconfig = try load(mustExist: false)
        var document = kubeconfig.mergedDocument()
        if minify {
            guard let name = context ?? kubeconfig.currentContext, let entry = kubeconfig.contexts[name] else {
                throw .message("current-context must exist in order to minify")
            }
            document["contexts"] = .array((document["contexts"].arrayValue ?? []).filter { $0["name"].stringValue == name })
            document["clusters"] = .array(
                (document["clusters"].arrayValue ?? []).filter { $0["name"].stringValue == entry.cluster })
            document["users"] = .array((document["users"].arrayValue ?? []).filter { $0["name"].stringValue == entry.user })
            document["current-context"] = .string(name)
        }
        output.out(Self.render(document, raw: raw, json: json))
    }

    /// The document as kubectl prints a `Config`: every top-level field present, secrets redacted.
    static func render(_ document: JSONValue, raw: Bool, json: Bool) -> String {
        var document = document
        if document["apiVersion"].isNull { document["apiVersion"] = "v1" }
        if document["kind"].isNull { document["kind"] = "Config" }
        if document["preferences"].isNull { document["preferences"] = .emptyObject }
        var object = document.objectValue ?? [:]
        if object["current-context"] == nil { object["current-context"] = "" }
        for list in ["clusters", "contexts", "users"] {
            if (object[list]?.arrayValue ?? []).isEmpty { object[list] = .null }
        }
        document = .object(object)
        if !raw {
            document["clusters"] = redact(document["clusters"], member: "cluster", fields: ["certificate-authority-data": "DATA+OMITTED"])
            document["users"] = redact(
                document["users"], member: "user",
                fields: ["client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED", "token": "REDACTED"])
        }
        return json ? GoJSON.indented(document) + "\n" : YAMLPrinter.render(document)
    }

    private static func redact(_ list: JSONValue, member: String, fields: [String: String]) -> JSONValue {
        guard let items = list.arrayValue else { return list }
        return .array(items.map { item in
            var item = item
            for (field, replacement) in fields where !item[member][field].isNull {
                item[path: [member, field]] = .string(replacement)
            }
            return item
        })
    }

    /// `config get-contexts [NAME…] [-o name]`.
    public func getContexts(_ names: [String], namesOnly: Bool) throws(CtlError) {
        let kubeconfig = try load(mustExist: false)
        var selected = kubeconfig.contexts.keys.sorted()
        if !names.isEmpty {
            for name in names where kubeconfig.contexts[name] == nil { throw .message("context \(name) not found") }
            selected = selected.filter(names.contains)
        }
        if namesOnly {
            output.out(selected.map { $0 + "\n" }.joined())
            return
        }
        var writer = TabWriter.kubectlTable()
        writer.append(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"])
        for name in selected {
            guard let context = kubeconfig.contexts[name] else { continue }
            writer.append([
                name == kubeconfig.currentContext ? "*" : "", name, context.cluster, context.user, context.namespace ?? "",
            ])
        }
        output.out(writer.flush())
    }

    /// `config current-context`.
    public func currentContext() throws(CtlError) {
        let kubeconfig = try load(mustExist: false)
        guard let name = kubeconfig.currentContext, !name.isEmpty else { throw .message("current-context is not set") }
        output.out(name + "\n")
    }

    /// `config use-context NAME`.
    public func useContext(_ name: String) throws(CtlError) {
        var kubeconfig = try load(mustExist: true)
        do {
            try kubeconfig.setCurrentContext(name)
        } catch {
            throw .message("no context exists with the name: \(GoQuote.quote(name))")
        }
        try save(kubeconfig)
        output.out("Switched to context \(GoQuote.quote(name)).\n")
    }

    /// `config set-context [NAME | --current] [--namespace=NS] [--cluster=C] [--user=U]`.
    public func setContext(_ name: String?, current: Bool, namespace: String?, cluster: String?, user: String?) throws(CtlError) {
        var kubeconfig = try load(mustExist: false)
        if current && name != nil { throw .message("you cannot specify both a context name and --current") }
        guard let contextName = current ? kubeconfig.currentContext : name, !contextName.isEmpty else {
            throw .message(current ? "no current context is set" : "you must specify a non-empty context name or --current")
        }
        let exists = kubeconfig.contexts[contextName] != nil
        var context = kubeconfig.contexts[contextName] ?? KubeContext(cluster: "", user: "")
        if let cluster { context.cluster = cluster }
        if let user { context.user = user }
        if let namespace { context.namespace = namespace.isEmpty ? nil : namespace }
        kubeconfig.contexts[contextName] = context
        try save(kubeconfig)
        output.out("Context \(GoQuote.quote(contextName)) \(exists ? "modified" : "created").\n")
    }
}
