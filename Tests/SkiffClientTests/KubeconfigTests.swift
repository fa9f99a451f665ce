import Foundation
import SkiffTestSupport
import SkiffAPI
import Testing

@testable import SkiffClient

@Suite("Kubeconfig")
struct KubeconfigTests {
    @Test("the kubeconfig skiffd writes resolves to its server, CA, token and the default namespace")
    func skiffdKubeconfigResolves() throws {
        let directory = try KubeconfigTestDirectory()
        let path = try directory.write("config", skiffdKubeconfig())
        let config = try Kubeconfig.load(path: path)
        #expect(config.currentContext == "skiff")
        #expect(config.path == path)
        let settings = try config.resolve(context: nil)
        #expect(settings.server == "https://127.0.0.1:6443")
        #expect(settings.caPEM == fixtureCAPEM)
        #expect(settings.token == "0123abcd")
        #expect(settings.namespace == "default")
        #expect(!settings.insecureSkipTLSVerify)
    }

    @Test("several contexts: --context picks one; files are read relative to the kubeconfig")
    func contextsAndRelativeFiles() throws {
        let directory = try KubeconfigTestDirectory()
        try directory.write("ca.crt", fixtureCAPEM)
        try directory.write("token", "from-file\n")
        let path = try directory.write(
            "config",
            """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: home
              cluster:
                server: https://10.0.0.5:6443
                certificate-authority: ca.crt
            - name: lab
              cluster:
                server: https://lab:6443
                insecure-skip-tls-verify: true
            users:
            - name: admin
              user:
                tokenFile: token
            - name: viewer
              user:
                token: view-token
            contexts:
            - name: dev
              context: {cluster: home, user: admin, namespace: team-a}
            - name: lab
              context:
                cluster: lab
                user: viewer
            """)
        let config = try Kubeconfig.load(path: path)
        #expect(config.contexts.keys.sorted() == ["dev", "lab"])
        #expect(config.clusters["home"]?.certificateAuthority == "ca.crt")

        let dev = try config.resolve(context: nil)
        #expect(dev.server == "https://10.0.0.5:6443")
        #expect(dev.caPEM == fixtureCAPEM)
        #expect(dev.token == "from-file")
        #expect(dev.namespace == "team-a")

        let lab = try config.resolve(context: "lab")
        #expect(lab.server == "https://lab:6443")
        #expect(lab.insecureSkipTLSVerify)
        #expect(lab.caPEM == nil)
        #expect(lab.token == "view-token")
        #expect(lab.namespace == "default")
    }

    @Test("client certificate data is decoded for kubeconfigs that use it (k3s's own)")
    func clientCertificateData() throws {
        let certificate = "-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n"
        let key = "-----BEGIN EC PRIVATE KEY-----\na2V5\n-----END EC PRIVATE KEY-----\n"
        let config = try Kubeconfig.parse(
            """
            clusters: [{name: k3s, cluster: {server: "https://127.0.0.1:6443"}}]
            users:
            - name: k3s
              user:
                client-certificate-data: \(Data(certificate.utf8).base64EncodedString())
                client-key-data: \(Data(key.utf8).base64EncodedString())
            contexts: [{name: k3s, context: {cluster: k3s, user: k3s}}]
            current-context: k3s
            """, path: nil)
        let settings = try config.resolve(context: nil)
        #expect(settings.clientCertificatePEM == certificate)
        #expect(settings.clientKeyPEM == key)
        #expect(settings.token == nil)
    }

    @Test("a missing file: kubectl's message naming it")
    func missingFile() throws {
        let directory = try KubeconfigTestDirectory()
        let path = directory.path("absent")
        let error = #expect(throws: ClientError.self) { try Kubeconfig.load(path: path) }
        #expect(error?.kind == .kubeconfig)
        #expect(error?.message == "error loading config file \"\(path)\": open \(path): no such file or directory")
    }

    @Test("YAML that does not parse: the file and the line")
    func badYAML() throws {
        let directory = try KubeconfigTestDirectory()
        let path = try directory.write("config", "clusters:\n- name: a\n  cluster: [\n")
        let error = #expect(throws: ClientError.self) { try Kubeconfig.load(path: path) }
        #expect(
            error?.message.hasPrefix("error loading config file \"\(path)\": yaml: line ") == true,
            "\(String(describing: error))")
        #expect(error?.message.contains("\n") == false)
    }

    @Test(
        "a kubeconfig of the wrong shape names the field",
        arguments: [
            ("clusters: {a: b}", "clusters must be a list"),
            ("clusters:\n- cluster: {server: x}", "clusters[0].name is missing"),
            ("users:\n- name: u\n  user: {token: [1]}", "users[0].user.token must be a string"),
            (
                "clusters:\n- name: c\n  cluster: {certificate-authority-data: '!!!'}",
                "clusters[0].cluster.certificate-authority-data is not valid base64 of PEM text"
            ),
            (
                "clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: maybe}",
                "clusters[0].cluster.insecure-skip-tls-verify must be true or false"
            ),
            ("- a\n- b", "the document is not a mapping"),
        ])
    func wrongShape(text: String, expected: String) throws {
        let directory = try KubeconfigTestDirectory()
        let path = try directory.write("config", text)
        let error = #expect(throws: ClientError.self) { try Kubeconfig.load(path: path) }
        #expect(error?.message == "error loading config file \"\(path)\": \(expected)")
    }

    @Test("an empty file is an empty kubeconfig, and resolving it says no context is set")
    func emptyFile() throws {
        let directory = try KubeconfigTestDirectory()
        let path = try directory.write("config", "")
        let config = try Kubeconfig.load(path: path)
        #expect(config.contexts.isEmpty)
        let error = #expect(throws: ClientError.self) { try config.resolve(context: nil) }
        #expect(error?.message.hasPrefix("current-context is not set") == true)
        #expect(error?.message.hasSuffix("(kubeconfig \(path))") == true)
    }

    @Test("resolve errors use kubectl's words and name the file")
    func resolveErrors() throws {
        let directory = try KubeconfigTestDirectory()
        let path = try directory.write(
            "config",
            """
            clusters:
            - name: noserver
              cluster: {}
            - name: both
              cluster: {server: "https://x", insecure-skip-tls-verify: true, certificate-authority-data: \(Data("pem".utf8).base64EncodedString())}
            - name: ok
              cluster: {server: "https://x", certificate-authority: missing-ca.crt}
            contexts:
            - {name: nocluster, context: {cluster: ghost, user: ""}}
            - {name: nouser, context: {cluster: ok, user: ghost}}
            - {name: noserver, context: {cluster: noserver}}
            - {name: both, context: {cluster: both}}
            - {name: noca, context: {cluster: ok}}
            """)
        let config = try Kubeconfig.load(path: path)
        let suffix = " (kubeconfig \(path))"
        let cases: [(String, String)] = [
            ("absent", "context was not found for specified context: absent"),
            ("nocluster", "cluster \"ghost\" was not found for context \"nocluster\""),
            ("nouser", "user \"ghost\" was not found for context \"nouser\""),
            ("noserver", "no server found for cluster \"noserver\""),
            ("both", "specifying a root certificates file with the insecure flag is not allowed"),
            (
                "noca",
                "unable to read certificate-authority \(directory.path("missing-ca.crt")) for ok due to open \(directory.path("missing-ca.crt")): no such file or directory"
            ),
        ]
        for (context, message) in cases {
            let error = #expect(throws: ClientError.self) { try config.resolve(context: context) }
            #expect(error?.message == message + suffix)
        }
    }

    @Test("use-context and set-context rewrite the file, keeping what Skiff does not model; kubectl reads it")
    func editAndSave() throws {
        let directory = try KubeconfigTestDirectory()
        let path = try directory.write(
            "config",
            """
            apiVersion: v1
            kind: Config
            preferences: {colors: true}
            clusters:
            - name: a
              cluster:
                server: https://a:6443
                proxy-url: http://proxy:3128
                extensions:
                - name: note
                  extension: {owner: ops, port: "6443"}
            - name: b
              cluster: {server: https://b:6443}
            users:
            - name: u
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1, command: get-token, args: ["--x", "1"]}
            contexts:
            - {name: a, context: {cluster: a, user: u}}
            - {name: b, context: {cluster: b, user: u, namespace: old}}
            current-context: a
            """)
        var config = try Kubeconfig.load(path: path)
        try config.setCurrentContext("b")
        try config.setNamespace("team-b", context: nil)
        try config.save(to: path)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0) & 0o777 == 0o600)

        let reloaded = try Kubeconfig.load(path: path)
        #expect(reloaded.currentContext == "b")
        #expect(try reloaded.resolve(context: nil).namespace == "team-b")

        let view = try runKubectl(["config", "view", "--kubeconfig", path, "-o", "json", "--raw"])
        let json = try JSONValue(jsonString: view)
        #expect(json["current-context"] == "b")
        #expect(json["preferences"]["colors"] == true)
        let clusterA = json["clusters"].arrayValue?.first { $0["name"] == "a" }
        #expect(clusterA?["cluster"]["proxy-url"] == "http://proxy:3128")
        #expect(clusterA?["cluster"]["extensions"][0]["extension"]["port"] == "6443", "a quoted number stays a string")
        #expect(json["users"][0]["user"]["exec"]["command"] == "get-token")
        #expect(json["users"][0]["user"]["exec"]["args"] == ["--x", "1"])
        let contextB = json["contexts"].arrayValue?.first { $0["name"] == "b" }
        #expect(contextB?["context"]["namespace"] == "team-b")
    }

    @Test("use-context of an unknown name fails with kubectl's message")
    func useUnknownContext() throws {
        var config = try Kubeconfig.parse(skiffdKubeconfig(), path: "/k")
        let error = #expect(throws: ClientError.self) { try config.setCurrentContext("nope") }
        #expect(error?.message == "no context exists with the name: \"nope\" (kubeconfig /k)")
        #expect(config.currentContext == "skiff")
    }

    @Test("entries added in memory are written as kubeconfig entries")
    func buildInMemory() throws {
        let directory = try KubeconfigTestDirectory()
        var config = Kubeconfig()
        config.clusters["c"] = KubeCluster(server: "https://c:6443", certificateAuthorityData: fixtureCAPEM)
        config.users["u"] = KubeUser(token: "123")
        config.contexts["x"] = KubeContext(cluster: "c", user: "u")
        try config.setCurrentContext("x")
        let path = directory.path("new/config")
        try FileManager.default.createDirectory(atPath: directory.path("new"), withIntermediateDirectories: true)
        try config.save(to: path)
        let settings = try Kubeconfig.load(path: path).resolve(context: nil)
        #expect(settings.server == "https://c:6443")
        #expect(settings.caPEM == fixtureCAPEM)
        #expect(settings.token == "123", "a numeric-looking token must stay a string")
    }
}

@Suite("Kubeconfig default path")
struct KubeconfigDefaultPathTests {
    private func choose(
        explicit: String? = nil, kubeconfigVariable: String? = nil, existing: Set<String> = []
    ) -> String {
        var environment = ["HOME": "/home/me"]
        environment["KUBECONFIG"] = kubeconfigVariable
        return Kubeconfig.defaultPath(
            explicit: explicit, environment: environment, homeDirectory: "/ignored", fileExists: existing.contains)
    }

    @Test("--kubeconfig wins over everything")
    func explicit() {
        #expect(choose(explicit: "/x", kubeconfigVariable: "/y", existing: ["/y", "/home/me/.kube/config"]) == "/x")
    }

    @Test("$KUBECONFIG: the first existing entry, else its first entry")
    func environmentList() {
        #expect(choose(kubeconfigVariable: "/a:/b:/c", existing: ["/b", "/c"]) == "/b")
        #expect(choose(kubeconfigVariable: "/a:/b", existing: ["/home/me/.kube/config"]) == "/a")
        #expect(choose(kubeconfigVariable: ":/b", existing: ["/b"]) == "/b")
    }

    @Test("an empty $KUBECONFIG is ignored, then ~/.kube/config, then skiffd's kubeconfig")
    func fallbacks() {
        #expect(choose(kubeconfigVariable: "", existing: ["/home/me/.kube/config"]) == "/home/me/.kube/config")
        #expect(choose(existing: ["/home/me/.kube/config"]) == "/home/me/.kube/config")
        #expect(choose() == "/var/lib/skiff/kubeconfig.yaml")
    }
}

/// `kubectl ARGS` output; kubectl checks our files independently of our parser.
private func runKubectl(_ arguments: [String]) throws -> String {
    let result = try ChildProcess.run("/usr/bin/kubectl", arguments, timeout: .seconds(60))
    #expect(result.status == 0, "kubectl \(arguments) failed")
    return result.stdout
}
