import APIRules
import SkiffAPI
import Testing

@Suite("Protobuf request bodies from kubectl create")
struct ProtobufDecodeTests {
    private func json(_ text: String) throws -> JSONValue {
        try JSONValue(jsonString: text)
    }

    @Test("kubectl create secret generic decodes to the reference's JSON")
    func secretGeneric() throws {
        let decoded = try KubernetesProtobuf.decode(ProtobufCapturedBodies.secretGeneric)
        #expect(
            decoded
                == (try json(
                    #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"mysecret"},"data":{"username":"YWRtaW4="}}"#
                )))
    }

    @Test("a secret's type is kept when set")
    func secretTyped() throws {
        let decoded = try KubernetesProtobuf.decode(ProtobufCapturedBodies.secretTyped)
        #expect(
            decoded
                == (try json(
                    #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"typed"},"type":"example.com/custom","data":{"x":"eQ=="}}"#
                )))
    }

    @Test("configmaps keep string data, binary data as base64, and the namespace")
    func configMaps() throws {
        #expect(
            try KubernetesProtobuf.decode(ProtobufCapturedBodies.configMap)
                == (try json(
                    #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"mycm"},"data":{"a":"b","c":"d"}}"#)))
        #expect(
            try KubernetesProtobuf.decode(ProtobufCapturedBodies.configMapBinary)
                == (try json(
                    #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cmbin","namespace":"team"},"data":{"k":"v"},"binaryData":{"blob":"//4AAQ=="}}"#
                )))
    }

    @Test("a namespace carries the empty spec and status JSON would have sent")
    func namespace() throws {
        #expect(
            try KubernetesProtobuf.decode(ProtobufCapturedBodies.namespace)
                == (try json(
                    #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"myns"},"spec":{},"status":{}}"#)))
    }

    @Test("a service account is just its metadata")
    func serviceAccount() throws {
        #expect(
            try KubernetesProtobuf.decode(ProtobufCapturedBodies.serviceAccount)
                == (try json(#"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"mysa"}}"#)))
    }

    @Test("kubectl create deployment matches its --dry-run=client -o json")
    func deployment() throws {
        let expected = try json(
            #"""
            {"kind":"Deployment","apiVersion":"apps/v1",
             "metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.27",
                                                        "ports":[{"containerPort":80}],"resources":{}}]}},
                     "strategy":{}},
             "status":{}}
            """#)
        #expect(try KubernetesProtobuf.decode(ProtobufCapturedBodies.deployment) == expected)
    }

    @Test("a deployment's container command survives")
    func deploymentCommand() throws {
        let decoded = try KubernetesProtobuf.decode(ProtobufCapturedBodies.deploymentCommand)
        #expect(
            decoded[path: ["spec", "template", "spec", "containers"]]
                == (try json(#"[{"name":"busybox","image":"busybox","command":["sleep","3600"],"resources":{}}]"#)))
        #expect(decoded[path: ["spec", "replicas"]] == .integer(1))
    }

    @Test("kubectl create service matches its --dry-run=client -o json")
    func services() throws {
        #expect(
            try KubernetesProtobuf.decode(ProtobufCapturedBodies.serviceNodePort)
                == (try json(
                    #"""
                    {"kind":"Service","apiVersion":"v1","metadata":{"name":"np","labels":{"app":"np"}},
                     "spec":{"ports":[{"name":"5678-8080","protocol":"TCP","port":5678,"targetPort":8080,"nodePort":30036}],
                             "selector":{"app":"np"},"type":"NodePort"},
                     "status":{"loadBalancer":{}}}
                    """#)))
        let clusterIP = try KubernetesProtobuf.decode(ProtobufCapturedBodies.serviceClusterIP)
        #expect(clusterIP[path: ["spec", "type"]] == "ClusterIP")
        #expect(
            clusterIP[path: ["spec", "ports"]]
                == (try json(#"[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}]"#)))
    }

    @Test("metadata maps, lists, timestamps and pointer booleans decode; unknown fields of every wire type are skipped")
    func handEncodedSecret() throws {
        var time = ProtobufTestEncoder()
        time.varint(1, 1_795_827_600)  // 2026-11-28T01:00:00Z
        time.varint(2, 500)
        var meta = ProtobufTestEncoder()
        meta.string(1, "handmade")
        meta.string(2, "")
        meta.string(3, "prod")
        meta.varint(7, 0)
        meta.message(8, time)
        meta.mapEntry(11, "app", Array("web".utf8))
        meta.mapEntry(11, "tier", Array("front".utf8))
        meta.mapEntry(12, "note", Array("hi".utf8))
        meta.string(14, "example.com/guard")
        meta.string(14, "example.com/other")
        meta.varint(99, 12)  // unknown varint
        meta.fixed32(98, 7)
        meta.fixed64(97, 9)
        meta.group(96)
        meta.string(95, "unknown bytes")
        var secret = ProtobufTestEncoder()
        secret.message(1, meta)
        secret.mapEntry(2, "bin", [0x00, 0xFF])
        secret.mapEntry(4, "plain", Array("text".utf8))
        secret.string(3, "Opaque")
        secret.varint(5, 0)  // immutable: false, a pointer, so kept
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "Secret", raw: secret)

        #expect(
            try KubernetesProtobuf.decode(body)
                == (try json(
                    #"""
                    {"apiVersion":"v1","kind":"Secret",
                     "metadata":{"name":"handmade","namespace":"prod","creationTimestamp":"2026-11-28T01:00:00Z",
                                 "labels":{"app":"web","tier":"front"},"annotations":{"note":"hi"},
                                 "finalizers":["example.com/guard","example.com/other"]},
                     "data":{"bin":"AP8="},"stringData":{"plain":"text"},"type":"Opaque","immutable":false}
                    """#)))
    }

    @Test("negative int32 values decode from ten-byte varints")
    func negativeNumbers() throws {
        var port = ProtobufTestEncoder()
        port.varint(3, -1)
        var spec = ProtobufTestEncoder()
        spec.message(1, port)
        var service = ProtobufTestEncoder()
        service.message(2, spec)
        let decoded = try KubernetesProtobuf.decode(
            ProtobufTestEncoder.body(apiVersion: "v1", kind: "Service", raw: service))
        #expect(decoded[path: ["spec", "ports"]] == [["port": -1]])
    }

    @Test("kinds without a field table are refused as unsupported")
    func unsupportedKind() {
        let body = ProtobufTestEncoder.body(apiVersion: "batch/v1", kind: "Job", raw: ProtobufTestEncoder())
        do {
            let decoded = try KubernetesProtobuf.decode(body)
            Issue.record("decoded \(decoded)")
        } catch {
            #expect(error.reason == .unsupportedKind)
            #expect(error.description.contains("Job"))
        }
    }

    @Test(
        "malformed bodies are refused",
        arguments: [
            Array("{\"kind\":\"Secret\"}".utf8),
            [0x6B, 0x38, 0x73, 0x00, 0x0A, 0x80],  // truncated length varint
            [0x6B, 0x38, 0x73, 0x00, 0x12, 0x05, 0x01],  // length past the end
            [0x6B, 0x38, 0x73, 0x00, 0x0B, 0x08, 0x01],  // group never closed
            [0x6B, 0x38, 0x73, 0x00, 0x00, 0x01],  // field number 0
            [0x6B, 0x38, 0x73, 0x00],  // no kind
        ] as [[UInt8]])
    func malformed(_ body: [UInt8]) {
        do {
            let decoded = try KubernetesProtobuf.decode(body)
            Issue.record("decoded \(decoded)")
        } catch {
            #expect(error.reason == .malformed)
        }
    }

    @Test(
        "timestamps render as RFC 3339 in UTC with whole seconds",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"), (951_782_400, "2000-02-29T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"), (-62_167_219_200, "0000-01-01T00:00:00Z"),
        ])
    func timestamps(_ seconds: Int64, _ expected: String) throws {
        var time = ProtobufTestEncoder()
        time.varint(1, seconds)
        time.varint(2, 999_000_000)
        var meta = ProtobufTestEncoder()
        meta.message(8, time)
        var secret = ProtobufTestEncoder()
        secret.message(1, meta)
        let decoded = try KubernetesProtobuf.decode(
            ProtobufTestEncoder.body(apiVersion: "v1", kind: "Secret", raw: secret))
        #expect(decoded[path: ["metadata", "creationTimestamp"]] == .string(expected))
    }

    @Test("timestamps JSON cannot carry are refused instead of wrapping around")
    func timestampOutOfRange() {
        var time = ProtobufTestEncoder()
        time.varint(1, Int64.min)
        var meta = ProtobufTestEncoder()
        meta.message(8, time)
        var secret = ProtobufTestEncoder()
        secret.message(1, meta)
        do {
            let decoded = try KubernetesProtobuf.decode(
                ProtobufTestEncoder.body(apiVersion: "v1", kind: "Secret", raw: secret))
            Issue.record("decoded \(decoded)")
        } catch {
            #expect(error.reason == .malformed)
        }
    }

    @Test("a field with the wrong wire type is refused rather than misread")
    func wrongWireType() {
        var meta = ProtobufTestEncoder()
        meta.varint(1, 5)  // name as a varint
        var secret = ProtobufTestEncoder()
        secret.message(1, meta)
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "Secret", raw: secret)
        #expect(throws: ProtobufDecodeError.self) { try KubernetesProtobuf.decode(body) }
    }
}
