import SkiffAPI
import Testing

@Suite struct GroupVersionKindTests {
    @Test func parsesCoreAndNamedGroups() throws {
        let core = try #require(GroupVersionKind(apiVersion: "v1", kind: "Pod"))
        #expect(core.group == "" && core.version == "v1" && core.apiVersion == "v1")
        let apps = try #require(GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment"))
        #expect(apps.group == "apps" && apps.apiVersion == "apps/v1")
        #expect(GroupVersionKind(apiVersion: "apps/", kind: "Deployment") == nil)
        #expect(GroupVersionKind(apiVersion: "", kind: "Pod") == nil)
    }
}
