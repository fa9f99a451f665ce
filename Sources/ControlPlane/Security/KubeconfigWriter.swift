import Foundation

/// Writes the admin kubeconfig that `skiffd` hands out, like k3s's
/// `/etc/rancher/k3s/k3s.yaml`.
///
/// The YAML is produced by hand (ControlPlane does not link a YAML library); every value
/// is double-quoted with escapes, so no server URL or token can change the document's
/// structure.
public enum KubeconfigWriter {
    /// Writes a kubeconfig whose cluster, user and context are all named `skiff`,
    /// current-context `skiff`, with `certificate-authority-data` the base64 of `caPEM`,
    /// `server` as given (`https://HOST:PORT`) and the user's bearer `token`. Written
    /// atomically with mode 0600, since it holds the admin credential; the parent
    /// directory is created when missing.
    public static func write(to url: URL, server: String, caPEM: String, token: String) throws(PKIError) {
        try PKIFile.makeDirectory(
            url.deletingLastPathComponent(), mode: 0o755, step: "creating the kubeconfig's directory")
        try PKIFile.write(
            render(server: server, caPEM: caPEM, token: token), to: url, mode: 0o600, step: "writing the kubeconfig")
    }

    /// The document, laid out as `kubectl config view --raw` prints one.
    static func render(server: String, caPEM: String, token: String) -> String {
        let name = "skiff"
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: \(quoted(Data(caPEM.utf8).base64EncodedString()))
                server: \(quoted(server))
              name: \(name)
            contexts:
            - context:
                cluster: \(name)
                user: \(name)
              name: \(name)
            current-context: \(name)
            preferences: {}
            users:
            - name: \(name)
              user:
                token: \(quoted(token))

            """
    }

    /// A YAML double-quoted scalar: `\` and `"` escaped, control characters as `\u` escapes.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
