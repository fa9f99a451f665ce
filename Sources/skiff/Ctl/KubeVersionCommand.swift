import ArgumentParser
import Foundation
import SkiffAPI
import SkiffClient

/// `skiff version`: this client's version, then the API server's (`GET /version`) when a
/// kubeconfig is present; `--client` skips the server.
struct KubeVersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the skiff version and the API server's.")

    @OptionGroup var kube: KubeOptions
    @Flag(help: "Only the client version; do not contact the server.")
    var client = false

    func run() async throws {
        CtlOutput.standard.out("skiff version \(SkiffVersion.string)\n")
        guard !client, FileManager.default.fileExists(atPath: kube.kubeconfigPath) else { return }
        try await KubeRunner.run(kube) { session, output throws(CtlError) in
            output.out("Server Version: \(try await ServerVersion.fetch(session))\n")
            return true
        }
    }
}

/// `skiff api-resources`: the resource types, their short names and kinds.
struct APIResourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-resources", abstract: "Print the supported API resources.")

    func run() {
        var writer = TabWriter.kubectlTable()
        writer.append(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"])
        // kubectl lists by group (core first), then by name.
        let sorted = ResourceRegistry.builtin.resources.sorted { ($0.group, $0.plural) < ($1.group, $1.plural) }
        for resource in sorted {
            writer.append([
                resource.plural, resource.shortNames.joined(separator: ","), resource.apiVersion,
                resource.namespaced ? "true" : "false", resource.kind,
            ])
        }
        CtlOutput.standard.out(writer.flush())
    }
}
