import ArgumentParser
import SkiffClient

/// `skiff config view|get-contexts|current-context|use-context|set-context`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show or edit the kubeconfig file.",
        subcommands: [View.self, GetContexts.self, CurrentContext.self, UseContext.self, SetContext.self])

    struct View: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the kubeconfig, secrets redacted.")
        @OptionGroup var kube: KubeOptions
        @Flag(help: "Show certificates and tokens.")
        var raw = false
        @Flag(help: "Only what the current context uses.")
        var minify = false
        @Option(name: .shortAndLong, help: "yaml (default) or json.")
        var output = "yaml"

        func run() throws {
            try KubeRunner.local { out throws(CtlError) in
                try KubeconfigCommands(path: kube.kubeconfigPath, output: out)
                    .view(raw: raw, minify: minify, json: output == "json", context: kube.context)
            }
        }
    }

    struct GetContexts: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get-contexts", abstract: "List the contexts.")
        @OptionGroup var kube: KubeOptions
        @Argument var names: [String] = []
        @Option(name: .shortAndLong, help: "name: print only the names.")
        var output: String?

        func run() throws {
            try KubeRunner.local { out throws(CtlError) in
                try KubeconfigCommands(path: kube.kubeconfigPath, output: out).getContexts(names, namesOnly: output == "name")
            }
        }
    }

    struct CurrentContext: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "current-context", abstract: "Print the current context.")
        @OptionGroup var kube: KubeOptions

        func run() throws {
            try KubeRunner.local { out throws(CtlError) in
                try KubeconfigCommands(path: kube.kubeconfigPath, output: out).currentContext()
            }
        }
    }

    struct UseContext: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "use-context", abstract: "Set the current context.")
        @OptionGroup var kube: KubeOptions
        @Argument var name: String

        func run() throws {
            try KubeRunner.local { out throws(CtlError) in
                try KubeconfigCommands(path: kube.kubeconfigPath, output: out).useContext(name)
            }
        }
    }

    /// `--namespace` here is the context's namespace; it is read from the global option,
    /// which ArgumentParser parses first.
    struct SetContext: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-context", abstract: "Set a context's namespace, cluster or user.")
        @OptionGroup var kube: KubeOptions
        @Argument var name: String?
        @Flag(help: "Modify the current context.")
        var current = false
        @Option(help: "The context's cluster.")
        var cluster: String?
        @Option(help: "The context's user.")
        var user: String?

        func run() throws {
            try KubeRunner.local { out throws(CtlError) in
                try KubeconfigCommands(path: kube.kubeconfigPath, output: out)
                    .setContext(name, current: current, namespace: kube.namespace, cluster: cluster, user: user)
            }
        }
    }
}
