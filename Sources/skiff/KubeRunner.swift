import ArgumentParser
import SkiffClient
import Synchronization

/// Runs an API command the way kubectl ends one: errors printed on standard error in
/// kubectl's words, exit code 1 on any failure, the HTTP client always shut down.
enum KubeRunner {
    /// Connects with the kubeconfig (`--kubeconfig`, `--context`, `-n`) and runs `body`;
    /// `body` returns false when it already reported a partial failure. With
    /// `--request-timeout`, `body` is stopped when it passes: a watch (`streaming`) then just
    /// ends, anything else fails as kubectl's client timeout does.
    static func run(
        _ options: KubeOptions, streaming: Bool = false,
        _ body: @escaping @Sendable (KubeSession, CtlOutput) async throws(CtlError) -> Bool
    ) async throws {
        let output = CtlOutput.standard
        let client: APIClient
        let session: KubeSession
        do {
            let kubeconfig = try Kubeconfig.load(path: options.kubeconfigPath)
            let settings = try kubeconfig.resolve(context: options.context)
            client = try APIClient(settings: settings)
            session = KubeSession(
                transport: client, namespace: options.namespace ?? settings.namespace,
                namespaceIsExplicit: options.namespace != nil)
        } catch {
            output.err(CtlError.connection(error).description + "\n")
            throw ExitCode(1)
        }
        let outcome = await outcome(of: { () async throws(CtlError) -> Bool in try await body(session, output) },
            timeout: options.requestTimeout?.duration, streaming: streaming)
        await client.shutdown()
        switch outcome {
        case .success(true): return
        case .success(false): throw ExitCode(1)
        case .failure(let error):
            output.err(error.description + "\n")
            throw ExitCode(1)
        }
    }

    /// `body`'s result, or what its running out of time means.
    private static func outcome(
        of body: @escaping @Sendable () async throws(CtlError) -> Bool, timeout: Duration?, streaming: Bool
    ) async -> Result<Bool, CtlError> {
        let attempt: @Sendable () async -> Result<Bool, CtlError> = {
            do throws(CtlError) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        guard let timeout else { return await attempt() }
        // Race without waiting for the loser: a watch blocked on a silent connection only
        // notices cancellation when the client shuts down, which happens after we return.
        let finished: Result<Bool, CtlError>? = await withCheckedContinuation { continuation in
            let once = FirstResult(continuation)
            let work = Task { once.resume(with: await attempt()) }
            Task {
                try? await Task.sleep(for: timeout)
                work.cancel()
                once.resume(with: nil)
            }
        }
        if let finished { return finished }
        if streaming { return .success(true) }
        return .failure(
            .message("Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)"))
    }

    /// Runs work that needs no server (manifest parsing, kubeconfig edits) with the same
    /// error reporting.
    static func local(_ body: (CtlOutput) throws(CtlError) -> Void) throws {
        let output = CtlOutput.standard
        do {
            try body(output)
        } catch {
            output.err(error.description + "\n")
            throw ExitCode(1)
        }
    }

    /// The objects of `-f` arguments, or kubectl's refusal (printed; exit 1) before anything is sent.
    static func manifests(_ files: [String], recursive: Bool, validate: Bool, verb: String) throws -> [ManifestDocument] {
        var documents: [ManifestDocument] = []
        try local { _ throws(CtlError) in
            do {
                documents = try ManifestLoader(recursive: recursive, validate: validate).load(files)
            } catch {
                throw .message("\(error)")
            }
            if documents.isEmpty { throw .message(ManifestError.noObjects(verb: verb).description) }
        }
        return documents
    }
}

/// Resumes a continuation with whichever of two racing tasks finishes first.
private final class FirstResult: Sendable {
    private let continuation: Mutex<CheckedContinuation<Result<Bool, CtlError>?, Never>?>

    init(_ continuation: CheckedContinuation<Result<Bool, CtlError>?, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<Bool, CtlError>?) {
        let pending = continuation.withLock { stored in
            defer { stored = nil }
            return stored
        }
        pending?.resume(returning: result)
    }
}
