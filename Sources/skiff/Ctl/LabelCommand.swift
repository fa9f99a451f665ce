import ArgumentParser
import SkiffClient

/// `skiff label TYPE NAME k=v k-` and `skiff annotate TYPE NAME k=v k-`.
struct LabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label", abstract: "Update the labels on resources.")

    @OptionGroup var kube: KubeOptions
    @OptionGroup var edit: MetadataEditOptions

    func run() async throws {
        try await edit.run(.labels, kube: kube)
    }
}

struct AnnotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate", abstract: "Update the annotations on resources.")

    @OptionGroup var kube: KubeOptions
    @OptionGroup var edit: MetadataEditOptions

    func run() async throws {
        try await edit.run(.annotations, kube: kube)
    }
}

/// The arguments and flags `label` and `annotate` share.
struct MetadataEditOptions: ParsableArguments {
    @Argument(help: "TYPE NAME… (or TYPE/NAME…), then KEY=VALUE to set and KEY- to remove.", completion: KubeCompletion.resourceTypes)
    var arguments: [String] = []
    @Flag(help: "Allow changing a key that already has a value.")
    var overwrite = false
    @Option(name: [.customShort("l"), .long], help: "Edit every object the label selector matches.")
    var selector: String?
    @Flag(help: "Edit every object of the type.")
    var all = false

    func run(_ field: MetadataEdit.Field, kube: KubeOptions) async throws {
        let changes = arguments.filter { $0.contains("=") || ($0.hasSuffix("-") && !$0.contains("/")) }
        let resources = arguments.filter { !changes.contains($0) }
        try await KubeRunner.run(kube) { session, output throws(CtlError) in
            let edit = try MetadataEdit(field: field, arguments: changes)
            let targets = try ResourceArguments(resources, registry: session.registry, verb: field == .labels ? "label" : "annotate")
            return try await MetadataEditAction(session: session, output: output)
                .run(targets, edit: edit, overwrite: overwrite, labelSelector: selector, all: all)
        }
    }
}
