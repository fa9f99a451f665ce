import ArgumentParser
import Foundation
import NodeRuntime

/// `skiff image import|ls|rm`: the node's image store, directly (no registry
/// is reachable, so images arrive as archives).
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Manage the node's images (import, ls, rm).",
        subcommands: [Import.self, List.self, Remove.self])

    struct Options: ParsableArguments {
        @Option(help: "The node's data directory.")
        var dataDir = "/var/lib/skiff"

        func store() throws -> ImageStore {
            try ImageStore(root: RuntimeConfig(dataDir: dataDir).imageStoreDir)
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an OCI image layout (directory or tar) or a docker save archive.")
        @OptionGroup var options: Options
        @Argument(help: "Archives or OCI layout directories.")
        var files: [String]

        func run() throws {
            let store = try options.store()
            for file in files {
                for record in try store.importArchive(path: file) {
                    let tags = record.repoTags.isEmpty ? "<none>" : record.repoTags.joined(separator: ", ")
                    print("imported \(tags) (\(record.id.short))")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List images.")
        @OptionGroup var options: Options

        func run() throws {
            var rows: [[String]] = []
            for record in try options.store().list() {
                let id = String(record.id.description.dropFirst("sha256:".count).prefix(12))
                let size = ByteCountFormatter.string(fromByteCount: record.size, countStyle: .file)
                let tags = record.repoTags.isEmpty ? ["<none>:<none>"] : record.repoTags
                for tag in tags {
                    let (repository, version) = Self.split(tag)
                    rows.append([repository, version, id, size])
                }
            }
            print(TextTable.render(header: ["IMAGE", "TAG", "IMAGE ID", "SIZE"], rows: rows))
        }

        static func split(_ tag: String) -> (String, String) {
            guard let colon = tag.lastIndex(of: ":"), !tag[colon...].contains("/") else { return (tag, "<none>") }
            return (String(tag[..<colon]), String(tag[tag.index(after: colon)...]))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove image tags (and unused images).")
        @OptionGroup var options: Options
        @Argument(help: "Image references.")
        var references: [String]

        func run() throws {
            let store = try options.store()
            for reference in references {
                let removal = try store.remove(reference: reference)
                for tag in removal.untagged { print("Untagged: \(tag)") }
                if let deleted = removal.deleted { print("Deleted: \(deleted)") }
            }
        }
    }
}
