import ArgumentParser
import SkiffClient

/// `skiff apply -f FILE|DIR|-`: client-side apply, as kubectl does it.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply a configuration to resources by file name or stdin.")

    @OptionGroup var kube: KubeOptions
    @OptionGroup var files: ManifestFileOptions

    func run() async throws {
        let documents = try files.load(verb: "apply")
        try await KubeRunner.run(kube) { session, output throws(CtlError) in
            try await ManifestApplier(session: session, output: output, fieldValidation: files.fieldValidation).apply(documents)
        }
    }
}

/// `skiff create -f FILE|DIR|-`.
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create resources from a file or stdin.")

    @OptionGroup var kube: KubeOptions
    @OptionGroup var files: ManifestFileOptions
    @Flag(help: "Also store the configuration in the last-applied annotation, so `apply` can follow.")
    var saveConfig = false

    func run() async throws {
        let documents = try files.load(verb: "create")
        try await KubeRunner.run(kube) { session, output throws(CtlError) in
            try await ManifestApplier(
                session: session, output: output, fieldValidation: files.fieldValidation, saveConfig: saveConfig
            ).create(documents)
        }
    }
}

/// `-f`, `-R` and `--validate`, shared by the commands that read manifests.
struct ManifestFileOptions: ParsableArguments {
    @Option(name: [.short, .customLong("filename")], help: "A manifest file, a directory of them, or - for stdin.")
    var filename: [String] = []

    @Flag(name: [.customShort("R"), .long], help: "Also read the directories under a -f directory.")
    var recursive = false

    @Option(help: "strict (default, or true): check manifests and have the server reject unknown fields; warn: the server only warns; false (or ignore): neither.")
    var validate = "strict"

    /// Client-side checks run unless validation is off.
    var validates: Bool { fieldValidation != "Ignore" }

    /// The `fieldValidation` query value kubectl sends for `--validate`.
    var fieldValidation: String {
        switch validate.lowercased() {
        case "false", "ignore": return "Ignore"
        case "warn": return "Warn"
        default: return "Strict"
        }
    }

    /// The objects of every `-f`, or kubectl's refusal (exit 1) before anything is sent.
    func load(verb: String) throws -> [ManifestDocument] {
        guard !filename.isEmpty else {
            CtlOutput.standard.err("error: must specify one of -f and -k\n")
            throw ExitCode(1)
        }
        return try KubeRunner.manifests(filename, recursive: recursive, validate: validates, verb: verb)
    }
}
