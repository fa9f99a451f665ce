import Foundation

/// Resolves `-f` arguments into objects: a file, a directory (its `.json`, `.yaml` and `.yml`
/// files in name order, subdirectories only with `-R`), or `-` for standard input.
///
/// Every file is read and checked before any object is returned, so a command that sends
/// objects never sends part of a set whose other half is broken.
public struct ManifestLoader {
    /// Extensions kubectl reads from a directory.
    public static let manifestExtensions: Set<String> = ["json", "yaml", "yml"]

    public var recursive: Bool
    public var validate: Bool
    /// Where `-` reads from; replaceable so tests need no real standard input.
    public var readStandardInput: @Sendable () -> Data

    public init(
        recursive: Bool = false, validate: Bool = true,
        readStandardInput: @escaping @Sendable () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }
    ) {
        self.recursive = recursive
        self.validate = validate
        self.readStandardInput = readStandardInput
    }

    /// The objects of every `-f` argument, in order.
    public func load(_ arguments: [String]) throws(ManifestError) -> [ManifestDocument] {
        var documents: [ManifestDocument] = []
        for argument in arguments {
            for file in try files(for: argument) {
                documents += try ManifestReader.documents(in: try read(file), source: file, validate: validate)
            }
        }
        return documents
    }

    /// The files one argument stands for, named as kubectl names them (`dir/a.yaml`).
    func files(for argument: String) throws(ManifestError) -> [String] {
        if argument == "-" { return ["STDIN"] }
        if argument.hasPrefix("http://") || argument.hasPrefix("https://") {
            throw .unreadable(path: argument, reason: "reading manifests from URLs is not supported")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            throw .unreadable(path: argument, reason: "")
        }
        guard isDirectory.boolValue else { return [argument] }
        let found = try directoryFiles(argument, descend: true)
        if found.isEmpty { throw .noManifestFiles(path: argument) }
        return found
    }

    /// Lexical order within each directory, as Go's `filepath.Walk` visits it.
    private func directoryFiles(_ directory: String, descend: Bool) throws(ManifestError) -> [String] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw .unreadable(path: directory, reason: error.localizedDescription)
        }
        var files: [String] = []
        for entry in entries {
            let path = Self.join(directory, entry)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if recursive && descend { files += try directoryFiles(path, descend: true) }
                continue
            }
            let pathExtension = (entry as NSString).pathExtension.lowercased()
            if Self.manifestExtensions.contains(pathExtension) { files.append(path) }
        }
        return files
    }

    private static func join(_ directory: String, _ entry: String) -> String {
        directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
    }

    private func read(_ file: String) throws(ManifestError) -> String {
        let data: Data
        if file == "STDIN" {
            data = readStandardInput()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw .unreadable(path: file, reason: error.localizedDescription)
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .yamlSyntax(source: file, line: nil, problem: "invalid leading UTF-8 octet")
        }
        return text
    }
}
