import SkiffAPI
import Testing

@Suite struct SkiffAPIStatusTests {
    let deployments = GroupResource(group: "apps", resource: "deployments")

    @Test func notFoundMatchesTheAPIServer() throws {
        let status = APIStatus.notFound(deployments, name: "notepad")
        let expected = try JSONValue(jsonString: """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",\
            "message":"deployments.apps \\"notepad\\" not found","reason":"NotFound",\
            "details":{"name":"notepad","group":"apps","kind":"deployments"},"code":404}
            """)
        #expect(status.json == expected)
        #expect(APIStatus.notFound(GroupResource(group: "", resource: "pods"), name: "x").message == #"pods "x" not found"#)
        #expect(APIStatus.notFound(GroupResource(group: "", resource: "pods"), name: "x").json["details"] == ["name": "x", "kind": "pods"])
    }

    @Test func alreadyExistsAndConflict() {
        let exists = APIStatus.alreadyExists(deployments, name: "notepad")
        #expect(exists.message == #"deployments.apps "notepad" already exists"#)
        #expect(exists.code == 409 && exists.reason == .alreadyExists)
        let conflict = APIStatus.conflict(deployments, name: "notepad")
        #expect(conflict.message
            == #"Operation cannot be fulfilled on deployments.apps "notepad": the object has been modified; please apply your changes to the latest version and try again"#)
        #expect(conflict.json["reason"] == "Conflict" && conflict.json["code"] == 409)
    }

    @Test func invalidCarriesCauses() throws {
        let error = FieldError.invalid(
            "spec.template.metadata.labels", JSONValue(stringMap: ["app": "x"]), "`selector` does not match template `labels`")
        let status = APIStatus.invalid(GroupKind(group: "apps", kind: "Deployment"), name: "notepad", errors: [error])
        #expect(status.message
            == #"Deployment.apps "notepad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`"#)
        #expect(status.code == 422)
        let expectedDetails: JSONValue = [
            "name": "notepad", "group": "apps", "kind": "Deployment",
            "causes": [[
                "reason": "FieldValueInvalid",
                "message": #"Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`"#,
                "field": "spec.template.metadata.labels",
            ]],
        ]
        #expect(status.json["details"] == expectedDetails)

        let two = APIStatus.invalid(
            GroupKind(group: "", kind: "Pod"), name: "mypod",
            errors: [.required("spec.containers[0].image"), .invalid("spec.containers[0].volumeMounts[0].mountPath", "etc/foo", "must be an absolute path")])
        #expect(two.message
            == #"Pod "mypod" is invalid: [spec.containers[0].image: Required value, spec.containers[0].volumeMounts[0].mountPath: Invalid value: "etc/foo": must be an absolute path]"#)
        #expect(two.json["details"]["causes"].arrayValue?.count == 2)
        #expect(two.json["details"]["group"].isNull)
    }

    @Test func otherReasons() {
        let pods = GroupResource(group: "", resource: "pods")
        let table: [(APIStatus, Int, String, String)] = [
            (.badRequest("bad"), 400, "BadRequest", "bad"),
            (.gone("gone"), 410, "Gone", "gone"),
            (.resourceExpired("too old resource version: 1 (5)"), 410, "Expired", "too old resource version: 1 (5)"),
            (.unauthorized(), 401, "Unauthorized", "not authorized"),
            (.forbidden(pods, name: "x", reason: "no"), 403, "Forbidden", #"pods "x" is forbidden: no"#),
            (.forbidden(pods, reason: "no"), 403, "Forbidden", "pods is forbidden: no"),
            (.methodNotSupported(deployments, action: "watch"), 405, "MethodNotAllowed",
             #"watch is not supported on resources of kind "deployments.apps""#),
            (.requestEntityTooLarge("limit is 3145728"), 413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
            (.unsupportedMediaType(accepted: ["application/json", "application/yaml"]), 415, "UnsupportedMediaType",
             "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"),
            (.internalError("disk full"), 500, "InternalError", "Internal error occurred: disk full"),
        ]
        for (status, code, reason, message) in table {
            #expect(status.json["code"] == .integer(Int64(code)))
            #expect(status.json["reason"] == .string(reason))
            #expect(status.json["message"] == .string(message))
            #expect(status.json["kind"] == "Status" && status.json["status"] == "Failure")
        }
        #expect(APIStatus.badRequest("x").json["details"].isNull)
    }

    @Test func readsAStatusReplyBack() throws {
        let status = APIStatus.notFound(deployments, name: "notepad")
        let parsed = try #require(APIStatus(json: try JSONValue(jsonString: try status.json.jsonString())))
        #expect(parsed == status)
        #expect(APIStatus(json: ["kind": "Deployment"]) == nil)
    }
}
