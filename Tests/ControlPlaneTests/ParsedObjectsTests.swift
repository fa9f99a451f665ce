import Foundation
import SkiffAPI
import Testing
@testable import ControlPlane

/// The parse cache behind every list and watch: a hit only for the very bytes
/// parsed before, and only for the kinds it keeps.
@Suite struct ParsedObjectsTests {
    private func bytes(_ image: String) -> Data {
        Data(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},"spec":{"containers":[{"name":"c","image":"\#(image)"}]}}"#.utf8)
    }

    @Test func reusesOnlyTheSameBytes() throws {
        let cache = ParsedObjects(capacity: 10)
        let key = "/registry/core/pods/default/web"
        var parses = 0
        func object(_ data: Data) throws -> JSONValue {
            try cache.object(key: key, bytes: data) { (data) throws(APIStatus) in
                parses += 1
                return try ObjectStore.decode(data, revision: StorageRevision(1))
            }
        }
        #expect(try object(bytes("a"))["spec"]["containers"][0]["image"].stringValue == "a")
        #expect(try object(bytes("a"))["spec"]["containers"][0]["image"].stringValue == "a")
        #expect(parses == 1)
        // Another server in this process, or a rewrite at any revision: other bytes, parsed anew.
        #expect(try object(bytes("b"))["spec"]["containers"][0]["image"].stringValue == "b")
        #expect(parses == 2)
    }

    @Test func keepsOnlyPodsAndNodesAndStaysBounded() throws {
        let cache = ParsedObjects(capacity: 2)
        var parses = 0
        func object(_ key: String) throws -> JSONValue {
            try cache.object(key: key, bytes: bytes("a")) { (data) throws(APIStatus) in
                parses += 1
                return try ObjectStore.decode(data, revision: StorageRevision(1))
            }
        }
        _ = try object("/registry/core/events/default/web.1")
        _ = try object("/registry/core/events/default/web.1")
        #expect(parses == 2, "events are not kept")
        for name in ["a", "b", "c", "a"] { _ = try object("/registry/core/pods/default/\(name)") }
        // Past its capacity the table starts afresh: "a" was dropped with "b" when "c" came.
        #expect(parses == 2 + 4)
    }

    /// Through the API's own reads: what a list returns carries the revision it was read at.
    @Test func decodedObjectsCarryTheirRevision() throws {
        let data = bytes("a")
        let key = "/registry/core/pods/default/web-\(UUID().uuidString.prefix(6))"
        let first = try ObjectStore.decode(data, revision: StorageRevision(5), key: key)
        let again = try ObjectStore.decode(data, revision: StorageRevision(9), key: key)
        #expect(first.metadata.resourceVersion == "5")
        #expect(again.metadata.resourceVersion == "9")
    }
}
