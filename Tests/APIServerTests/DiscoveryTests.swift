import Foundation
import SkiffAPI
import SkiffClient
import Testing

/// What kubectl reads before anything else, over real HTTPS from a real skiffd.
@Suite(.serialized) struct DiscoveryTests {
    @Test func versionDiscoveryOpenAPIAndHealth() async throws {
        try await TestServer.with() { server in

            let version = try await server.get("/version")
            #expect(version.status == 200)
            #expect(version.body["major"] == "1" && version.body["minor"] == "32")

            let aggregatedAccept =
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
            let core = try await server.request("GET", "/api", accept: aggregatedAccept)
            #expect(core.contentType == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
            let coreResources = core.body["items"][0]["versions"][0]["resources"].arrayValue ?? []
            let pods = coreResources.first { $0["resource"] == "pods" }
            #expect(pods?["scope"] == "Namespaced")
            #expect(pods?["shortNames"] == ["po"])
            #expect(pods?["responseKind"] == ["group": "", "version": "v1", "kind": "Pod"])

            let groups = try await server.request("GET", "/apis", accept: aggregatedAccept)
            let apps = (groups.body["items"].arrayValue ?? []).first { $0["metadata"]["name"] == "apps" }
            let deployments = (apps?["versions"][0]["resources"].arrayValue ?? []).first { $0["resource"] == "deployments" }
            #expect(deployments?["shortNames"] == ["deploy"])
            let scale = (deployments?["subresources"].arrayValue ?? []).first { $0["subresource"] == "scale" }
            #expect(scale?["responseKind"]["kind"] == "Scale")

            // Legacy documents for clients that do not ask for aggregation.
            let legacy = try await server.get("/api")
            #expect(legacy.body["kind"] == "APIVersions" && legacy.body["versions"] == ["v1"])
            let appsV1 = try await server.get("/apis/apps/v1")
            #expect(appsV1.body["kind"] == "APIResourceList")
            #expect((appsV1.body["resources"].arrayValue ?? []).contains { $0["name"] == "deployments/scale" && $0["group"] == "autoscaling" })

            let openAPI = try await server.get("/openapi/v3")
            let url = openAPI.body["paths"]["apis/apps/v1"]["serverRelativeURL"].stringValue ?? ""
            #expect(url.hasPrefix("/openapi/v3/apis/apps/v1?hash="))
            let document = try await server.get("/openapi/v3/apis/apps/v1")
            let patch = document.body["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
            #expect(patch["x-kubernetes-group-version-kind"]["kind"] == "Deployment")
            #expect(patch["parameters"][0]["name"] == "fieldValidation")

            for path in ["/healthz", "/livez", "/readyz"] {
                let health = try await server.get(path)
                #expect(health.status == 200 && health.text == "ok", "\(path)")
            }
            let metrics = try await server.get("/metrics")
            #expect(metrics.text.contains("apiserver_request_total{"))
            #expect(metrics.text.contains("skiff_storage_request_duration_seconds"))
        }
    }

    @Test func requestsWithoutTheTokenAreRefused() async throws {
        try await TestServer.with() { server in
            var settings = try Kubeconfig.load(path: server.kubeconfig).resolve(context: nil)
            let token = settings.token
            settings.token = nil
            let anonymous = try APIClient(settings: settings)
            let refused = try await anonymous.send("GET", "/api/v1/namespaces", accept: "application/json")
            #expect(refused.status == 401)
            #expect(refused.statusError?.reason == .unauthorized)
            settings.token = "not-the-token"
            let wrong = try APIClient(settings: settings)
            #expect(try await wrong.send("GET", "/api/v1/namespaces", accept: "application/json").status == 401)
            // Version and health stay public, as on a real cluster.
            #expect(try await anonymous.send("GET", "/version", accept: "application/json").status == 200)
            // And the CA really is enforced: a client trusting another CA fails to connect.
            settings.caPEM = TestCertificates.unrelatedCA
            settings.token = token
            let untrusting = try APIClient(settings: settings)
            await #expect(throws: (any Error).self) {
                _ = try await untrusting.send("GET", "/version", accept: "application/json")
            }
            await anonymous.shutdown()
            await wrong.shutdown()
            await untrusting.shutdown()
        }
    }
}
