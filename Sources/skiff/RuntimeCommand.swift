import ArgumentParser
import Foundation
import Glibc
import NodeRuntime

/// OCI runtime verbs, named as crun and runc name them, over bundles.
struct RuntimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "Run OCI bundles directly (create, start, run, state, kill, delete, exec, list).",
        subcommands: [Run.self, Create.self, Start.self, State.self, Kill.self, Delete.self, Exec.self, List.self]
    )

    struct Options: ParsableArguments {
        @Option(help: "State directory for bundle containers.")
        var root = "/run/skiff/runtime"

        func runtime(startingContainer: Bool = false) throws -> BundleRuntime {
            try BundleRuntime.host(root: root, startingContainer: startingContainer)
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create and start a container, wait for it, delete it.")
        @OptionGroup var options: Options
        @Option(name: [.short, .long], help: "Bundle directory (holding config.json).")
        var bundle = "."
        @Flag(name: [.short, .long], help: "Detach: return once the process has started.")
        var detach = false
        @Argument(help: "Container id.")
        var id: String

        func run() throws {
            let status = try options.runtime(startingContainer: true).run(id: id, bundle: bundle, detach: detach)
            if let status, status.code != 0 { throw ExitCode(status.code) }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set up a container and park it before exec.")
        @OptionGroup var options: Options
        @Option(name: [.short, .long], help: "Bundle directory (holding config.json).")
        var bundle = "."
        @Argument(help: "Container id.")
        var id: String

        func run() throws {
            _ = try options.runtime(startingContainer: true).create(id: id, bundle: bundle)
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a created container's process.")
        @OptionGroup var options: Options
        @Argument(help: "Container id.")
        var id: String

        func run() throws {
            try options.runtime().start(id: id)
        }
    }

    struct State: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a container's OCI state as JSON.")
        @OptionGroup var options: Options
        @Argument(help: "Container id.")
        var id: String

        func run() throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(try options.runtime().state(id: id))
            print(String(decoding: data, as: UTF8.self))
        }
    }

    struct Kill: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a signal to a container's init.")
        @OptionGroup var options: Options
        @Argument(help: "Container id.")
        var id: String
        @Argument(help: "Signal name or number (default TERM).")
        var signal = "TERM"

        func run() throws {
            try options.runtime().kill(id: id, signal: try SignalName.parse(signal))
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a container and its cgroup.")
        @OptionGroup var options: Options
        @Flag(name: [.short, .long], help: "Kill the container first if it is running.")
        var force = false
        @Argument(help: "Container id.")
        var id: String

        func run() throws {
            try options.runtime().delete(id: id, force: force)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List bundle containers.")
        @OptionGroup var options: Options

        func run() throws {
            let rows = try options.runtime().list().map { [$0.id, String($0.pid), $0.status, $0.bundle] }
            print(TextTable.render(header: ["ID", "PID", "STATUS", "BUNDLE"], rows: rows))
        }
    }

    struct Exec: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a process inside a running container.")
        @OptionGroup var options: Options
        @Flag(name: [.short, .long], help: "Allocate a terminal.")
        var tty = false
        @Option(name: [.short, .long], help: "Extra environment variable NAME=VALUE.")
        var env: [String] = []
        @Argument(help: "Container id.")
        var id: String
        @Argument(parsing: .captureForPassthrough, help: "Command and arguments.")
        var command: [String] = []

        func run() throws {
            var args = command
            if args.first == "--" { args.removeFirst() }
            guard !args.isEmpty else { throw ValidationError("missing the command to run") }
            let target = try options.runtime().execTarget(id: id)
            let code = try ExecClient.run(target: target, args: args, env: env, tty: tty)
            if code != 0 { throw ExitCode(code) }
        }
    }
}

enum SignalName {
    static func parse(_ text: String) throws -> Int32 {
        if let number = Int32(text), number > 0, number < 65 { return number }
        let names: [String: Int32] = [
            "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "KILL": SIGKILL, "USR1": SIGUSR1, "USR2": SIGUSR2,
            "TERM": SIGTERM, "STOP": SIGSTOP, "CONT": SIGCONT, "WINCH": SIGWINCH, "ALRM": SIGALRM,
        ]
        let key = text.uppercased().hasPrefix("SIG") ? String(text.uppercased().dropFirst(3)) : text.uppercased()
        guard let signal = names[key] else { throw ValidationError("unknown signal \"\(text)\"") }
        return signal
    }
}

/// Left-aligned columns separated by three spaces, as kubectl prints them.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i] + 3, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n")
    }
}
