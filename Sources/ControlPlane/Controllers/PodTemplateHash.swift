import SkiffAPI

/// The `pod-template-hash` a Deployment gives each ReplicaSet it makes: a
/// stable digest of the pod template (and the Deployment's collisionCount),
/// written in Kubernetes' "safe" alphabet so names like `notepad-5d4f7c9b8d`
/// never spell words and never look like numbers.
///
/// Kubernetes hashes a Go dump of the typed template with FNV-32a; Skiff has
/// no typed template, so it hashes the canonical JSON (sorted keys, nulls
/// dropped, the hash label itself removed). Only stability matters: the same
/// template must always give the same name, across restarts.
enum PodTemplateHash {
    static let label = "pod-template-hash"

    /// `rand.SafeEncodeString`'s alphabet: no vowels, no 0/1/3.
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func compute(_ template: JSONValue, collisionCount: Int64?) -> String {
        var hash: UInt32 = 0x811c_9dc5
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt32(byte)
                hash = hash &* 0x0100_0193
            }
        }
        mix(canonical(template).serializedBytes())
        if let collisionCount {
            // The count goes in as its little-endian bytes, as Kubernetes writes it into the hasher.
            let count = UInt32(truncatingIfNeeded: collisionCount)
            mix((0..<4).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) })
        }
        return safeEncode(String(hash))
    }

    /// Each character of `text` replaced by `alphabet[ascii % 27]`, as
    /// `rand.SafeEncodeString` does with the decimal form of the hash.
    static func safeEncode(_ text: String) -> String {
        String(text.utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// Whether two pod templates are the same apart from `pod-template-hash`:
    /// how a Deployment recognises the ReplicaSet of its current template, and
    /// the one `rollout undo` went back to.
    static func equalIgnoringHash(_ a: JSONValue, _ b: JSONValue) -> Bool {
        canonical(a) == canonical(b)
    }

    /// The template without the hash label, null members and an empty
    /// `labels` map left behind, so a template read back from a ReplicaSet
    /// compares equal to the Deployment's.
    static func canonical(_ template: JSONValue) -> JSONValue {
        var template = template.removingNullFields()
        template[path: ["metadata", "labels", label]] = .null
        if template["metadata"]["labels"].objectValue?.isEmpty == true { template[path: ["metadata", "labels"]] = .null }
        if template["metadata"].objectValue?.isEmpty == true { template["metadata"] = .null }
        return template
    }
}
