import Foundation

/// The directory a node imports image archives from at start (as k3s does
/// with its agent images dir): every `.tar` there is imported; an archive
/// already in the store is imported again cheaply (blobs and layers are
/// content-addressed and skipped).
package struct ImageInbox: Sendable {
    package enum Outcome: Sendable {
        case imported(file: String, tags: [String])
        case failed(file: String, error: String)
    }

    package var directory: String
    package var store: ImageStore

    package init(directory: String, store: ImageStore) {
        self.directory = directory
        self.store = store
    }

    package func importAll() async -> [Outcome] {
        let directory = self.directory
        let store = self.store
        return (try? await Blocking.run {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasSuffix(".tar") || $0.hasSuffix(".tar.gz") || $0.hasSuffix(".oci") }
                .sorted()
            return names.map { name -> Outcome in
                let path = "\(directory)/\(name)"
                do {
                    let records = try store.importArchive(path: path)
                    return .imported(file: path, tags: records.flatMap(\.repoTags))
                } catch {
                    return .failed(file: path, error: "\(error)")
                }
            }
        }) ?? []
    }
}
