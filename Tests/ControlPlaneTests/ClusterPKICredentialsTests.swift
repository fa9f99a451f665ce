import Foundation
import SkiffAPI
import Testing

@testable import ControlPlane

@Suite("Cluster credentials: token file and kubeconfig")
struct ClusterPKICredentialsTests {
    @Test("the token is 32 random bytes in hex, 0600, and the same after a restart")
    func tokenCreateAndReload() throws {
        let directory = try PKITestDirectory()
        let url = directory.file("server/token")
        let token = try TokenFile.loadOrCreate(at: url)
        #expect(token.count == 64)
        #expect(token.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(try directory.mode("server/token") == 0o600)
        #expect(try TokenFile.loadOrCreate(at: url) == token)

        let other = try PKITestDirectory()
        #expect(try TokenFile.loadOrCreate(at: other.file("token")) != token, "tokens must be random")
    }

    @Test("a token written by hand is used as written, without its newline")
    func tokenWrittenByHand() throws {
        let directory = try PKITestDirectory()
        try "my-secret-token\n".write(to: directory.file("token"), atomically: true, encoding: .utf8)
        #expect(try TokenFile.loadOrCreate(at: directory.file("token")) == "my-secret-token")
    }

    @Test("an empty token file is an error naming it, not silently replaced")
    func emptyToken() throws {
        let directory = try PKITestDirectory()
        try "\n".write(to: directory.file("token"), atomically: true, encoding: .utf8)
        let error = #expect(throws: PKIError.self) { try TokenFile.loadOrCreate(at: directory.file("token")) }
        #expect(error?.description == "reading the token \(directory.file("token").path): the file is empty")
    }

    @Test("kubectl reads the kubeconfig: server, token, CA, context names")
    func kubeconfigReadByKubectl() throws {
        let directory = try PKITestDirectory()
        let pki = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        let token = try TokenFile.loadOrCreate(at: directory.file("token"))
        let url = directory.file("etc/kubeconfig.yaml")
        try KubeconfigWriter.write(to: url, server: "https://127.0.0.1:6443", caPEM: pki.caCertificatePEM, token: token)
        #expect(try directory.mode("etc/kubeconfig.yaml") == 0o600)

        let result = try runTool(kubectlPath, ["config", "view", "--kubeconfig", url.path, "-o", "json", "--raw"])
        #expect(result.status == 0, "kubectl config view: \(result.errorOutput)")
        let config = try JSONValue(jsonString: result.output)
        #expect(config["current-context"] == "skiff")
        #expect(config["clusters"][0]["name"] == "skiff")
        #expect(config["clusters"][0]["cluster"]["server"] == "https://127.0.0.1:6443")
        let caData = config["clusters"][0]["cluster"]["certificate-authority-data"].stringValue ?? ""
        #expect(Data(base64Encoded: caData).map { String(decoding: $0, as: UTF8.self) } == pki.caCertificatePEM)
        #expect(config["users"][0]["name"] == "skiff")
        #expect(config["users"][0]["user"]["token"] == .string(token))
        #expect(config["contexts"][0]["name"] == "skiff")
        #expect(config["contexts"][0]["context"]["cluster"] == "skiff")
        #expect(config["contexts"][0]["context"]["user"] == "skiff")
    }

    @Test("kubectl connects with the kubeconfig: Go accepts the chain and the IP SAN; another CA is refused")
    func kubectlTrustsServedCertificate() throws {
        let directory = try PKITestDirectory()
        let pki = try ClusterPKI.loadOrCreate(directory: directory.url, hosts: [], ipAddresses: [])
        let server = try OpenSSLTestServer(
            certificate: directory.file("tls/server.crt").path, key: directory.file("tls/server.key").path)
        let kubeconfig = directory.file("kubeconfig")
        try KubeconfigWriter.write(
            to: kubeconfig, server: "https://127.0.0.1:\(server.port)", caPEM: pki.caCertificatePEM, token: "t")
        let trusted = try runTool(kubectlPath, ["--kubeconfig", kubeconfig.path, "get", "--raw", "/"])
        #expect(trusted.status == 0, "kubectl: \(trusted.errorOutput)")
        #expect(trusted.output.contains("s_server"))

        let other = try PKITestDirectory()
        let foreign = try ClusterPKI.loadOrCreate(directory: other.url, hosts: [], ipAddresses: [])
        try KubeconfigWriter.write(
            to: kubeconfig, server: "https://127.0.0.1:\(server.port)", caPEM: foreign.caCertificatePEM, token: "t")
        let refused = try runTool(kubectlPath, ["--kubeconfig", kubeconfig.path, "get", "--raw", "/"])
        #expect(refused.status != 0)
        #expect(refused.errorOutput.contains("certificate signed by unknown authority"), "\(refused.errorOutput)")
    }

    @Test("values that need quoting in YAML survive: an IPv6 server, quotes and backslashes")
    func kubeconfigQuoting() throws {
        let directory = try PKITestDirectory()
        let url = directory.file("kubeconfig")
        let token = "a\"b\\c: #d"
        try KubeconfigWriter.write(to: url, server: "https://[::1]:6443", caPEM: "pem", token: token)
        let result = try runTool(kubectlPath, ["config", "view", "--kubeconfig", url.path, "-o", "json", "--raw"])
        #expect(result.status == 0, "kubectl config view: \(result.errorOutput)")
        let config = try JSONValue(jsonString: result.output)
        #expect(config["clusters"][0]["cluster"]["server"] == "https://[::1]:6443")
        #expect(config["users"][0]["user"]["token"] == .string(token))
    }

    @Test("rewriting the kubeconfig replaces it whole and leaves no temporary file")
    func kubeconfigRewrite() throws {
        let directory = try PKITestDirectory()
        let url = directory.file("kubeconfig")
        try KubeconfigWriter.write(to: url, server: "https://127.0.0.1:6443", caPEM: "one", token: "t1")
        try KubeconfigWriter.write(to: url, server: "https://10.0.0.5:6443", caPEM: "two", token: "t2")
        let text = try directory.text("kubeconfig")
        #expect(text.contains("server: \"https://10.0.0.5:6443\""))
        #expect(!text.contains("t1"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["kubeconfig"])
    }
}
