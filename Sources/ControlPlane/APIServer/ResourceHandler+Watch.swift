import APIRules
import Foundation
import SkiffAPI
import Synchronization

extension ResourceHandler {
    /// `?watch=true`: newline-delimited `{"type":…,"object":…}` events after the
    /// given resourceVersion (or a snapshot of ADDED events first when it is
    /// "" or "0"), until `timeoutSeconds` or the client goes away.
    func watch(_ request: APIRequest, _ scope: Scope, name: String? = nil) async throws(APIStatus) -> APIReply {
        var selectors = try Selectors(request, resource: scope.resource)
        if let name {
            selectors = Selectors(
                labels: selectors.labels,
                fields: FieldSelector(
                    requirements: selectors.fields.requirements + [.init(field: "metadata.name", op: .equals, value: name)]))
        }
        let version = request.parameter("resourceVersion") ?? ""
        var snapshot: [JSONValue] = []
        let from: StorageRevision
        if version.isEmpty || version == "0" {
            let page = try await store.list(
                scope.resource, namespace: scope.namespace, limit: nil, continueAfter: nil, atRevision: nil)
            snapshot = page.objects.map(\.object).filter { selectors.matches($0, scope.resource) }
            from = page.revision
        } else {
            guard let number = Int64(version), number >= 0 else {
                throw APIStatus.badRequest("resourceVersion: Invalid value: \"\(version)\": must be a number")
            }
            from = StorageRevision(number)
        }
        let timeout = request.parameter("timeoutSeconds").flatMap(Double.init)
            ?? Double.random(in: 1800...3600)
        let plan = WatchPlan(
            scope: scope, selectors: selectors, table: request.wantsTable, includeObject: request.includeObject,
            bookmarks: request.parameter("allowWatchBookmarks") == "true", timeout: timeout)
        let events: AsyncThrowingStream<StorageEvent, Error>
        do {
            events = try await store.backend.watch(prefix: ObjectStore.prefix(scope.resource, namespace: scope.namespace), fromRevision: from)
        } catch .compacted {
            let status = APIStatus.resourceExpired("too old resource version: \(version)")
            let line = WatchLine.encode(type: "ERROR", object: status.json)
            return .stream(contentType: "application/json", body: AsyncStream { $0.yield(line); $0.finish() }, cancel: {})
        } catch {
            throw ObjectStore.status(error, resource: scope.resource, name: "")
        }
        let (body, cancel) = stream(plan, snapshot: snapshot, events: events, from: from)
        return .stream(contentType: "application/json", body: body, cancel: cancel)
    }

    private func stream(
        _ plan: WatchPlan, snapshot: [JSONValue], events: AsyncThrowingStream<StorageEvent, Error>, from: StorageRevision
    ) -> (AsyncStream<[UInt8]>, @Sendable () -> Void) {
        let (output, continuation) = AsyncStream<[UInt8]>.makeStream()
        let clock = now
        let seen = SeenRevision(from.value)
        let producer = Task {
            for object in snapshot {
                continuation.yield(WatchLine.encode(type: "ADDED", object: plan.render(object, now: clock())))
            }
            do {
                for try await event in events {
                    seen.advance(to: event.revision.value)
                    if let (type, object) = plan.translate(event) {
                        continuation.yield(WatchLine.encode(type: type, object: plan.render(object, now: clock())))
                    }
                }
            } catch {
                let status = (error as? StorageError).map { ObjectStore.status($0, resource: plan.scope.resource, name: "") }
                if let status, status.code == 410 {
                    continuation.yield(WatchLine.encode(type: "ERROR", object: status.json))
                }
            }
            continuation.finish()
        }
        let timer = Task {
            try? await Task.sleep(for: .seconds(plan.timeout))
            continuation.finish()
        }
        let bookmarks = plan.bookmarks ? Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(WatchPlan.bookmarkInterval))
                if Task.isCancelled { break }
                let revision = StorageRevision(seen.value)
                continuation.yield(WatchLine.encode(type: "BOOKMARK", object: plan.bookmark(revision)))
            }
        } : nil
        // A bare newline now and then: JSON stream readers skip it, and writing
        // is the only way to learn that a client went away (TLS peers that
        // close leave the socket half-open until the server writes).
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(WatchPlan.heartbeatInterval))
                if Task.isCancelled { break }
                continuation.yield([0x0A])
            }
        }
        let stop: @Sendable () -> Void = {
            producer.cancel()
            timer.cancel()
            heartbeat.cancel()
            bookmarks?.cancel()
            continuation.finish()
        }
        let registration = watches.add(stop)
        let watches = self.watches
        continuation.onTermination = { _ in
            stop()
            watches.remove(registration)
        }
        return (output, stop)
    }
}

extension Selectors {
    init(labels: LabelSelector, fields: FieldSelector) {
        self.labels = labels
        self.fields = fields
    }
}

/// How one watch turns store events into API events.
struct WatchPlan: Sendable {
    static let bookmarkInterval: Double = 60
    static let heartbeatInterval: Double = 5

    let scope: Scope
    let selectors: Selectors
    let table: Bool
    let includeObject: String
    let bookmarks: Bool
    let timeout: Double

    /// The event type a client sees, honouring selectors the way the real
    /// watch cache does: an object that starts matching is ADDED, one that
    /// stops matching is DELETED.
    func translate(_ event: StorageEvent) -> (String, JSONValue)? {
        guard var object = try? ObjectStore.decode(event.value, revision: event.revision, key: event.key) else { return nil }
        object.metadata.resourceVersion = event.revision.description
        let matchesNow = selectors.matches(object, scope.resource)
        switch event.kind {
        case .added:
            return matchesNow ? ("ADDED", object) : nil
        case .deleted:
            return matchesNow ? ("DELETED", object) : nil
        case .modified:
            let matchedBefore = event.previousValue
                .flatMap { try? ObjectStore.decode($0, revision: event.revision) }
                .map { selectors.matches($0, scope.resource) } ?? false
            switch (matchedBefore, matchesNow) {
            case (true, true): return ("MODIFIED", object)
            case (false, true): return ("ADDED", object)
            case (true, false): return ("DELETED", object)
            case (false, false): return nil
            }
        }
    }

    func render(_ object: JSONValue, now: Date) -> JSONValue {
        guard table else { return object }
        let metadata: JSONValue = ["resourceVersion": .string(object.metadata.resourceVersion ?? "")]
        return TableConverter.table(
            resource: scope.resource, objects: [object], now: now, includeObject: includeObject,
            listMetadata: metadata)
    }

    func bookmark(_ revision: StorageRevision) -> JSONValue {
        [
            "kind": .string(scope.resource.kind), "apiVersion": .string(scope.resource.apiVersion),
            "metadata": ["resourceVersion": .string(revision.description)],
        ]
    }
}

enum WatchLine {
    static func encode(type: String, object: JSONValue) -> [UInt8] {
        var line = JSONValue.object(["type": .string(type), "object": object]).serializedBytes()
        line.append(0x0A)
        return line
    }
}

/// The newest revision a watch has read from the store, matching or not: a
/// bookmark may promise "nothing you care about up to here" only for events
/// already seen, never for one still in flight.
final class SeenRevision: Sendable {
    private let revision: Atomic<Int64>

    init(_ start: Int64) {
        revision = Atomic(start)
    }

    var value: Int64 { revision.load(ordering: .acquiring) }

    func advance(to value: Int64) {
        revision.store(value, ordering: .releasing)
    }
}
