import ArgumentParser
import SkiffClient

/// `skiff delete TYPE NAME… | TYPE/NAME… | -f FILE | TYPE -l SEL | TYPE --all`.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete resources by file names, stdin, resources and names, or by selector.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "TYPE NAME…, or TYPE/NAME….", completion: KubeCompletion.resourceTypes)
    var resources: [String] = []
    @Option(name: [.short, .customLong("filename")], help: "Delete the objects of a manifest file or directory.")
    var filename: [String] = []
    @Flag(name: [.customShort("R"), .long], help: "Also read the directories under a -f directory.")
    var recursive = false
    @Option(name: [.customShort("l"), .long], help: "Label selector.")
    var selector: String?
    @Option(help: "Field selector.")
    var fieldSelector: String?
    @Flag(help: "Delete every object of the given types.")
    var all = false
    @Option(help: "Wait until the objects are gone (default true).")
    var wait = true
    @Option(help: "How long to wait, e.g. 60s (0: as long as it takes).")
    var timeout: KubeDuration?
    @Flag(help: "Succeed when an object does not exist.")
    var ignoreNotFound = false
    @Option(help: "Seconds a pod gets to stop (-1: its own setting).")
    var gracePeriod: Int = -1
    @Flag(help: "Stop pods at once (grace period 1).")
    var now = false

    func run() async throws {
        var options = DeleteOptions()
        options.wait = wait
        options.timeout = timeout?.duration
        options.ignoreNotFound = ignoreNotFound
        options.labelSelector = selector
        options.fieldSelector = fieldSelector
        options.all = all
        options.gracePeriod = now ? 1 : (gracePeriod >= 0 ? gracePeriod : nil)
        let resources = resources
        let settings = options
        if !filename.isEmpty {
            let documents = try KubeRunner.manifests(filename, recursive: recursive, validate: false, verb: "delete")
            try await KubeRunner.run(kube) { session, output throws(CtlError) in
                try await ResourceDeleter(session: session, options: settings, output: output).run(documents)
            }
            return
        }
        try await KubeRunner.run(kube) { session, output throws(CtlError) in
            let arguments = try ResourceArguments(resources, registry: session.registry, verb: "delete")
            return try await ResourceDeleter(session: session, options: settings, output: output).run(arguments)
        }
    }
}
