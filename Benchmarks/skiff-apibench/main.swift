import Foundation
import SkiffClient

// skiff-apibench: load for `skiffd server` through the same HTTPS client `skiff`
// uses. Run through scripts/bench-apiserver, which writes docs/benchmarks/apiserver.md.

let options: Options
do {
    options = try Options(CommandLine.arguments)
} catch {
    if !error.description.isEmpty { FileHandle.standardError.write(Data("skiff-apibench: \(error)\n".utf8)) }
    FileHandle.standardError.write(Data((Options.usage + "\n").utf8))
    exit(2)
}

do {
    let settings = try Kubeconfig.load(path: options.kubeconfig).resolve(context: nil)
    let report: Report
    switch options.scenario {
    case .creates, .version:
        var clients: [APIClient] = []
        for _ in 0..<options.clientCount { clients.append(try APIClient(settings: settings)) }
        report = options.scenario == .creates
            ? await CreateScenario(options: options, clients: clients).run()
            : await VersionScenario(options: options, clients: clients).run()
        for client in clients { await client.shutdown() }
    case .watch:
        report = try await WatchScenario(options: options, settings: settings).run()
    case .podStart:
        report = try await PodStartScenario(options: options, settings: settings).run()
    }
    print(options.json ? report.json.serializedString() : report.text)
    exit(report.complete ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("skiff-apibench: \(error)\n".utf8))
    exit(1)
}
