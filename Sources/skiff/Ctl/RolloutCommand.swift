import ArgumentParser
import SkiffAPI
import SkiffClient

/// `skiff rollout status|history|undo|restart deployment/NAME`.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Manage the rollout of a deployment.",
        subcommands: [Status.self, History.self, Undo.self, Restart.self])

    /// The one object a rollout verb acts on: `TYPE/NAME` or `TYPE NAME`.
    static func target(_ arguments: [String], session: KubeSession, verb: String) throws(CtlError) -> (ResourceKind, String) {
        let parsed = try ResourceArguments(arguments, registry: session.registry, verb: "rollout \(verb)")
        guard parsed.selections.count == 1, parsed.selections[0].names.count == 1 else {
            throw .message("required resource name not specified; use TYPE/NAME, e.g. deployment/notepad")
        }
        return (parsed.selections[0].kind, parsed.selections[0].names[0])
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Watch a rollout until it completes.")
        @OptionGroup var kube: KubeOptions
        @Argument(help: "TYPE/NAME, or TYPE NAME.", completion: KubeCompletion.resourceTypes)
        var resources: [String] = []
        @Option(name: .shortAndLong, help: "Keep watching until the rollout finishes (default true).")
        var watch = true
        @Option(help: "How long to wait, e.g. 5m (0: as long as it takes).")
        var timeout: KubeDuration?

        func run() async throws {
            let resources = resources
            try await KubeRunner.run(kube) { session, output throws(CtlError) in
                let (kind, name) = try RolloutCommand.target(resources, session: session, verb: "status")
                try await RolloutAction(session: session, output: output)
                    .status(kind, name: name, watch: watch, timeout: timeout?.duration)
                return true
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the revisions of a deployment.")
        @OptionGroup var kube: KubeOptions
        @Argument(help: "TYPE/NAME, or TYPE NAME.", completion: KubeCompletion.resourceTypes)
        var resources: [String] = []
        @Option(help: "Show the pod template of this revision.")
        var revision: Int64 = 0

        func run() async throws {
            let resources = resources
            try await KubeRunner.run(kube) { session, output throws(CtlError) in
                let (kind, name) = try RolloutCommand.target(resources, session: session, verb: "history")
                try await RolloutAction(session: session, output: output).history(kind, name: name, revision: revision)
                return true
            }
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Roll back to the previous (or a given) revision.")
        @OptionGroup var kube: KubeOptions
        @Argument(help: "TYPE/NAME, or TYPE NAME.", completion: KubeCompletion.resourceTypes)
        var resources: [String] = []
        @Option(help: "The revision to roll back to (0: the previous one).")
        var toRevision: Int64 = 0

        func run() async throws {
            let resources = resources
            try await KubeRunner.run(kube) { session, output throws(CtlError) in
                let (kind, name) = try RolloutCommand.target(resources, session: session, verb: "undo")
                try await RolloutAction(session: session, output: output).undo(kind, name: name, toRevision: toRevision)
                return true
            }
        }
    }

    struct Restart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restart every pod of a workload, rolling.")
        @OptionGroup var kube: KubeOptions
        @Argument(help: "TYPE/NAME, or TYPE NAME.", completion: KubeCompletion.resourceTypes)
        var resources: [String] = []

        func run() async throws {
            let resources = resources
            try await KubeRunner.run(kube) { session, output throws(CtlError) in
                let (kind, name) = try RolloutCommand.target(resources, session: session, verb: "restart")
                try await RolloutAction(session: session, output: output).restart(kind, name: name)
                return true
            }
        }
    }
}
