import Foundation
import Testing

@testable import SkiffClient

/// `config view|get-contexts|current-context|use-context|set-context` on a kubeconfig file.
@Suite struct PrinterConfigTests {
    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: \(Data("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8).base64EncodedString())
            server: https://127.0.0.1:6443
          name: skiff
        contexts:
        - context:
            cluster: skiff
            user: admin
          name: skiff
        - context:
            cluster: skiff
            namespace: dev
            user: admin
          name: dev
        current-context: skiff
        users:
        - name: admin
          user:
            token: s3cret

        """

    private func file() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-config-\(UUID().uuidString).yaml").path
        try Self.kubeconfig.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func viewRedactsSecrets() throws {
        let path = try file()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let printed = ManifestTestOutput()
        try KubeconfigCommands(path: path, output: printed.output).view(raw: false, minify: true, json: false, context: nil)
        #expect(
            printed.out == """
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: DATA+OMITTED
                    server: https://127.0.0.1:6443
                  name: skiff
                contexts:
                - context:
                    cluster: skiff
                    user: admin
                  name: skiff
                current-context: skiff
                kind: Config
                preferences: {}
                users:
                - name: admin
                  user:
                    token: REDACTED

                """)
    }

    @Test func contextsListAndSwitch() throws {
        let path = try file()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let printed = ManifestTestOutput()
        let commands = KubeconfigCommands(path: path, output: printed.output)
        try commands.getContexts([], namesOnly: false)
        try commands.useContext("dev")
        try commands.currentContext()
        try commands.setContext(nil, current: true, namespace: "prod", cluster: nil, user: nil)
        #expect(
            printed.out == """
                CURRENT   NAME    CLUSTER   AUTHINFO   NAMESPACE
                          dev     skiff     admin      dev
                *         skiff   skiff     admin     \u{20}
                Switched to context "dev".
                dev
                Context "dev" modified.

                """)
        #expect(try Kubeconfig.load(path: path).contexts["dev"]?.namespace == "prod")
        #expect(throws: CtlError.self) { try commands.useContext("nope") }
    }
}
