import Glibc
import NodeRuntime

/// The OCI verbs a container engine calls for every container (`run`,
/// `create`, `start`, `delete`), parsed by hand before ArgumentParser sees
/// the command line. ArgumentParser builds its model of every subcommand by
/// reflection, and in this binary (which also holds the API client, NIO and
/// Foundation) each first dynamic cast scans tens of thousands of protocol
/// conformances: measured, that is ~10 ms of a 24 ms `skiff runtime run`,
/// more than the whole container start. Only the plain forms are taken here
/// (`--root`, `--bundle`/`-b`, `--detach`/`-d`, `--force`/`-f`, one id); help,
/// anything unknown or malformed goes to ArgumentParser, which parses it the
/// same way and explains what is wrong.
enum RuntimeFastPath {
    /// The process's exit status when the command was handled here, nil when
    /// ArgumentParser should handle it.
    static func run(_ arguments: [String]) -> Int32? {
        guard arguments.count >= 3, arguments[1] == "runtime", let command = Command(arguments.dropFirst(2)) else {
            return nil
        }
        do {
            let runtime = try BundleRuntime.host(
                root: command.root, startingContainer: command.verb == "run" || command.verb == "create")
            switch command.verb {
            case "run":
                let status = try runtime.run(id: command.id, bundle: command.bundle, detach: command.detach)
                return status?.code ?? 0
            case "create":
                _ = try runtime.create(id: command.id, bundle: command.bundle)
            case "start":
                try runtime.start(id: command.id)
            default:
                try runtime.delete(id: command.id, force: command.force)
            }
            return 0
        } catch {
            // ArgumentParser's wording for an error thrown from `run()`.
            let line = "Error: \(error)\n"
            _ = line.withCString { write(2, $0, strlen($0)) }
            return 1
        }
    }

    /// One of the verbs with the flags it accepts; nil for anything else.
    struct Command {
        var verb: String
        var root = "/run/skiff/runtime"
        var bundle = "."
        var detach = false
        var force = false
        var id = ""

        init?(_ words: ArraySlice<String>) {
            var rest = words
            guard let verb = rest.popFirst(), ["run", "create", "start", "delete"].contains(verb) else { return nil }
            self.verb = verb
            var ids: [String] = []
            while let word = rest.popFirst() {
                switch word {
                case "--root":
                    guard let value = rest.popFirst(), !value.isEmpty else { return nil }
                    root = value
                case "--bundle", "-b":
                    guard verb == "run" || verb == "create", let value = rest.popFirst(), !value.isEmpty else { return nil }
                    bundle = value
                case "--detach", "-d":
                    guard verb == "run" else { return nil }
                    detach = true
                case "--force", "-f":
                    guard verb == "delete" else { return nil }
                    force = true
                default:
                    if let value = Self.inline(word, "--root") { root = value; continue }
                    if verb == "run" || verb == "create", let value = Self.inline(word, "--bundle") {
                        bundle = value
                        continue
                    }
                    guard !word.hasPrefix("-") else { return nil }
                    ids.append(word)
                }
            }
            guard ids.count == 1, let id = ids.first, !id.isEmpty else { return nil }
            self.id = id
        }

        /// The value of `--flag=value`, nil for any other word (or an empty value).
        private static func inline(_ word: String, _ flag: String) -> String? {
            guard word.hasPrefix(flag + "=") else { return nil }
            let value = String(word.dropFirst(flag.count + 1))
            return value.isEmpty ? nil : value
        }
    }
}
