import Foundation

/// The subset of the OCI runtime spec (config.json) that pods need: process,
/// root, hostname, mounts, namespaces, resources, capabilities, masked and
/// read-only paths. Unknown fields are ignored, as runc and crun do.
package struct RuntimeSpec: Codable, Sendable, Equatable {
    package var ociVersion: String
    package var process: Process?
    package var root: Root?
    package var hostname: String?
    package var mounts: [Mount]?
    package var linux: Linux?

    package struct Process: Codable, Sendable, Equatable {
        package var terminal: Bool?
        package var user: User?
        package var args: [String]?
        package var env: [String]?
        package var cwd: String?
        package var capabilities: Capabilities?
        package var rlimits: [RLimit]?
        package var noNewPrivileges: Bool?
        package var oomScoreAdj: Int32?
    }

    package struct User: Codable, Sendable, Equatable {
        package var uid: UInt32
        package var gid: UInt32
        package var additionalGids: [UInt32]?
    }

    package struct Capabilities: Codable, Sendable, Equatable {
        package var bounding: [String]?
        package var effective: [String]?
        package var inheritable: [String]?
        package var permitted: [String]?
        package var ambient: [String]?
    }

    package struct RLimit: Codable, Sendable, Equatable {
        package var type: String
        package var hard: UInt64
        package var soft: UInt64
    }

    package struct Root: Codable, Sendable, Equatable {
        package var path: String
        package var readonly: Bool?
    }

    package struct Mount: Codable, Sendable, Equatable {
        package var destination: String
        package var type: String?
        package var source: String?
        package var options: [String]?
    }

    package struct Linux: Codable, Sendable, Equatable {
        package var namespaces: [Namespace]?
        package var resources: Resources?
        package var cgroupsPath: String?
        package var maskedPaths: [String]?
        package var readonlyPaths: [String]?
        package var rootfsPropagation: String?
        package var seccomp: OCISeccomp?
    }

    package struct Namespace: Codable, Sendable, Equatable {
        package var type: String
        package var path: String?
    }

    package struct Resources: Codable, Sendable, Equatable {
        package var memory: Memory?
        package var cpu: CPU?
        package var pids: Pids?
    }

    package struct Memory: Codable, Sendable, Equatable {
        package var limit: Int64?
        package var swap: Int64?
    }

    package struct CPU: Codable, Sendable, Equatable {
        package var shares: UInt64?
        package var quota: Int64?
        package var period: UInt64?
    }

    package struct Pids: Codable, Sendable, Equatable {
        package var limit: Int64
    }
}

extension RuntimeSpec {
    /// Reads and validates `config.json`, naming the file and the field on error.
    package static func load(bundle: String) throws -> RuntimeSpec {
        let path = (bundle as NSString).appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuntimeError("\(path): cannot read the bundle's config.json")
        }
        let spec: RuntimeSpec
        do {
            spec = try JSONDecoder().decode(RuntimeSpec.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw RuntimeError("\(path): invalid JSON: \(Self.describe(context))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw RuntimeError("\(path): \(Self.fieldPath(context.codingPath + [key])): required field is missing")
        } catch let DecodingError.typeMismatch(type, context) {
            throw RuntimeError("\(path): \(Self.fieldPath(context.codingPath)): expected \(Self.typeName(type))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw RuntimeError("\(path): \(Self.fieldPath(context.codingPath)): expected \(Self.typeName(type)), found null")
        }
        try spec.validate(file: path)
        return spec
    }

    /// Semantic checks the decoder cannot do.
    package func validate(file: String) throws {
        guard let process, let args = process.args, !args.isEmpty else {
            throw RuntimeError("\(file): process.args: must name the program to run")
        }
        _ = args
        guard let root, !root.path.isEmpty else { throw RuntimeError("\(file): root.path: must be set") }
        for (index, namespace) in (linux?.namespaces ?? []).enumerated() {
            guard let kind = NamespaceKind(ociName: namespace.type) else {
                throw RuntimeError(
                    "\(file): linux.namespaces[\(index)].type: unknown namespace type \"\(namespace.type)\" (expected pid, network, mount, ipc, uts, user or cgroup)")
            }
            if kind == .user {
                throw RuntimeError("\(file): linux.namespaces[\(index)].type: user namespaces are not supported yet")
            }
        }
        for (index, mount) in (mounts ?? []).enumerated() where !mount.destination.hasPrefix("/") {
            throw RuntimeError("\(file): mounts[\(index)].destination: \"\(mount.destination)\" must be an absolute path")
        }
        if let cwd = process.cwd, !cwd.hasPrefix("/") {
            throw RuntimeError("\(file): process.cwd: \"\(cwd)\" must be an absolute path")
        }
        for (index, limit) in (process.rlimits ?? []).enumerated() where RLimitName.resource(limit.type) == nil {
            throw RuntimeError("\(file): process.rlimits[\(index)].type: unknown rlimit \"\(limit.type)\"")
        }
    }

    private static func fieldPath(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out.isEmpty ? "(top level)" : out
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is UInt32.Type, is UInt64.Type, is Int64.Type, is Int32.Type, is Int.Type: "a number"
        case is [String].Type: "an array of strings"
        default:
            String(describing: type).hasPrefix("Array") ? "an array"
                : String(describing: type).hasPrefix("Dictionary") ? "an object" : "\(type)"
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as NSError? {
            return underlying.userInfo["NSDebugDescription"] as? String ?? context.debugDescription
        }
        return context.codingPath.isEmpty ? context.debugDescription : "\(fieldPath(context.codingPath)): \(context.debugDescription)"
    }
}

/// RLIMIT_* names as the OCI spec spells them.
package enum RLimitName {
    package static func resource(_ name: String) -> Int32? {
        let table: [String: Int32] = [
            "RLIMIT_CPU": 0, "RLIMIT_FSIZE": 1, "RLIMIT_DATA": 2, "RLIMIT_STACK": 3, "RLIMIT_CORE": 4,
            "RLIMIT_RSS": 5, "RLIMIT_NPROC": 6, "RLIMIT_NOFILE": 7, "RLIMIT_MEMLOCK": 8, "RLIMIT_AS": 9,
            "RLIMIT_LOCKS": 10, "RLIMIT_SIGPENDING": 11, "RLIMIT_MSGQUEUE": 12, "RLIMIT_NICE": 13,
            "RLIMIT_RTPRIO": 14, "RLIMIT_RTTIME": 15,
        ]
        return table[name]
    }
}
