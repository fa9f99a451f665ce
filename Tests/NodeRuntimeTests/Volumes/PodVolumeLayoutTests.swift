import Testing
@testable import NodeRuntime

@Suite struct PodVolumeLayoutTests {
    @Test func pathsFollowTheKubeletLayout() throws {
        let layout = try PodVolumeLayout(root: "/var/lib/skiff/pods/", podUID: "0b5c-11")
        #expect(layout.podDirectory == "/var/lib/skiff/pods/0b5c-11")
        #expect(layout.volumesDirectory == "/var/lib/skiff/pods/0b5c-11/volumes")
        #expect(try layout.path(.emptyDir, name: "cache") == "/var/lib/skiff/pods/0b5c-11/volumes/kubernetes.io~empty-dir/cache")
        #expect(try layout.path(.secret, name: "token") == "/var/lib/skiff/pods/0b5c-11/volumes/kubernetes.io~secret/token")
        #expect(layout.pluginDirectory(.configMap) == "/var/lib/skiff/pods/0b5c-11/volumes/kubernetes.io~configmap")
        #expect(layout.pluginDirectory(.downwardAPI).hasSuffix("/kubernetes.io~downward-api"))
        #expect(layout.pluginDirectory(.projected).hasSuffix("/kubernetes.io~projected"))
    }

    @Test(arguments: ["", ".", "..", "a/b", "../x"])
    func namesThatAreNotOneComponentAreRefused(_ name: String) throws {
        #expect(throws: VolumeError.invalidName(kind: "pod UID", name: name)) {
            try PodVolumeLayout(root: "/pods", podUID: name)
        }
        let layout = try PodVolumeLayout(root: "/pods", podUID: "uid")
        #expect(throws: VolumeError.invalidName(kind: "volume name", name: name)) {
            try layout.path(.emptyDir, name: name)
        }
    }
}
