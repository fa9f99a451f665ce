import Foundation
import Hummingbird
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import SkiffAPI

/// The Kubernetes-compatible API server of `skiffd server`: HTTPS with a
/// cluster CA made at first start, bearer tokens, the REST API over a
/// `StorageBackend`, and the in-process controllers that the API itself
/// needs (namespace deletion, garbage collection).
public final class APIServer: Sendable {
    /// The port actually bound (differs from the options when they asked for 0).
    public let port: Int
    public let kubeconfigURL: URL
    /// The admin bearer token (also in the kubeconfig).
    public let token: String
    private let serverTask: Task<Void, Error>
    private let serviceGroup: ServiceGroup
    private let watches: OpenWatches
    private let controllerTasks: [Task<Void, Never>]
    private let logger: Logger

    private init(
        port: Int, kubeconfigURL: URL, token: String, serverTask: Task<Void, Error>, serviceGroup: ServiceGroup,
        watches: OpenWatches, controllerTasks: [Task<Void, Never>], logger: Logger
    ) {
        self.logger = logger
        self.port = port
        self.kubeconfigURL = kubeconfigURL
        self.token = token
        self.serverTask = serverTask
        self.serviceGroup = serviceGroup
        self.watches = watches
        self.controllerTasks = controllerTasks
    }

    /// Starts serving and returns once the port is bound and the kubeconfig is written.
    public static func start(options: APIServerOptions, storage: any StorageBackend, logger: Logger) async throws
        -> APIServer
    {
        let metrics = APIMetrics()
        let store = ObjectStore(backend: MeasuredStorage(inner: storage, metrics: metrics))
        guard let serviceNetwork = IPv4CIDR(options.serviceCIDR) else {
            throw APIServerError(step: "parsing --service-cidr", message: "\(options.serviceCIDR) is not an IPv4 CIDR between /8 and /30")
        }
        let allocator = ServiceAllocator(network: serviceNetwork, nodePortRange: options.nodePortRange, store: store)
        let watches = OpenWatches()
        let handler = ResourceHandler(
            store: store, registry: .builtin, services: allocator, watches: watches, now: { Date() },
            podStreaming: options.podStreaming)
        try await Bootstrap(handler: handler, allocator: allocator).run()

        let directory = options.dataDirectory
        var ipAddresses: [String] = []
        if let advertise = options.advertiseAddress { ipAddresses.append(advertise) }
        if options.bindAddress != "0.0.0.0", options.bindAddress != "127.0.0.1" { ipAddresses.append(options.bindAddress) }
        ipAddresses.append(allocator.apiServiceIP)
        let pki = try ClusterPKI.loadOrCreate(
            directory: directory.appendingPathComponent("tls"), hosts: [], ipAddresses: ipAddresses)
        let token = try TokenFile.loadOrCreate(at: directory.appendingPathComponent("token"))
        var tls = try pki.serverTLSConfiguration()
        // NIOSSL waits 5 s by default for a peer's close_notify; clients that never
        // send one (idle pooled connections) would hold up every shutdown that long.
        tls.shutdownTimeout = .milliseconds(500)

        let advertised = options.advertiseAddress ?? "127.0.0.1"
        let authenticator = Authenticator(tokens: [token], allowAnonymous: options.allowAnonymous)
        let responder = APIResponder(
            resources: handler,
            discovery: Discovery(registry: .builtin, serverAddress: "\(advertised):\(options.port)"),
            openAPI: OpenAPIDocuments(registry: .builtin, version: VersionInfo.gitVersion),
            authenticator: authenticator,
            metrics: metrics,
            storageReady: { (try? await store.currentRevision()) != nil })
        // `pods/exec` upgrades to a websocket on the same TLS listener; every other
        // request is plain HTTP/1.1 through the responder.
        let execUpgrade = PodExecUpgrade(resources: handler, authenticator: authenticator, metrics: metrics)
        let webSocket = HTTP1WebSocketUpgradeChannel.Configuration(
            ws: WebSocketServerConfiguration(maxFrameSize: PodExecRelay.maxMessageBytes))
        let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: responder,
            server: try .tls(
                WebSocketUpgradeChannel.builder(configuration: webSocket) { head, _, logger in
                    await execUpgrade.shouldUpgrade(head, logger: logger)
                },
                tlsConfiguration: tls),
            configuration: ApplicationConfiguration(address: .hostname(options.bindAddress, port: options.port)),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? options.port)
                boundContinuation.finish()
            },
            logger: logger)
        let serviceGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        let serverTask = Task {
            defer { boundContinuation.finish() }
            try await serviceGroup.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let port = await iterator.next() else {
            do {
                try await serverTask.value
            } catch {
                throw APIServerError(step: "listening on \(options.bindAddress):\(options.port)", message: "\(error)")
            }
            throw APIServerError(step: "listening on \(options.bindAddress):\(options.port)", message: "the server stopped")
        }
        let host = options.bindAddress == "0.0.0.0" ? "127.0.0.1" : options.bindAddress
        try KubeconfigWriter.write(
            to: options.kubeconfigURL, server: "https://\(host):\(port)", caPEM: pki.caCertificatePEM, token: token)
        let compactor = Compactor(
            storage: storage, interval: options.compactionInterval, keep: options.compactionKeep, logger: logger)
        // kube-controller-manager's loops and kube-scheduler, each on its own
        // task over the store, by their names in `--controllers`.
        let loops: [(String, @Sendable () async -> Void)] = [
            ("namespace-controller", NamespaceController(handler: handler, logger: logger).run),
            ("garbage-collector-controller", GarbageCollector(handler: handler, logger: logger).run),
            ("replicaset-controller", ReplicaSetController(handler: handler, logger: logger).run),
            ("deployment-controller", DeploymentController(handler: handler, logger: logger).run),
            ("daemonset-controller", DaemonSetController(handler: handler, logger: logger).run),
            ("statefulset-controller", StatefulSetController(handler: handler, logger: logger).run),
            ("job-controller", JobController(handler: handler, logger: logger).run),
            ("endpoints-controller", EndpointsController(handler: handler, logger: logger).run),
            ("endpointslice-controller", EndpointSliceController(handler: handler, logger: logger).run),
            ("node-lifecycle-controller",
             NodeLifecycleController(handler: handler, logger: logger, gracePeriod: options.nodeMonitorGracePeriod).run),
            ("scheduler", Scheduler(handler: handler, logger: logger).run),
        ]
        let controllers = [Task { await compactor.run() }]
            + loops.filter { options.controllers.contains($0.0) }.map { _, run in Task { await run() } }
        logger.info("API server listening", metadata: ["port": "\(port)", "kubeconfig": "\(options.kubeconfigURL.path)"])
        return APIServer(
            port: port, kubeconfigURL: options.kubeconfigURL, token: token, serverTask: serverTask,
            serviceGroup: serviceGroup, watches: watches, controllerTasks: controllers, logger: logger)
    }

    /// Ends open watches, lets requests in flight finish, stops accepting new
    /// ones and stops the controllers.
    public func stop() async {
        for task in controllerTasks { task.cancel() }
        watches.stopAll()
        await serviceGroup.triggerGracefulShutdown()
        // A request that outlives the grace period is cut off.
        let deadline = Task {
            try await Task.sleep(for: .seconds(2))
            serverTask.cancel()
        }
        _ = try? await serverTask.value
        deadline.cancel()
        logger.debug("HTTP server stopped")
        for task in controllerTasks { await task.value }
    }
}

/// A startup failure, naming the step that failed.
public struct APIServerError: Error, CustomStringConvertible {
    public var step: String
    public var message: String

    public var description: String { "\(step): \(message)" }
}

/// What exists from the first start, as on a fresh Kubernetes cluster: the
/// `default`, `kube-system`, `kube-public` and `kube-node-lease` namespaces
/// and the `kubernetes` Service at the first address of the service range.
struct Bootstrap {
    let handler: ResourceHandler
    let allocator: ServiceAllocator

    func run() async throws(APIStatus) {
        guard let namespaces = handler.registry.resource(group: "", version: "v1", plural: "namespaces"),
            let services = handler.registry.resource(group: "", version: "v1", plural: "services")
        else { return }
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            try await ensure(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                             Scope(resource: namespaces, namespace: nil))
        }
        let service: JSONValue = [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "kubernetes", "namespace": "default",
                         "labels": ["component": "apiserver", "provider": "kubernetes"]],
            "spec": ["clusterIP": .string(allocator.apiServiceIP), "type": "ClusterIP",
                     "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]]],
        ]
        try await ensure(service, Scope(resource: services, namespace: "default"))
    }

    private func ensure(_ object: JSONValue, _ scope: Scope) async throws(APIStatus) {
        let name = object.metadata.name ?? ""
        if try await handler.store.get(scope.resource, namespace: scope.namespace, name: name) != nil { return }
        do {
            _ = try await handler.createObject(object, scope, fieldValidation: nil)
        } catch where error.reason == .alreadyExists {
            return
        }
    }
}
