import Dispatch
import Foundation
import Glibc
import Logging
import NetnsLab

// skiff-dpbench: one dataplane backend at one number of Services, in
// namespaces it makes and removes. Run through scripts/bench-dataplane,
// which writes docs/benchmarks/dataplane.md.

// The lab's servers write to connections the benchmark resets at once.
signal(SIGPIPE, SIG_IGN)
LoggingSystem.bootstrap(StreamLogHandler.standardError)

let options: Options
do {
    options = try Options(CommandLine.arguments)
} catch {
    if !error.description.isEmpty { FileHandle.standardError.write(Data("skiff-dpbench: \(error)\n".utf8)) }
    FileHandle.standardError.write(Data((Options.usage + "\n").utf8))
    exit(2)
}

let lab: NetnsLab
do {
    // Not `skiff-dp`: the dataplane tests' labs, which may run meanwhile.
    lab = try NetnsLab(pods: 3, prefix: "skiff-dpb")
} catch {
    FileHandle.standardError.write(Data("skiff-dpbench: building the lab: \(error)\n".utf8))
    exit(1)
}

// Ctrl-C or a kill still removes the namespaces.
var signalSources: [any DispatchSourceSignal] = []
for number in [SIGINT, SIGTERM, SIGHUP] {
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler {
        lab.remove()
        exit(128 + number)
    }
    source.resume()
    signalSources.append(source)
}

var logger = Logger(label: "skiff-dpbench")
logger.logLevel = .warning
do {
    let result = try await DataplaneRun(options: options, lab: lab, logger: logger).run()
    lab.remove()
    print(options.json ? result.jsonLine : result.summary)
} catch {
    lab.remove()
    FileHandle.standardError.write(Data("skiff-dpbench: \(options.backend.rawValue) at \(options.services) Services: \(error)\n".utf8))
    exit(1)
}
