import ArgumentParser
import SkiffClient

/// `skiff logs POD [CONTAINER] [-c C] [-f] [--previous] [--tail N]` (or `TYPE/NAME`).
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print the logs of a container in a pod.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "POD or TYPE/NAME, optionally followed by the container.")
    var target: String
    @Argument(help: "The container (same as -c).")
    var containerArgument: String?
    @Option(name: .shortAndLong, help: "The container to print the logs of.")
    var container: String?
    @Flag(name: .shortAndLong, help: "Keep streaming new lines.")
    var follow = false
    @Flag(name: .shortAndLong, help: "The previous, terminated instance of the container.")
    var previous = false
    @Option(help: "Lines of recent log to show (-1: all).")
    var tail: Int = -1
    @Flag(help: "Prefix each line with its timestamp.")
    var timestamps = false
    @Option(help: "Only lines newer than this, e.g. 5s, 2m, 3h.")
    var since: KubeDuration?

    func run() async throws {
        var options = LogsOptions()
        options.container = container ?? containerArgument
        options.follow = follow
        options.previous = previous
        options.tail = tail >= 0 ? tail : nil
        options.timestamps = timestamps
        if let duration = since?.duration { options.sinceSeconds = max(1, Int(duration.components.seconds)) }
        let target = target
        let settings = options
        try await KubeRunner.run(kube, streaming: follow) { session, output throws(CtlError) in
            try await LogsAction(session: session, output: output).run(target, options: settings)
            return true
        }
    }
}
