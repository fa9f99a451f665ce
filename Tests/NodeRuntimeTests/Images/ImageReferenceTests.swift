import NodeRuntime
import Testing

@Suite struct ImageReferenceTests {
    static let normalised: [(String, String)] = [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36"),
        ("library/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/busybox", "docker.io/library/busybox:latest"),
        ("index.docker.io/library/busybox:latest", "docker.io/library/busybox:latest"),
        ("mengsixing/notepad", "docker.io/mengsixing/notepad:latest"),
        ("mengsixing/notepad:new", "docker.io/mengsixing/notepad:new"),
        ("localhost/app", "localhost/app:latest"),
        ("localhost:5000/x:y", "localhost:5000/x:y"),
        ("registry.example.com:443/team/app/web:v1.2_rc-3", "registry.example.com:443/team/app/web:v1.2_rc-3"),
        ("[::1]:5000/app:1", "[::1]:5000/app:1"),
        ("ab__c-d/e.f_g", "docker.io/ab__c-d/e.f_g:latest"),
        ("a---b/c", "docker.io/a---b/c:latest"),
        ("Registry.Example/app", "Registry.Example/app:latest"),
        (
            "busybox@sha256:" + String(repeating: "ab", count: 32),
            "docker.io/library/busybox@sha256:" + String(repeating: "ab", count: 32)
        ),
        (
            "quay.io/x/y:1@sha256:" + String(repeating: "0", count: 64),
            "quay.io/x/y:1@sha256:" + String(repeating: "0", count: 64)
        ),
    ]

    @Test(arguments: normalised)
    func normalisesLikeDocker(input: String, expected: String) throws {
        #expect(try ImageReference(parsing: input).description == expected)
    }

    @Test func splitsIntoParts() throws {
        let reference = try ImageReference(parsing: "localhost:5000/team/app:v2")
        #expect(reference.domain == "localhost:5000")
        #expect(reference.path == "team/app")
        #expect(reference.tag == "v2")
        #expect(reference.digest == nil)
        #expect(reference.repository == "localhost:5000/team/app")

        let pinned = try ImageReference(parsing: "busybox@sha256:" + String(repeating: "c", count: 64))
        #expect(pinned.tag == nil)
        #expect(pinned.digest?.hex == String(repeating: "c", count: 64))
    }

    @Test func familiarFormDropsDefaults() throws {
        #expect(try ImageReference(parsing: "docker.io/library/busybox:latest").familiar == "busybox:latest")
        #expect(try ImageReference(parsing: "mengsixing/notepad:new").familiar == "mengsixing/notepad:new")
        #expect(try ImageReference(parsing: "localhost:5000/x:y").familiar == "localhost:5000/x:y")
    }

    static let invalid: [(String, String)] = [
        ("", "reference is empty"),
        ("Busybox", "must be lowercase"),
        ("busybox:", "tag \"\""),
        ("busybox:-bad", "tag \"-bad\""),
        ("bad__-name", "repository name component"),
        ("trailing-/x", "repository name component"),
        ("a//b", "repository name component"),
        ("busybox@sha256:abc", "invalid digest"),
        ("busybox@md5:" + String(repeating: "a", count: 32), "only sha256"),
        ("example.com:port/app", "not a valid host"),
        (String(repeating: "a", count: 64), "image id"),
        ("busybox:" + String(repeating: "t", count: 129), "tag"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidReferencesNamingThem(input: String, reason: String) {
        do {
            let parsed = try ImageReference(parsing: input)
            Issue.record("\"\(input)\" parsed as \(parsed)")
        } catch let error as RuntimeError {
            #expect(error.message.hasPrefix("invalid image reference \"\(input)\": "))
            #expect(error.message.contains(reason), "\(error.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
