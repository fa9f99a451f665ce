import ArgumentParser
import SkiffClient

/// `skiff scale TYPE/NAME --replicas=N` (or `TYPE NAME`).
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Set a new size for a deployment, replica set or stateful set.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "TYPE/NAME, or TYPE NAME.", completion: KubeCompletion.resourceTypes)
    var resources: [String] = []
    @Option(help: "The new desired number of replicas.")
    var replicas: Int
    @Option(help: "Only scale if the current number of replicas is this.")
    var currentReplicas: Int?

    func run() async throws {
        let resources = resources
        try await KubeRunner.run(kube) { session, output throws(CtlError) in
            let arguments = try ResourceArguments(resources, registry: session.registry, verb: "scale")
            return try await ScaleAction(session: session, output: output)
                .run(arguments, replicas: replicas, currentReplicas: currentReplicas)
        }
    }
}

/// `skiff set image TYPE/NAME CONTAINER=IMAGE…`.
struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set specific features on objects.", subcommands: [Image.self])

    struct Image: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "image", abstract: "Update the image of containers in a pod template or pod.")

        @OptionGroup var kube: KubeOptions
        @Argument(help: "TYPE/NAME (or TYPE NAME), then CONTAINER=IMAGE… (`*` for every container).")
        var arguments: [String] = []

        func run() async throws {
            let resources = arguments.filter { !$0.contains("=") }
            let updates = arguments.filter { $0.contains("=") }
            try await KubeRunner.run(kube) { session, output throws(CtlError) in
                let images = try SetImagePatch.parse(updates)
                let targets = try ResourceArguments(resources, registry: session.registry, verb: "set image")
                return try await SetImageAction(session: session, output: output).run(targets, images: images)
            }
        }
    }
}
