import Foundation
import SkiffAPI

/// What `pods/log` asks of the node running the pod (`PodLogOptions`, already
/// validated and with the container name resolved by the API server).
public struct PodLogRequest: Sendable, Equatable {
    public var namespace: String
    public var pod: String
    public var podUID: String
    public var container: String
    public var follow: Bool
    public var previous: Bool
    public var tailLines: Int?
    public var sinceSeconds: Int?
    public var sinceTime: Date?
    public var timestamps: Bool
    public var limitBytes: Int?

    public init(
        namespace: String, pod: String, podUID: String, container: String, follow: Bool = false,
        previous: Bool = false, tailLines: Int? = nil, sinceSeconds: Int? = nil, sinceTime: Date? = nil,
        timestamps: Bool = false, limitBytes: Int? = nil
    ) {
        self.namespace = namespace
        self.pod = pod
        self.podUID = podUID
        self.container = container
        self.follow = follow
        self.previous = previous
        self.tailLines = tailLines
        self.sinceSeconds = sinceSeconds
        self.sinceTime = sinceTime
        self.timestamps = timestamps
        self.limitBytes = limitBytes
    }
}

/// What `pods/exec` asks of the node running the pod.
public struct PodExecRequest: Sendable, Equatable {
    public var namespace: String
    public var pod: String
    public var podUID: String
    public var container: String
    public var command: [String]
    public var stdin: Bool
    public var stdout: Bool
    public var stderr: Bool
    public var tty: Bool

    public init(
        namespace: String, pod: String, podUID: String, container: String, command: [String], stdin: Bool = false,
        stdout: Bool = true, stderr: Bool = true, tty: Bool = false
    ) {
        self.namespace = namespace
        self.pod = pod
        self.podUID = podUID
        self.container = container
        self.command = command
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.tty = tty
    }
}

/// One chunk of an exec'd process's output.
public struct PodExecOutput: Sendable, Equatable {
    public enum Stream: UInt8, Sendable { case stdout = 1, stderr = 2 }
    public var stream: Stream
    public var bytes: [UInt8]

    public init(stream: Stream, bytes: [UInt8]) {
        self.stream = stream
        self.bytes = bytes
    }
}

/// A process started by `pods/exec`, as the API server relays it over the
/// websocket. With a tty, everything arrives as stdout.
public protocol PodExecSession: Sendable {
    /// Output until the process has exited and both streams are drained.
    var output: AsyncStream<PodExecOutput> { get }
    func writeStdin(_ bytes: [UInt8]) async
    func closeStdin() async
    func resize(columns: UInt16, rows: UInt16) async
    /// The exit code, once the process has exited.
    func wait() async -> Int32
    /// Kills the process (the client went away).
    func cancel() async
}

/// The node side of `pods/log` and `pods/exec`: the API server asks it for a
/// pod's logs or a process in one of its containers, as kube-apiserver asks
/// the kubelet. Errors thrown as `APIStatus` reach the client as they are
/// (for example 400 "previous terminated container … not found"); others become 500.
public protocol PodStreaming: Sendable {
    /// The log bytes as `kubectl logs` prints them; with `follow`, the stream
    /// stays open until the container stops or the consumer stops iterating.
    func logs(_ request: PodLogRequest) async throws -> AsyncThrowingStream<[UInt8], any Error>
    func exec(_ request: PodExecRequest) async throws -> any PodExecSession
}
