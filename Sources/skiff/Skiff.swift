import ArgumentParser

/// `skiff`: the ctl. Talks to the node's runtime directly for images and OCI
/// bundles (like `ctr`/`crun`), and to the API server for Kubernetes objects.
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "Skiff: a lean Kubernetes-style node runtime and its ctl.",
        version: SkiffVersion.string,
        subcommands: [
            ImageCommand.self, RuntimeCommand.self, KubeVersionCommand.self,
            ApplyCommand.self, CreateCommand.self, GetCommand.self, DescribeCommand.self, DeleteCommand.self,
            ScaleCommand.self, SetCommand.self, RolloutCommand.self, LogsCommand.self, ExecCommand.self, LabelCommand.self,
            AnnotateCommand.self, ConfigCommand.self, APIResourcesCommand.self,
        ]
    )

    /// kubectl's global flags (`--kubeconfig`, `--context`, `-n`), usable before the subcommand.
    @OptionGroup(title: "Kubernetes API options") var kube: KubeOptions
}

enum SkiffVersion {
    static let string = "0.1.0"
}
