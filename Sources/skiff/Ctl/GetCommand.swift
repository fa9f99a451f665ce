import ArgumentParser
import Foundation
import SkiffClient

/// `skiff get TYPE[,TYPE] [NAME…] | TYPE/NAME…`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Display one or many resources.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "TYPE[,TYPE…] [NAME…], or TYPE/NAME…; `all` for the common workload types.", completion: KubeCompletion.resourceTypes)
    var resources: [String] = []
    @Option(name: .shortAndLong, help: "wide, yaml, json, name, jsonpath=…, custom-columns=….")
    var output: String?
    @Option(name: [.customShort("l"), .long], help: "Label selector (e.g. app=mytest).")
    var selector: String?
    @Option(help: "Field selector (e.g. status.phase=Running).")
    var fieldSelector: String?
    @Flag(name: [.customShort("A"), .long], help: "List across all namespaces.")
    var allNamespaces = false
    @Flag(name: .shortAndLong, help: "After listing, watch for changes.")
    var watch = false
    @Flag(help: "Watch for changes without listing first.")
    var watchOnly = false
    @Flag(help: "Show labels as the last column.")
    var showLabels = false
    @Flag(help: "Prefix names with their kind.")
    var showKind = false
    @Flag(help: "Do not print headers.")
    var noHeaders = false
    @Option(name: [.customShort("L"), .customLong("label-columns")], help: "A label to show as a column.")
    var labelColumns: [String] = []
    @Flag(help: "Do not report objects that do not exist.")
    var ignoreNotFound = false
    @Option(name: [.short, .customLong("filename")], help: "Get the objects a manifest file or directory names.")
    var filename: [String] = []
    @Flag(name: [.customShort("R"), .long], help: "Also read the directories under a -f directory.")
    var recursive = false

    func run() async throws {
        var options = GetOptions()
        do {
            options.output = try OutputFormat(output) { try String(contentsOfFile: $0, encoding: .utf8) }
        } catch {
            CtlOutput.standard.err("error: \(error)\n")
            throw ExitCode(1)
        }
        options.labelSelector = selector
        options.fieldSelector = fieldSelector
        options.allNamespaces = allNamespaces
        options.watch = watch
        options.watchOnly = watchOnly
        options.showLabels = showLabels
        options.showKind = showKind
        options.noHeaders = noHeaders
        options.columnLabels = labelColumns.flatMap { $0.split(separator: ",").map(String.init) }
        options.ignoreNotFound = ignoreNotFound
        let resources = resources
        let settings = options
        let documents = filename.isEmpty ? [] : try KubeRunner.manifests(filename, recursive: recursive, validate: false, verb: "get")
        try await KubeRunner.run(kube, streaming: watch || watchOnly) { session, output throws(CtlError) in
            let arguments = documents.isEmpty
                ? try ResourceArguments(resources, registry: session.registry)
                : try ResourceArguments(documents: documents, registry: session.registry)
            return try await ResourceGetter(session: session, options: settings, output: output).run(arguments)
        }
    }
}

/// `skiff describe TYPE NAME | TYPE/NAME | TYPE`.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Show details of a resource or group of resources.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "TYPE [NAME_PREFIX…], or TYPE/NAME.", completion: KubeCompletion.resourceTypes)
    var resources: [String] = []
    @Option(name: [.customShort("l"), .long], help: "Label selector.")
    var selector: String?
    @Flag(name: [.customShort("A"), .long], help: "Describe across all namespaces.")
    var allNamespaces = false
    @Option(help: "Show the events about the object (default true).")
    var showEvents = true
    @Option(name: [.short, .customLong("filename")], help: "Describe the objects a manifest file or directory names.")
    var filename: [String] = []
    @Flag(name: [.customShort("R"), .long], help: "Also read the directories under a -f directory.")
    var recursive = false

    func run() async throws {
        let resources = resources
        let documents = filename.isEmpty ? [] : try KubeRunner.manifests(filename, recursive: recursive, validate: false, verb: "describe")
        try await KubeRunner.run(kube) { session, output throws(CtlError) in
            let arguments = documents.isEmpty
                ? try ResourceArguments(resources, registry: session.registry, verb: "describe")
                : try ResourceArguments(documents: documents, registry: session.registry)
            return try await ResourceDescriber(session: session, output: output, showEvents: showEvents)
                .run(arguments, labelSelector: selector, allNamespaces: allNamespaces)
        }
    }
}
