import ArgumentParser
import SkiffClient

/// kubectl's global flags, accepted before or after the subcommand
/// (`skiff --kubeconfig F get pods`, `skiff get pods -n kube-system`).
///
/// Declared on the root command and again on each API subcommand, which then inherits the
/// root's parsed values (ArgumentParser reuses an option group decoded by a parent), so the
/// flags also appear in each subcommand's help.
struct KubeOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file to use.")
    var kubeconfig: String?

    @Option(help: "The name of the kubeconfig context to use.")
    var context: String?

    @Option(name: [.short, .long], help: "If present, the namespace scope for this request.")
    var namespace: String?

    @Option(help: "How long to wait for the server, e.g. 30s (0: no limit). A watch simply ends then.")
    var requestTimeout: KubeDuration?

    /// The kubeconfig file in use.
    var kubeconfigPath: String {
        Kubeconfig.defaultPath(explicit: kubeconfig)
    }
}
