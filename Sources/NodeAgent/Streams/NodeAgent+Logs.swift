import Foundation
import NodeRuntime

/// `kubectl logs` options as the agent takes them.
package struct PodLogOptions: Sendable {
    package var container: String
    package var follow = false
    package var previous = false
    package var read = LogReadOptions()

    package init(container: String) {
        self.container = container
    }
}

extension NodeAgent {
    /// A container's log as `kubectl logs` prints it; with `follow`, new lines
    /// until the container stops (or the consumer goes away).
    package func logs(namespace: String, pod: String, uid: String?, options: PodLogOptions) async throws
        -> AsyncThrowingStream<[UInt8], any Error>
    {
        guard let worker = worker(namespace: namespace, name: pod, uid: uid) else {
            throw PodStreamError.notFound("pod \"\(pod)\" is not running on node \"\(config.nodeName)\"")
        }
        let record = try await worker.logTarget(container: options.container, previous: options.previous)
        let reader = ContainerLogReader(path: record.logPath)
        do { try options.read.validate() } catch { throw PodStreamError.badRequest("\(error)") }
        guard options.follow, !options.previous, record.state == .running else {
            let bytes = try await reader.bytes(options.read)
            return AsyncThrowingStream { continuation in
                if !bytes.isEmpty { continuation.yield(bytes) }
                continuation.finish()
            }
        }
        let follower = try reader.follow(options.read)
        let runtime = self.runtimeService
        let id = record.id
        return AsyncThrowingStream { continuation in
            // The follow ends when the container does: drain what it wrote, then stop.
            let watcher = Task {
                while !Task.isCancelled {
                    if (try? await runtime.containerStatus(id))?.state != .running {
                        follower.finishAfterDraining()
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            let pump = Task {
                var renderer = LogRenderer(options.read)
                for await line in follower {
                    let bytes = renderer.render(line)
                    if !bytes.isEmpty { continuation.yield(bytes) }
                    if renderer.isExhausted { break }
                }
                watcher.cancel()
                continuation.finish()
            }
            continuation.onTermination = { _ in
                pump.cancel()
                watcher.cancel()
                follower.cancel()
            }
        }
    }
}
