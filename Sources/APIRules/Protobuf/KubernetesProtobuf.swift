import SkiffAPI

/// Request bodies in `application/vnd.kubernetes.protobuf`, which `kubectl create secret|
/// configmap|namespace|serviceaccount|deployment|service` send and for which a 415 reply is a
/// hard error (kubectl does not retry with JSON).
public enum KubernetesProtobuf {
    /// The four bytes every Kubernetes protobuf body starts with.
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    /// Decodes a body (magic `k8s\0` + `runtime.Unknown`) into the JSON object the same request
    /// would have sent as JSON (`apiVersion`, `kind`, `metadata`, `data`, ...), with zero
    /// values left out as JSON's `omitempty` leaves them out.
    ///
    /// Throws `.unsupportedKind` for kinds without a field table here, `.malformed` for
    /// anything that is not a well-formed body.
    public static func decode(_ bytes: [UInt8]) throws(ProtobufDecodeError) -> JSONValue {
        guard bytes.starts(with: magic) else {
            throw .malformed("not a Kubernetes protobuf body: it does not start with \"k8s\\x00\"")
        }
        let envelope = try Envelope(bytes[magic.count...])
        guard !envelope.kind.isEmpty else { throw .malformed("the protobuf envelope names no kind") }
        guard envelope.contentEncoding.isEmpty else {
            throw .malformed("unsupported protobuf content encoding \"\(envelope.contentEncoding)\"")
        }
        guard let schema = schema(apiVersion: envelope.apiVersion, kind: envelope.kind) else {
            throw ProtobufDecodeError(
                .unsupportedKind, "no protobuf decoding for \(envelope.kind) in \(envelope.apiVersion); send JSON")
        }
        var object = try schema.decode(envelope.raw)
        object["apiVersion"] = .string(envelope.apiVersion)
        object["kind"] = .string(envelope.kind)
        return object
    }

    /// `runtime.Unknown`: `{1: TypeMeta{1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding,
    /// 4: contentType}`; `raw` is the object's own message, without its TypeMeta.
    private struct Envelope {
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        var contentEncoding = ""

        private static let typeMeta = ProtobufSchema([1: .string("apiVersion"), 2: .string("kind")])

        init(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodeError) {
            var reader = ProtobufReader(bytes)
            while let (number, wire) = try reader.nextField() {
                guard case .lengthDelimited(let payload) = wire else { continue }
                switch number {
                case 1:
                    let typeMeta = try Self.typeMeta.decode(payload)
                    apiVersion = typeMeta["apiVersion"].stringValue ?? ""
                    kind = typeMeta["kind"].stringValue ?? ""
                case 2: raw = payload
                case 3: contentEncoding = String(decoding: payload, as: UTF8.self)
                default: continue
                }
            }
        }
    }

    private static func schema(apiVersion: String, kind: String) -> ProtobufSchema? {
        switch (apiVersion, kind) {
        case ("v1", "Secret"): .secret
        case ("v1", "ConfigMap"): .configMap
        case ("v1", "Namespace"): .namespace
        case ("v1", "ServiceAccount"): .serviceAccount
        case ("v1", "Service"): .service
        case ("apps/v1", "Deployment"): .deployment
        default: nil
        }
    }
}
