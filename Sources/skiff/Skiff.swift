import ArgumentParser

/// `skiff`: the ctl. Talks to the node's runtime directly for images and OCI
/// bundles (like `ctr`/`crun`), and to the API server for Kubernetes objects.
@main
struct Skiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "Skiff: a lean Kubernetes-style node runtime and its ctl.",
        version: SkiffVersion.string,
        subcommands: [ImageCommand.self, RuntimeCommand.self, VersionCommand.self]
    )
}

enum SkiffVersion {
    static let string = "0.1.0"
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the skiff version.")

    func run() {
        print("skiff version \(SkiffVersion.string)")
    }
}
