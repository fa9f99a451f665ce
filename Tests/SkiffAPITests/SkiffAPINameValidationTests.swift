import SkiffAPI
import Testing

@Suite struct SkiffAPINameValidationTests {
    static let subdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    @Test(arguments: ["notepad", "a", "my.app-1", "0abc", String(repeating: "a", count: 253)])
    func acceptsSubdomains(name: String) {
        #expect(NameValidation.dns1123Subdomain(name).isEmpty)
    }

    @Test(arguments: ["", "Notepad", "-a", "a-", "a..b", "a_b", ".a", "a."])
    func rejectsSubdomains(name: String) {
        #expect(NameValidation.dns1123Subdomain(name) == [Self.subdomainMessage])
    }

    @Test func limitsLengths() {
        #expect(NameValidation.dns1123Subdomain(String(repeating: "a", count: 254)) == ["must be no more than 253 characters"])
        #expect(NameValidation.dns1123Label(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
        #expect(NameValidation.labelValue(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
    }

    @Test func checksLabels() {
        #expect(NameValidation.dns1123Label("my-svc").isEmpty)
        #expect(NameValidation.dns1123Label("my.svc") == [Self.labelMessage])
        #expect(NameValidation.dns1123Label("") == [Self.labelMessage])
    }

    @Test func checksQualifiedNames() {
        #expect(NameValidation.qualifiedName("app").isEmpty)
        #expect(NameValidation.qualifiedName("kubernetes.io/change-cause").isEmpty)
        #expect(NameValidation.qualifiedName("My_Name.x").isEmpty)
        #expect(NameValidation.qualifiedName("/a") == ["prefix part must be non-empty"])
        #expect(NameValidation.qualifiedName("Example.com/a") == ["prefix part " + Self.subdomainMessage])
        #expect(NameValidation.qualifiedName("a/") == [
            "name part must be non-empty",
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ])
        #expect(NameValidation.qualifiedName("a/b/c").first?.hasPrefix("a qualified name must consist of") == true)
        #expect(NameValidation.qualifiedName("a/b/c").first?.hasSuffix("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')") == true)
    }

    @Test func checksLabelValuesAndPorts() {
        #expect(NameValidation.labelValue("").isEmpty)
        #expect(NameValidation.labelValue("My_value.1").isEmpty)
        #expect(NameValidation.labelValue("a b").first?.hasPrefix("a valid label must be an empty string or consist of") == true)
        #expect(NameValidation.portNumber(8083).isEmpty)
        #expect(NameValidation.portNumber(0) == ["must be between 1 and 65535, inclusive"])
        #expect(NameValidation.portNumber(65536) == ["must be between 1 and 65535, inclusive"])
        #expect(NameValidation.portNumber(65535).isEmpty)
    }

    @Test func reportsFieldErrorsForNamesAndLabels() {
        #expect(NameValidation.objectName(nil).map(\.description) == ["metadata.name: Required value: name or generateName is required"])
        #expect(NameValidation.objectName(nil, generateName: "notepad-").isEmpty)
        #expect(NameValidation.objectName("Bad_Name").map(\.description) == ["metadata.name: Invalid value: \"Bad_Name\": " + Self.subdomainMessage])
        #expect(NameValidation.objectName("a.b", asLabel: true).map(\.description) == ["metadata.name: Invalid value: \"a.b\": " + Self.labelMessage])
        let errors = NameValidation.labels(["ok": "fine", "bad key": "x"], field: "metadata.labels")
        #expect(errors.count == 1 && errors[0].field == "metadata.labels" && errors[0].badValue == "bad key")
    }

    @Test func rendersFieldErrorsLikeGo() {
        #expect(FieldError.invalid("spec.replicas", -1, "must be greater than or equal to 0").description
            == "spec.replicas: Invalid value: -1: must be greater than or equal to 0")
        #expect(FieldError.required("spec.containers").description == "spec.containers: Required value")
        #expect(FieldError.notSupported("spec.restartPolicy", "Sometimes", supported: ["Always", "OnFailure", "Never"]).description
            == #"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#)
        #expect(FieldError.duplicate("spec.containers[1].name", "notepad").description
            == #"spec.containers[1].name: Duplicate value: "notepad""#)
        #expect(FieldError.forbidden("spec.volumeMounts", "unknown field").description == "spec.volumeMounts: Forbidden: unknown field")
        #expect(FieldError.tooLong("metadata.annotations", maxLength: 262144).description
            == "metadata.annotations: Too long: may not be more than 262144 bytes")
        #expect(FieldError.invalid("x", "a\"b\n", "bad").description == #"x: Invalid value: "a\"b\n": bad"#)
    }
}
