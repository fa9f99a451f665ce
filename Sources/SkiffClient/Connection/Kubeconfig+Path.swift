import Foundation

extension Kubeconfig {
    /// Where `skiffd` writes its admin kubeconfig, the last place looked.
    public static let skiffDefaultPath = "/var/lib/skiff/kubeconfig.yaml"

    /// The kubeconfig to use, as kubectl chooses it: `explicit` (`--kubeconfig`) when
    /// given; else the first existing file of `$KUBECONFIG`'s `:`-separated list (or its
    /// first entry when none exists, so the error names what the user asked for, rather
    /// than silently talking to another cluster); else `~/.kube/config` when it exists;
    /// else `/var/lib/skiff/kubeconfig.yaml`, so `skiff` works on the node with no setup,
    /// as k3s's `kubectl` does with its own kubeconfig.
    ///
    /// Unlike kubectl, several `$KUBECONFIG` files are not merged: the first existing one
    /// is used whole.
    public static func defaultPath(explicit: String?) -> String {
        defaultPath(
            explicit: explicit, environment: ProcessInfo.processInfo.environment,
            homeDirectory: FileManager.default.homeDirectoryForCurrentUser.path,
            fileExists: { FileManager.default.fileExists(atPath: $0) })
    }

    /// The same choice with its inputs supplied, for tests.
    static func defaultPath(
        explicit: String?, environment: [String: String], homeDirectory: String, fileExists: (String) -> Bool
    ) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let list = environment["KUBECONFIG"] {
            let entries = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            if let first = entries.first {
                return entries.first(where: fileExists) ?? first
            }
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? homeDirectory
        let userConfig = (home as NSString).appendingPathComponent(".kube/config")
        return fileExists(userConfig) ? userConfig : skiffDefaultPath
    }
}
