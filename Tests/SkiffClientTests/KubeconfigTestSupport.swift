import Foundation

/// A fresh directory for one kubeconfig test, removed afterwards.
final class KubeconfigTestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "skiff-kubeconfig-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// A CA certificate's PEM, as skiffd would embed it (the content is never parsed here).
let fixtureCAPEM = """
    -----BEGIN CERTIFICATE-----
    MIIBdzCCAR2gAwIBAgIUfixture
    -----END CERTIFICATE-----

    """

/// The kubeconfig text `KubeconfigWriter` (ControlPlane) writes, byte for byte in shape,
/// so the ctl is tested against what the server hands out.
func skiffdKubeconfig(server: String = "https://127.0.0.1:6443", token: String = "0123abcd") -> String {
    """
    apiVersion: v1
    kind: Config
    clusters:
    - cluster:
        certificate-authority-data: "\(Data(fixtureCAPEM.utf8).base64EncodedString())"
        server: "\(server)"
      name: skiff
    contexts:
    - context:
        cluster: skiff
        user: skiff
      name: skiff
    current-context: skiff
    preferences: {}
    users:
    - name: skiff
      user:
        token: "\(token)"

    """
}
