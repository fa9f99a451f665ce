import Foundation
import SkiffAPI
import Testing

@testable import SkiffClient

/// The seed's four manifests, read as written in the seed document.
@Suite struct ManifestSeedTests {
    static let seedDirectory = "/work/shared/seed/manifests"

    /// The seed text when the seed is present, else the copy embedded here (the seed is
    /// read-only reference data outside the repository).
    static func seed(_ name: String, fallback: String) -> String {
        (try? String(contentsOfFile: "\(seedDirectory)/\(name)", encoding: .utf8)) ?? fallback
    }

    static let deployment = seed(
        "deployment.yaml",
        fallback: """
            # 配置文件格式的版本
            apiVersion: apps/v1
            # 创建的资源类型
            kind: Deployment
            # 资源的元数据
            metadata:
              name: notepad
            # 规格说明
            spec:
              # 定义 pod 数量
              replicas: 3
              # 通过 label 找到对应的 pod
              selector:
                matchLabels:
                  app: mytest
              # 定义 pod 的模板
              template:
                # pod 的元数据
                metadata:
                  # 定义 pod 的 label
                  labels:
                    app: mytest
                # 描述 pod 的规格
                spec:
                  containers:
                    - name: notepad
                      image: mengsixing/notepad
                      ports:
                        - containerPort: 8083

            """)

    static let service = seed(
        "service.yaml",
        fallback: """
            apiVersion: v1
            kind: Service
            metadata:
              name: my-service
            spec:
              # 在节点上部署访问 pod 的端口
              type: NodePort
              ports:
                - port: 80
                  # service 代理的端口
                  targetPort: 8083
                  # node 节点上提供给集群外部的访问端口
                  nodePort: 30036
              # 匹配 pod
              selector:
                app: mytest

            """)

    static let secret = seed(
        "mysecret.yaml",
        fallback: "apiVersion: v1\nkind Secret\nmetadata:\n  name:mysecret\ndata:\n  username:admin\n  password:123\n")

    static let pod = seed(
        "mypod.yaml",
        fallback: """
            # mypod.yaml
            apiVersion: v1
            kind: Pod
            metadata:
              name: mypod
            spec:
              containers:
                - name: mypod
                  image: mengsixing/notepad
              volumeMounts:
                - name: foo
                  mountPath: "etc/foo"
                  readOnly: true
              volumes:
                - name: foo
                  secret:
                    secretName: mysecret

            """)

    @Test func deploymentReadsWithIntegers() throws {
        let documents = try ManifestReader.documents(in: Self.deployment, source: "deployment.yaml")
        #expect(documents.count == 1)
        let object = documents[0].object
        #expect(object["kind"] == "Deployment")
        #expect(object["apiVersion"] == "apps/v1")
        #expect(object["spec"]["replicas"] == .integer(3))
        #expect(object["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == .integer(8083))
        #expect(object["spec"]["selector"]["matchLabels"]["app"] == "mytest")
        #expect(documents[0].source == "deployment.yaml")
        #expect(documents[0].line == 2, "the first line is a comment; the object starts at apiVersion")
    }

    @Test func serviceReadsWithIntegerPorts() throws {
        let documents = try ManifestReader.documents(in: Self.service, source: "service.yaml")
        let port = documents[0].object["spec"]["ports"][0]
        #expect(port["port"] == .integer(80))
        #expect(port["targetPort"] == .integer(8083))
        #expect(port["nodePort"] == .integer(30036))
        #expect(documents[0].object["spec"]["type"] == "NodePort")
    }

    @Test func brokenSecretIsRefusedWithFileAndLine() {
        #expect(throws: ManifestError.yamlSyntax(source: "mysecret.yaml", line: 3, problem: "could not find expected ':'")) {
            try ManifestReader.documents(in: Self.secret, source: "mysecret.yaml")
        }
        do {
            _ = try ManifestReader.documents(in: Self.secret, source: "mysecret.yaml")
            Issue.record("the seed secret must be refused")
        } catch {
            // kubectl 1.32 prints exactly this for the seed file.
            #expect(
                error.description
                    == "error parsing mysecret.yaml: error converting YAML to JSON: yaml: line 3: could not find expected ':'")
        }
    }

    @Test func misplacedVolumeMountsStillParse() throws {
        // The server, not the reader, rejects `spec.volumeMounts` (unknown field).
        let documents = try ManifestReader.documents(in: Self.pod, source: "mypod.yaml")
        #expect(documents.count == 1)
        #expect(documents[0].object["spec"]["volumeMounts"][0]["mountPath"] == "etc/foo")
        #expect(documents[0].object["spec"]["volumeMounts"][0]["readOnly"] == .bool(true))
    }
}

@Suite struct ManifestScalarTests {
    private func value(_ yaml: String) throws -> JSONValue {
        try ManifestReader.documents(in: "apiVersion: v1\nkind: ConfigMap\nx: \(yaml)\n", source: "t.yaml")[0].object["x"]
    }

    @Test func plainScalarsResolveAsGoYAMLDoes() throws {
        #expect(try value("3") == .integer(3))
        #expect(try value("\"3\"") == .string("3"))
        #expect(try value("'3'") == .string("3"))
        #expect(try value("-7") == .integer(-7))
        #expect(try value("0x1F") == .integer(31))
        #expect(try value("010") == .integer(8))
        #expect(try value("1_000") == .integer(1000))
        #expect(try value("3.5") == .double(3.5))
        #expect(try value("3.0") == .integer(3), "an integral float reaches the server as an integer")
        #expect(try value("1e3") == .integer(1000))
        #expect(try value("yes") == .bool(true))
        #expect(try value("Off") == .bool(false))
        #expect(try value("true") == .bool(true))
        #expect(try value("~") == .null)
        #expect(try value("null") == .null)
        #expect(try value("") == .null)
        #expect(try value("2001-12-14") == .string("2001-12-14"), "timestamps stay strings")
        #expect(try value("1:20") == .string("1:20"))
        #expect(try value("hello world") == .string("hello world"))
        #expect(try value("!!str 42") == .string("42"))
        #expect(try value("!!int \"42\"") == .integer(42))
        #expect(try value("9223372036854775807") == .integer(Int64.max))
    }

    @Test func infinityIsRefused() {
        #expect(throws: ManifestError.self) { try value(".inf") }
    }

    @Test func keyOrderDoesNotMatter() throws {
        let a = try ManifestReader.documents(in: "kind: Pod\napiVersion: v1\nmetadata: {name: x}\n", source: "a")[0].object
        let b = try ManifestReader.documents(in: "metadata:\n  name: x\napiVersion: v1\nkind: Pod\n", source: "b")[0].object
        #expect(a == b)
    }

    @Test func mergeKeysMerge() throws {
        let text = """
            apiVersion: v1
            kind: ConfigMap
            base: &base {a: "1", b: "2"}
            data:
              <<: *base
              b: "3"
            """
        let object = try ManifestReader.documents(in: text, source: "m.yaml")[0].object
        #expect(object["data"] == ["a": "1", "b": "3"])
    }

    @Test func nonStringKeysBecomeTheirText() throws {
        let object = try ManifestReader.documents(in: "apiVersion: v1\nkind: ConfigMap\ndata:\n  1: a\n  true: b\n", source: "k")[0].object
        #expect(object["data"] == ["1": "a", "true": "b"])
    }
}

@Suite struct ManifestStreamTests {
    @Test func documentsRememberTheirLines() throws {
        let text = """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            ---
            # only a comment
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: b}
            """
        let documents = try ManifestReader.documents(in: text, source: "two.yaml")
        #expect(documents.map { $0.object["metadata"]["name"] } == ["a", "b"])
        #expect(documents.map(\.line) == [2, 8])
    }

    @Test func oneBrokenDocumentRefusesTheFile() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   labels: y\n"
        #expect(throws: ManifestError.yamlSyntax(source: "f.yaml", line: 9, problem: "mapping values are not allowed in this context")) {
            try ManifestReader.documents(in: text, source: "f.yaml")
        }
    }

    @Test func listsExpandIntoTheirItems() throws {
        let text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: a}
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: b}
            """
        let documents = try ManifestReader.documents(in: text, source: "list.yaml")
        #expect(documents.map { $0.object["kind"] } == ["ConfigMap", "Deployment"])
        #expect(documents.map(\.line) == [4, 7])
    }

    @Test func typedListItemsTakeTheListKind() throws {
        let text = #"{"apiVersion": "apps/v1", "kind": "DeploymentList", "items": [{"metadata": {"name": "a"}}]}"#
        let documents = try ManifestReader.documents(in: text, source: "l.json")
        #expect(documents[0].object["kind"] == "Deployment")
        #expect(documents[0].object["apiVersion"] == "apps/v1")
    }

    @Test func jsonObjectsReadAndErrorsNameTheLine() throws {
        let good = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"x\"}, \"spec\": {\"n\": 3}}\n"
        #expect(try ManifestReader.documents(in: good, source: "p.json")[0].object["spec"]["n"] == .integer(3))
        let stream = good + good
        #expect(try ManifestReader.documents(in: stream, source: "p.json").count == 2)
        let bad = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n \"metadata\": {\"name\": \"x\",}}\n"
        #expect(throws: ManifestError.jsonSyntax(source: "p.json", line: 2, column: 27, problem: "expected a member name")) {
            try ManifestReader.documents(in: bad, source: "p.json")
        }
    }

    @Test func missingApiVersionAndKindAreReportedAsKubectlDoes() {
        do {
            _ = try ManifestReader.documents(in: "metadata:\n  name: x\n", source: "F")
            Issue.record("expected a validation error")
        } catch {
            #expect(
                error.description
                    == "error validating \"F\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false")
        }
        do {
            _ = try ManifestReader.documents(in: "apiVersion: v1\nmetadata:\n  name: x\n", source: "F")
            Issue.record("expected a validation error")
        } catch {
            #expect(error.description.contains("error validating data: kind not set;"))
        }
    }

    @Test func secretDataMustBeBase64() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  username: admin\n  password: \"123\"\n  ok: YWRtaW4=\n"
        #expect(
            throws: ManifestError.invalid(
                source: "s.yaml",
                problems: [
                    "data[\"password\"]: illegal base64 data at input byte 0",
                    "data[\"username\"]: illegal base64 data at input byte 4",
                ])
        ) {
            try ManifestReader.documents(in: text, source: "s.yaml")
        }
        // --validate=false leaves it to the server.
        #expect((try? ManifestReader.documents(in: text, source: "s.yaml", validate: false))?.count == 1)
    }

    @Test func topLevelListIsNotAnObject() {
        #expect(throws: ManifestError.notAnObject(source: "l.yaml", line: 1, found: "a list")) {
            try ManifestReader.documents(in: "- a\n- b\n", source: "l.yaml")
        }
    }
}

@Suite struct ManifestBase64Tests {
    @Test func offsetsMatchGo() {
        #expect(GoBase64.firstIllegalByte(in: "YWRtaW4=") == nil)
        #expect(GoBase64.firstIllegalByte(in: "YWRtaW4") == 4)
        #expect(GoBase64.firstIllegalByte(in: "admin") == 4)
        #expect(GoBase64.firstIllegalByte(in: "123") == 0)
        #expect(GoBase64.firstIllegalByte(in: "") == nil)
        #expect(GoBase64.firstIllegalByte(in: "ab!d") == 2)
        #expect(GoBase64.firstIllegalByte(in: "YQ==") == nil)
        #expect(GoBase64.firstIllegalByte(in: "YQ=") == 3)
        #expect(GoBase64.firstIllegalByte(in: "YQ==YQ==") == 4)
        #expect(GoBase64.firstIllegalByte(in: "YWRt\naW4=") == nil, "newlines are skipped")
    }
}

@Suite struct ManifestLoaderTests {
    private func directory(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-manifests-\(UUID().uuidString)").path
        for (name, text) in files {
            let path = "\(root)/\(name)"
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return root
    }

    private func configMap(_ name: String) -> String { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name)}\n" }

    @Test func directoriesReadManifestFilesInNameOrder() throws {
        let root = try directory([
            "b.yml": configMap("b"), "a.yaml": configMap("a"), "c.json": #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}"#,
            "notes.txt": "not a manifest", "sub/d.yaml": configMap("d"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let flat = try ManifestLoader().load([root])
        #expect(flat.map { $0.object["metadata"]["name"] } == ["a", "b", "c"])
        #expect(flat[0].source == "\(root)/a.yaml")
        let recursive = try ManifestLoader(recursive: true).load([root])
        #expect(recursive.map { $0.object["metadata"]["name"] } == ["a", "b", "c", "d"])
    }

    @Test func standardInputIsNamedSTDIN() throws {
        let text = configMap("in")
        let documents = try ManifestLoader(readStandardInput: { Data(text.utf8) }).load(["-"])
        #expect(documents[0].source == "STDIN")
    }

    @Test func missingPathsAndEmptyDirectoriesAreRefused() throws {
        #expect(throws: ManifestError.unreadable(path: "/nonexistent/x.yaml", reason: "")) {
            try ManifestLoader().load(["/nonexistent/x.yaml"])
        }
        let root = try directory(["readme.md": "x"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: ManifestError.noManifestFiles(path: root)) { try ManifestLoader().load([root]) }
    }
}
