import Foundation

extension Kubeconfig {
    /// The connection settings of `context` (nil: the current context), with every file
    /// it refers to read now. Errors use kubectl's wording and name this kubeconfig.
    public func resolve(context: String?) throws(ClientError) -> ConnectionSettings {
        guard let contextName = context.flatMap({ $0.isEmpty ? nil : $0 }) ?? currentContext else {
            throw problem("current-context is not set; choose one with --context or `skiff config use-context`")
        }
        guard let entry = contexts[contextName] else {
            throw problem("context was not found for specified context: \(contextName)")
        }
        guard !entry.cluster.isEmpty else {
            throw problem("cluster was not specified for context \"\(contextName)\"")
        }
        guard let cluster = clusters[entry.cluster] else {
            throw problem("cluster \"\(entry.cluster)\" was not found for context \"\(contextName)\"")
        }
        let user: KubeUser
        if entry.user.isEmpty {
            user = KubeUser()
        } else if let found = users[entry.user] {
            user = found
        } else {
            throw problem("user \"\(entry.user)\" was not found for context \"\(contextName)\"")
        }
        guard !cluster.server.isEmpty else {
            throw problem("no server found for cluster \"\(entry.cluster)\"")
        }

        var caPEM = cluster.certificateAuthorityData
        if caPEM == nil, let file = cluster.certificateAuthority, !file.isEmpty {
            caPEM = try readReferenced(file, what: "certificate-authority", owner: entry.cluster)
        }
        if cluster.insecureSkipTLSVerify, caPEM != nil {
            throw problem("specifying a root certificates file with the insecure flag is not allowed")
        }

        var token = user.token.flatMap { $0.isEmpty ? nil : $0 }
        if token == nil, let file = user.tokenFile, !file.isEmpty {
            token = try readReferenced(file, what: "tokenFile", owner: entry.user)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var certificatePEM = user.clientCertificateData
        if certificatePEM == nil, let file = user.clientCertificate, !file.isEmpty {
            certificatePEM = try readReferenced(file, what: "client-certificate", owner: entry.user)
        }
        var keyPEM = user.clientKeyData
        if keyPEM == nil, let file = user.clientKey, !file.isEmpty {
            keyPEM = try readReferenced(file, what: "client-key", owner: entry.user)
        }
        if (certificatePEM == nil) != (keyPEM == nil) {
            throw problem("user \"\(entry.user)\" must set both a client certificate and a client key, or neither")
        }

        return ConnectionSettings(
            server: cluster.server, caPEM: caPEM, insecureSkipTLSVerify: cluster.insecureSkipTLSVerify,
            token: token, namespace: entry.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            clientCertificatePEM: certificatePEM, clientKeyPEM: keyPEM)
    }

    /// A file a kubeconfig entry refers to, relative to the kubeconfig's directory.
    func readReferenced(_ file: String, what: String, owner: String) throws(ClientError) -> String {
        let resolved = resolvePath(file)
        guard let text = try? String(contentsOfFile: resolved, encoding: .utf8) else {
            throw problem("unable to read \(what) \(resolved) for \(owner) due to \(Self.openFailure(resolved))")
        }
        return text
    }

    /// `file` as kubectl reads it: `~/` expanded, relative to this kubeconfig's directory.
    func resolvePath(_ file: String) -> String {
        let expanded = (file as NSString).expandingTildeInPath
        guard !expanded.hasPrefix("/"), let path else { return expanded }
        return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(expanded)
    }

    /// An error about this kubeconfig's content, naming its file.
    func problem(_ message: String) -> ClientError {
        guard let path else { return ClientError(.kubeconfig, message) }
        return ClientError(.kubeconfig, "\(message) (kubeconfig \(path))")
    }
}
