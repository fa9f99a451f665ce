import Dispatch
import Glibc

/// The process entry: the per-container runtime verbs first, synchronously
/// and without ArgumentParser (see `RuntimeFastPath`), then everything else
/// through it on Swift concurrency (which an `async` main would start even
/// for the fast path: a thread and a queue before the first container).
@main
enum Entry {
    static func main() {
        if let status = RuntimeFastPath.run(CommandLine.arguments) { exit(status) }
        Task {
            await Skiff.main()
            exit(0)
        }
        dispatchMain()
    }
}
