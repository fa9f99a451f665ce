import Dispatch
import Foundation
import Glibc
import NodeRuntime
import Testing

private typealias F = ImageStoreFixtures

@Suite struct ImageStoreTests {
    // MARK: importing

    @Test func importsOCILayoutDirectory() throws {
        try withImageTestDirectory { dir in
            let layout = try ImageLayoutBuilder(at: "\(dir)/layout")
            let layer = F.basicLayer()
            let image = try layout.addImage(layers: [layer], settings: [
                "Entrypoint": ["/bin/tool"], "Cmd": ["--serve"], "WorkingDir": "/srv", "User": "1000:1000",
                "Env": ["PATH=/bin", "MODE=demo"], "ExposedPorts": ["8083/tcp": [String: String](), "53/udp": [String: String]()],
                "StopSignal": "SIGQUIT",
            ])
            try layout.writeIndex([ImageLayoutBuilder.descriptor(image, annotations: [F.refName: "docker.io/mengsixing/notepad:latest"])])
            let store = try ImageStore(root: "\(dir)/store")

            let records = try store.importArchive(path: layout.directory)

            try #require(records.count == 1)
            let record = records[0]
            #expect(record.id.description == image.configDigest)
            #expect(record.repoTags == ["docker.io/mengsixing/notepad:latest"])
            #expect(record.manifestDigest?.description == image.manifestDigest)
            #expect(record.layers.map(\.description) == image.diffIDs)
            #expect(record.layerBlobs.map(\.description) == image.layerDigests)
            #expect(record.size == Int64(layer.count))
            #expect(record.created == "2024-01-02T03:04:05Z")
            #expect(record.os == "linux" && record.architecture == "amd64")
            #expect(record.config == ImageConfig(
                entrypoint: ["/bin/tool"], cmd: ["--serve"], env: ["PATH=/bin", "MODE=demo"], workingDir: "/srv",
                user: "1000:1000", exposedPorts: ["53/udp", "8083/tcp"], stopSignal: "SIGQUIT"))
            #expect(try store.list() == [record])
            #expect(try store.resolve(reference: "mengsixing/notepad") == record)

            for digest in [image.configDigest, image.manifestDigest] + image.layerDigests {
                #expect(F.stat("\(store.root)/blobs/sha256/\(digest.dropFirst(7))") != nil, "blob \(digest)")
            }
            let layerDir = store.layerDirectory(for: record.layers[0])
            #expect(store.lowerDirs(for: record) == [layerDir])
            #expect(layerDir.hasPrefix("/") && layerDir == "\(store.root)/layers/\(record.layers[0].hex)")
            #expect(F.contents("\(layerDir)/etc/hostname") == "demo-one\n")
            let tool = try #require(F.stat("\(layerDir)/bin/tool"))
            #expect(tool.st_mode & 0o7777 == 0o755)
            #expect(tool.st_uid == 1000)
            #expect(F.symlinkTarget("\(layerDir)/bin/link") == "tool")
            #expect(F.stat("\(layerDir)/bin/hard")?.st_ino == tool.st_ino, "hard link shares the inode")
            #expect((F.stat("\(layerDir)/private")?.st_mode ?? 0) & 0o7777 == 0o700)
            #expect(F.names(in: "\(store.root)/tmp").isEmpty, "staging is cleaned up")
        }
    }

    @Test func importsOCILayoutTarWithTagOnlyRefName() throws {
        try withImageTestDirectory { dir in
            let built = try F.ociLayout(at: "\(dir)/layout", images: [
                (layers: [F.basicLayer()], annotations: [F.refName: "3.19", F.containerdName: "docker.io/library/alpine:3.19"]),
                (layers: [F.fileLayer("untagged")], annotations: [F.refName: "v2"]),
                (layers: [F.fileLayer("short")], annotations: [F.refName: "registry.local/team/app:v1"]),
            ])
            try ImageLayoutBuilder.tar("\(dir)/layout", to: "\(dir)/images.tar")
            let store = try ImageStore(root: "\(dir)/store")

            let records = try store.importArchive(path: "\(dir)/images.tar")

            #expect(records.map(\.id.description) == built.map(\.configDigest))
            #expect(records.map(\.repoTags) == [["docker.io/library/alpine:3.19"], [], ["registry.local/team/app:v1"]])
            #expect(try store.resolve(reference: "alpine:3.19").id == records[0].id)
            #expect(try store.resolve(reference: records[1].id.description).repoTags.isEmpty, "untagged images stay reachable by id")
        }
    }

    @Test func importsOldStyleDockerSaveArchive() throws {
        try withImageTestDirectory { dir in
            let base = F.basicLayer()
            let app = F.fileLayer("web")
            let configDigest = try ImageLayoutBuilder.dockerSave(
                at: "\(dir)/save", layers: [base, app], repoTags: ["busybox:latest", "localhost:5000/tools/app:v1"],
                settings: ["Cmd": ["httpd"]])
            try ImageLayoutBuilder.tar("\(dir)/save", to: "\(dir)/save.tar")
            let store = try ImageStore(root: "\(dir)/store")

            let records = try store.importArchive(path: "\(dir)/save.tar")

            try #require(records.count == 1)
            let record = records[0]
            #expect(record.id.description == configDigest)
            #expect(record.repoTags == ["docker.io/library/busybox:latest", "localhost:5000/tools/app:v1"])
            #expect(record.manifestDigest == nil)
            #expect(record.layers.map(\.description) == [try ImageLayoutBuilder.sha256(base), try ImageLayoutBuilder.sha256(app)])
            #expect(record.layerBlobs == record.layers, "docker save layers are uncompressed")
            #expect(record.config.cmd == ["httpd"])
            #expect(store.lowerDirs(for: record) == record.layers.reversed().map(store.layerDirectory(for:)), "top-most first")
            #expect(F.contents("\(store.lowerDirs(for: record)[0])/app/web") == "content of web\n")
        }
    }

    @Test func importsDockerSaveWithOCILayout() throws {
        try withImageTestDirectory { dir in
            // Docker 25+: an OCI layout plus manifest.json pointing into blobs/.
            let layout = try ImageLayoutBuilder(at: "\(dir)/save")
            let image = try layout.addImage(layers: [F.basicLayer()], compression: .none)
            try layout.writeIndex([ImageLayoutBuilder.descriptor(image, annotations: [
                F.containerdName: "docker.io/library/alpine:3.19", F.refName: "3.19",
            ])])
            let manifest = try ImageLayoutBuilder.json([[
                "Config": "blobs/sha256/\(image.configDigest.dropFirst(7))",
                "RepoTags": ["alpine:3.19", "alpine:latest"],
                "Layers": image.layerDigests.map { "blobs/sha256/\($0.dropFirst(7))" },
            ]])
            try Data(manifest).write(to: URL(fileURLWithPath: "\(dir)/save/manifest.json"))
            try ImageLayoutBuilder.tar("\(dir)/save", to: "\(dir)/save.tar")
            let store = try ImageStore(root: "\(dir)/store")

            let records = try store.importArchive(path: "\(dir)/save.tar")

            #expect(records.map(\.repoTags) == [["docker.io/library/alpine:3.19", "docker.io/library/alpine:latest"]])
            #expect(records.first?.manifestDigest?.description == image.manifestDigest)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd"), "needs /usr/bin/zstd to build the layer"))
    func importsZstdLayers() throws {
        try withImageTestDirectory { dir in
            try F.ociLayout(at: "\(dir)/layout", images: [(layers: [F.basicLayer()], annotations: [F.refName: "zstd/app:1"])], compression: .zstd)
            let store = try ImageStore(root: "\(dir)/store")
            let record = try #require(try store.importArchive(path: "\(dir)/layout").first)
            #expect(F.contents("\(store.lowerDirs(for: record)[0])/etc/hostname") == "demo-one\n")
        }
    }

    @Test func picksTheHostPlatformFromAMultiPlatformIndex() throws {
        try withImageTestDirectory { dir in
            let layout = try ImageLayoutBuilder(at: "\(dir)/layout")
            let image = try layout.addImage(layers: [F.basicLayer()])
            let foreign: [String: Any] = [
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": "sha256:" + String(repeating: "e", count: 64), "size": 100,
                "platform": ["os": "linux", "architecture": "s390x"],
            ]
            let nested = try ImageLayoutBuilder.json([
                "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                "manifests": [foreign, ImageLayoutBuilder.descriptor(image, platform: ["os": "linux", "architecture": F.hostArchitecture])],
            ] as [String: Any])
            let nestedDigest = try layout.addBlob(nested)
            try layout.writeIndex([[
                "mediaType": "application/vnd.oci.image.index.v1+json", "digest": nestedDigest, "size": nested.count,
                "annotations": [F.refName: "docker.io/library/multi:1"],
            ]])
            let store = try ImageStore(root: "\(dir)/store")

            let records = try store.importArchive(path: layout.directory)

            #expect(records.map(\.id.description) == [image.configDigest])
            #expect(records.first?.repoTags == ["docker.io/library/multi:1"])
        }
    }

    @Test func whiteoutsAndOpaqueDirectoriesBecomeOverlayForm() throws {
        try withImageTestDirectory { dir in
            let lower = TarArchiveBuilder([
                .directory("etc/"), .file("etc/passwd", "root\n"), .file("etc/group", "root\n"),
                .directory("var/"), .directory("var/cache/"), .file("var/cache/a", "a"), .file("var/cache/b", "b"),
            ]).archive
            let upper = TarArchiveBuilder([
                .directory("etc/"), .file("etc/.wh.passwd", ""),
                .directory("var/"), .directory("var/cache/"), .file("var/cache/.wh..wh..opq", ""), .file("var/cache/new", "n"),
                .file("opt/.wh.ghost", ""),
                .directory("same/"), .file("same/keep", "kept"), .file("same/.wh.keep", ""),
                .file("fresh/.wh..wh..opq", ""),
            ]).archive
            try F.ociLayout(at: "\(dir)/layout", images: [(layers: [lower, upper], annotations: [F.refName: "wh/test:1"])])
            let store = try ImageStore(root: "\(dir)/store")

            let record = try #require(try store.importArchive(path: "\(dir)/layout").first)

            let top = store.lowerDirs(for: record)[0]
            #expect(F.isWhiteout("\(top)/etc/passwd"))
            #expect(F.stat("\(top)/etc/.wh.passwd") == nil, "the marker itself is not extracted")
            #expect(F.xattr("\(top)/var/cache", "trusted.overlay.opaque") == "y")
            #expect(F.stat("\(top)/var/cache/.wh..wh..opq") == nil)
            #expect(F.contents("\(top)/var/cache/new") == "n")
            #expect(F.isWhiteout("\(top)/opt/ghost"), "parents of a whiteout are created")
            #expect(F.contents("\(top)/same/keep") == "kept", "a whiteout does not hide its own layer's file")
            #expect(F.xattr("\(top)/fresh", "trusted.overlay.opaque") == "y", "opaque marker creates its directory")
            #expect(F.xattr("\(top)/etc", "trusted.overlay.opaque") == nil)

            let mounted = try F.withOverlay(lowerDirs: store.lowerDirs(for: record), in: "\(dir)/overlay") { merged in
                #expect(F.stat("\(merged)/etc/passwd") == nil, "whited out in the merged view")
                #expect(F.contents("\(merged)/etc/group") == "root\n")
                #expect(F.names(in: "\(merged)/var/cache") == ["new"], "opaque directory hides the lower layer")
            }
            if !mounted { print("note: overlay mounts unavailable; checked the on-disk whiteout form only") }
        }
    }

    @Test func layersCannotForgeOverlayXattrs() throws {
        try withImageTestDirectory { dir in
            let layer = TarArchiveBuilder([
                .fileWithXattrs("f", "x", xattrs: ["trusted.overlay.redirect": "/etc", "user.kept": "yes"]),
            ]).archive
            try F.ociLayout(at: "\(dir)/layout", images: [(layers: [layer], annotations: [F.refName: "xattr:1"])])
            let store = try ImageStore(root: "\(dir)/store")

            let record = try #require(try store.importArchive(path: "\(dir)/layout").first)

            let file = "\(store.lowerDirs(for: record)[0])/f"
            #expect(F.contents(file) == "x")
            #expect(F.xattr(file, "user.kept") == "yes", "ordinary xattrs are restored")
            #expect(F.xattr(file, "trusted.overlay.redirect") == nil, "overlay metadata only comes from OCI markers")
        }
    }

    @Test func repeatedAndEmptyLayersGiveValidLowerDirs() throws {
        try withImageTestDirectory { dir in
            let a = F.fileLayer("a")
            let b = F.fileLayer("b")
            let emptyTar = TarArchiveBuilder([]).archive
            try F.ociLayout(at: "\(dir)/layout", images: [(layers: [a, b, a, emptyTar, []], annotations: [F.refName: "dup:1"])], compression: .none)
            let store = try ImageStore(root: "\(dir)/store")

            let record = try #require(try store.importArchive(path: "\(dir)/layout").first)

            #expect(record.layers.count == 5)
            let emptyDigest = try ImageLayoutBuilder.sha256([])
            #expect(store.lowerDirs(for: record).map { String($0.split(separator: "/").last ?? "") } == [
                emptyDigest, try ImageLayoutBuilder.sha256(emptyTar), try ImageLayoutBuilder.sha256(a), try ImageLayoutBuilder.sha256(b),
            ].map { String($0.dropFirst(7)) }, "top-most first, each layer once")
            #expect(F.names(in: store.layerDirectory(for: record.layers[4])).isEmpty)
        }
    }

    // MARK: refusing bad archives, leaving the store unchanged

    /// A store that already holds an image, so "unchanged" covers real content.
    private func populatedStore(_ dir: String) throws -> ImageStore {
        try F.ociLayout(at: "\(dir)/good", images: [(layers: [F.basicLayer()], annotations: [F.refName: "good/image:1"])])
        let store = try ImageStore(root: "\(dir)/store")
        _ = try store.importArchive(path: "\(dir)/good")
        return store
    }

    @Test func blobDigestMismatchIsRefused() throws {
        try withImageTestDirectory { dir in
            let store = try populatedStore(dir)
            let layout = try ImageLayoutBuilder(at: "\(dir)/bad")
            let image = try layout.addImage(layers: [F.fileLayer("x")])
            try layout.writeIndex([ImageLayoutBuilder.descriptor(image, annotations: [F.refName: "bad/image:1"])])
            let blob = layout.blobPath(image.layerDigests[0])
            var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: blob)))
            bytes[bytes.count / 2] ^= 0xff
            try Data(bytes).write(to: URL(fileURLWithPath: blob))

            try F.expectImportFails(store, "\(dir)/bad", mentioning: ["layer 0 blob \(image.layerDigests[0].prefix(19))", "is corrupt"])
        }
    }

    @Test func diffIDMismatchIsRefused() throws {
        try withImageTestDirectory { dir in
            let store = try populatedStore(dir)
            let layout = try ImageLayoutBuilder(at: "\(dir)/bad")
            let wrong = "sha256:" + String(repeating: "1", count: 64)
            let image = try layout.addImage(layers: [F.fileLayer("x")], diffIDs: [wrong])
            try layout.writeIndex([ImageLayoutBuilder.descriptor(image, annotations: [F.refName: "bad/image:1"])])

            try F.expectImportFails(store, "\(dir)/bad", mentioning: ["uncompresses to \(image.diffIDs[0])", "rootfs.diff_ids[0] is \(wrong)"])
        }
    }

    @Test func pathTraversalInALayerIsRefused() throws {
        try withImageTestDirectory { dir in
            let store = try populatedStore(dir)
            // A fresh good layer first: it must not survive the failed import.
            let evil = TarArchiveBuilder([.file("ok", "fine"), .file("../evil", "escaped")]).archive
            try F.ociLayout(at: "\(dir)/bad", images: [(layers: [F.fileLayer("new-base"), evil], annotations: [F.refName: "bad/image:1"])])
            try ImageLayoutBuilder.tar("\(dir)/bad", to: "\(dir)/bad.tar")

            try F.expectImportFails(store, "\(dir)/bad.tar", mentioning: ["layer sha256:", "entry \"../evil\": path contains '..'"])
            let found = FileManager.default.enumerator(atPath: dir)?.allObjects.compactMap { $0 as? String } ?? []
            #expect(!found.contains { $0.hasSuffix("evil") }, "\(found.filter { $0.hasSuffix("evil") })")
        }
    }

    @Test(arguments: [
        ("absolute", [TarArchiveBuilder.Entry.file("/abs-evil", "x")], "entry \"/abs-evil\": path is absolute"),
        ("hardlink", [.file("a", "x"), .hardlink("b", target: "../../etc/passwd")], "hard link target \"../../etc/passwd\": path contains '..'"),
        ("symlink", [.symlink("link", target: "/tmp"), .file("link/pwned-by-layer", "x")], "entry \"link/pwned-by-layer\""),
        ("whiteout", [.file(".wh...", "")], "whiteout names no file"),
        ("whiteout-through-symlink", [.symlink("out", target: "/tmp"), .file("out/.wh.pwned-by-layer", "")], "entry \"out/.wh.pwned-by-layer\""),
        ("opaque-through-symlink", [.symlink("out", target: "/tmp"), .file("out/.wh..wh..opq", "")], "entry \"out/.wh..wh..opq\""),
    ])
    func unsafeLayerEntriesAreRefused(kind: String, entries: [TarArchiveBuilder.Entry], message: String) throws {
        try withImageTestDirectory { dir in
            let store = try populatedStore(dir)
            try F.ociLayout(at: "\(dir)/bad", images: [(layers: [TarArchiveBuilder(entries).archive], annotations: [F.refName: "bad/\(kind):1"])])

            try F.expectImportFails(store, "\(dir)/bad", mentioning: [message])
            #expect(F.stat("/tmp/pwned-by-layer") == nil)
            #expect(F.xattr("/tmp", "trusted.overlay.opaque") == nil)
        }
    }

    @Test func pathTraversalInTheArchiveItselfIsRefused() throws {
        try withImageTestDirectory { dir in
            let store = try populatedStore(dir)
            let outer = TarArchiveBuilder([.file("index.json", "{}"), .file("../outside", "x")]).archive
            try Data(outer).write(to: URL(fileURLWithPath: "\(dir)/outer.tar"))

            try F.expectImportFails(store, "\(dir)/outer.tar", mentioning: ["unpacking the archive: entry \"../outside\": path contains '..'"])
        }
    }

    @Test func missingConfigBlobIsRefused() throws {
        try withImageTestDirectory { dir in
            let store = try populatedStore(dir)
            let layout = try ImageLayoutBuilder(at: "\(dir)/bad")
            let image = try layout.addImage(layers: [F.fileLayer("x")])
            try layout.writeIndex([ImageLayoutBuilder.descriptor(image, annotations: [F.refName: "bad/image:1"])])
            try FileManager.default.removeItem(atPath: layout.blobPath(image.configDigest))

            try F.expectImportFails(store, "\(dir)/bad", mentioning: ["config blob \(image.configDigest.prefix(19))", "is missing"])
        }
    }

    @Test func malformedManifestIsRefused() throws {
        try withImageTestDirectory { dir in
            let store = try populatedStore(dir)
            let layout = try ImageLayoutBuilder(at: "\(dir)/bad")
            let manifest = Array(#"{"schemaVersion":2,"config":{"digest":"sha256:00"},"layers":"not a list"}"#.utf8)
            let digest = try layout.addBlob(manifest)
            try layout.writeIndex([[
                "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest, "size": manifest.count,
            ]])

            try F.expectImportFails(store, "\(dir)/bad", mentioning: ["malformed manifest \(digest.prefix(19))", "layers"])
        }
    }

    @Test func archivesThatAreNotImagesAreRefused() throws {
        try withImageTestDirectory { dir in
            let store = try populatedStore(dir)
            try Data("definitely not a tar".utf8).write(to: URL(fileURLWithPath: "\(dir)/junk.tar"))
            try F.expectImportFails(store, "\(dir)/junk.tar", mentioning: ["unpacking the archive"])

            try Data(TarArchiveBuilder([.file("README", "hi")]).archive).write(to: URL(fileURLWithPath: "\(dir)/plain.tar"))
            try F.expectImportFails(store, "\(dir)/plain.tar", mentioning: ["neither an OCI image layout"])

            try F.expectImportFails(store, "\(dir)/absent.tar", mentioning: ["no such file"])
        }
    }

    // MARK: tags, lookup, removal

    @Test func resolveNamesTheMissingReferenceExactly() throws {
        try withImageTestDirectory { dir in
            let store = try ImageStore(root: "\(dir)/store")
            #expect(throws: RuntimeError(
                "image \"nginx:1.25\" is not present on this node; import it with: skiff image import <file>"
            )) {
                try store.resolve(reference: "nginx:1.25")
            }
            #expect(throws: RuntimeError(
                "image \"busybox\" is not present on this node; import it with: skiff image import <file>"
            )) {
                try store.remove(reference: "busybox")
            }
            #expect(throws: RuntimeError(
                "invalid image reference \"Bad:Name\": repository name \"Bad\" must be lowercase"
            )) {
                try store.resolve(reference: "Bad:Name")
            }
        }
    }

    @Test func resolvesByTagDigestAndID() throws {
        try withImageTestDirectory { dir in
            let built = try F.ociLayout(at: "\(dir)/layout", images: [(layers: [F.basicLayer()], annotations: [F.refName: "busybox:latest"])])
            let store = try ImageStore(root: "\(dir)/store")
            let record = try #require(try store.importArchive(path: "\(dir)/layout").first)

            for reference in [
                "busybox", "busybox:latest", "library/busybox", "docker.io/library/busybox:latest",
                "busybox@\(built[0].manifestDigest)", "other/name@\(built[0].manifestDigest)",
                record.id.description, record.id.hex, String(record.id.hex.prefix(12)),
            ] {
                #expect(try store.resolve(reference: reference) == record, "\(reference)")
            }
            #expect(throws: RuntimeError.self) { try store.resolve(reference: "busybox:other") }
        }
    }

    @Test func reimportIsIdempotentAndNewImagesTakeOverTags() throws {
        try withImageTestDirectory { dir in
            try F.ociLayout(at: "\(dir)/v1", images: [(layers: [F.fileLayer("v1")], annotations: [F.refName: "app:latest"])])
            try F.ociLayout(at: "\(dir)/v2", images: [(layers: [F.fileLayer("v2")], annotations: [F.refName: "app:latest"])])
            let store = try ImageStore(root: "\(dir)/store")

            let first = try store.importArchive(path: "\(dir)/v1")
            #expect(try store.importArchive(path: "\(dir)/v1") == first)
            #expect(try store.list() == first)

            let second = try store.importArchive(path: "\(dir)/v2")
            #expect(try store.resolve(reference: "app").id == second[0].id)
            let old = try store.resolve(reference: first[0].id.description)
            #expect(old.repoTags.isEmpty, "the old image keeps running containers' layers until removed by id")
            #expect(try store.list().map(\.id) == [second[0].id, first[0].id])
        }
    }

    @Test func removeUntagsThenDeletesUnsharedContent() throws {
        try withImageTestDirectory { dir in
            let base = F.basicLayer("shared")
            let built = try F.ociLayout(at: "\(dir)/layout", images: [
                (layers: [base, F.fileLayer("a")], annotations: [F.refName: "a:1"]),
                (layers: [base, F.fileLayer("a")], annotations: [F.refName: "a:2"]),
                (layers: [base, F.fileLayer("b")], annotations: [F.refName: "b:1"]),
            ])
            let store = try ImageStore(root: "\(dir)/store")
            let records = try store.importArchive(path: "\(dir)/layout")
            #expect(records.count == 2, "a:1 and a:2 are one image")
            let a = try store.resolve(reference: "a:1")
            let b = try store.resolve(reference: "b:1")
            #expect(a.repoTags == ["docker.io/library/a:1", "docker.io/library/a:2"])
            #expect(F.names(in: "\(store.root)/layers").count == 3)

            #expect(try store.remove(reference: "a:1") == ImageRemoval(untagged: ["docker.io/library/a:1"], deleted: nil))
            #expect(try store.resolve(reference: "a:2").id == a.id)
            #expect(F.names(in: "\(store.root)/layers").count == 3)

            #expect(try store.remove(reference: "a:2") == ImageRemoval(untagged: ["docker.io/library/a:2"], deleted: a.id))
            #expect(try store.list() == [b])
            #expect(F.names(in: "\(store.root)/layers") == b.layers.map(\.hex).sorted(), "a's own layer is gone, the shared base stays")
            #expect(F.names(in: "\(store.root)/blobs/sha256") == b.blobs.map(\.hex).sorted())
            #expect(F.stat(store.layerDirectory(for: a.layers[1])) == nil)
            #expect(built[0].diffIDs[0] == b.layers[0].description)

            #expect(try store.remove(reference: b.id.description) == ImageRemoval(untagged: ["docker.io/library/b:1"], deleted: b.id))
            #expect(try store.list().isEmpty)
            #expect(F.names(in: "\(store.root)/layers").isEmpty)
            #expect(F.names(in: "\(store.root)/blobs/sha256").isEmpty)
            #expect(F.names(in: "\(store.root)/tmp").isEmpty)
        }
    }

    /// Catalogs are decoded once and reused while the file is unchanged: a change
    /// made through another store value (another process, in the daemon's case)
    /// must be seen by the next lookup all the same.
    @Test func lookupsSeeChangesMadeElsewhere() throws {
        try withImageTestDirectory { dir in
            try F.ociLayout(at: "\(dir)/v1", images: [(layers: [F.fileLayer("v1")], annotations: [F.refName: "app:1"])])
            try F.ociLayout(at: "\(dir)/v2", images: [(layers: [F.fileLayer("v2")], annotations: [F.refName: "app:2"])])
            let writer = try ImageStore(root: "\(dir)/store")
            let reader = try ImageStore(root: "\(dir)/store")
            #expect(throws: RuntimeError.self) { try reader.resolve(reference: "app:1") }
            let first = try writer.importArchive(path: "\(dir)/v1")
            #expect(try reader.resolve(reference: "app:1") == first[0])
            #expect(try reader.resolve(reference: "app:1") == first[0], "again, from what was decoded")
            let second = try writer.importArchive(path: "\(dir)/v2")
            #expect(try reader.resolve(reference: "app:2") == second[0])
            try writer.remove(reference: "app:1")
            #expect(throws: RuntimeError.self) { try reader.resolve(reference: "app:1") }
            #expect(try reader.list().map(\.id) == [second[0].id])
        }
    }

    // MARK: concurrency

    @Test func concurrentImportsOfOneImageAgree() throws {
        try withImageTestDirectory { dir in
            try F.ociLayout(at: "\(dir)/layout", images: [(layers: [F.basicLayer(), F.fileLayer("top")], annotations: [F.refName: "race:1"])])
            try ImageLayoutBuilder.tar("\(dir)/layout", to: "\(dir)/race.tar")
            let root = "\(dir)/store"
            let failures = ImageTestFailures()
            let umaskBefore = F.processUmask()
            // Separate ImageStore values, like separate processes: only the
            // on-disk lock coordinates them.
            DispatchQueue.concurrentPerform(iterations: 4) { index in
                do {
                    let store = try ImageStore(root: root)
                    _ = try store.importArchive(path: index.isMultiple(of: 2) ? "\(dir)/race.tar" : "\(dir)/layout")
                } catch {
                    failures.append("\(error)")
                }
            }
            #expect(failures.all.isEmpty, "\(failures.all)")
            #expect(F.processUmask() == umaskBefore, "extraction must not touch the process umask")
            let store = try ImageStore(root: root)
            let records = try store.list()
            #expect(records.count == 1)
            #expect(records.first?.repoTags == ["docker.io/library/race:1"])
            #expect(F.names(in: "\(store.root)/layers").count == 2)
            #expect(F.names(in: "\(store.root)/tmp").isEmpty)
            for layer in records.first?.layers ?? [] {
                #expect(F.names(in: store.layerDirectory(for: layer)).count > 0)
            }
        }
    }
}

/// Errors collected from concurrent workers.
final class ImageTestFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) {
        lock.lock()
        messages.append(message)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}
