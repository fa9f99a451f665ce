import SkiffAPI

/// The downward API's `fieldRef`: a pod field as a string, with the kubelet's error texts.
///
/// Two layers, as in Kubernetes: `value` accepts what an env var may name
/// (ConvertDownwardAPIFieldLabel plus the kubelet's own cases), `metadataValue` only what
/// `fieldpath.ExtractFieldPathAsString` knows, which is all a downwardAPI volume file gets.
/// Paths the API server accepts but neither layer reads (`status.phase`,
/// `spec.restartPolicy`, `spec.schedulerName`) fail with `unsupported fieldPath: …` exactly
/// as they do on a real node.
package enum PodFieldPath {
    /// The value an env var's `fieldRef` yields.
    ///
    /// `status.hostIP(s)` and `status.podIP(s)` are read from the pod's status, so the agent
    /// passes the pod with the sandbox's and node's addresses filled in (the kubelet uses the
    /// sandbox IPs it just got and its node IPs, not the last status it posted).
    package static func value(_ path: String, pod: JSONValue, apiVersion: String? = nil) throws(PodConfigError) -> String {
        let version = apiVersion.flatMap { $0.isEmpty ? nil : $0 } ?? "v1"
        guard version == "v1" else { throw PodConfigError("unsupported pod version: \(version)") }
        if let (base, _) = splitSubscript(path) {
            guard base == "metadata.annotations" || base == "metadata.labels" else {
                throw PodConfigError("field label does not support subscript: \(path)")
            }
            return try metadataValue(path, pod: pod)
        }
        switch path {
        case "spec.nodeName", "spec.host":
            return pod["spec"]["nodeName"].stringValue ?? ""
        case "spec.serviceAccountName":
            return pod["spec"]["serviceAccountName"].stringValue ?? ""
        case "status.hostIP":
            return addresses(pod["status"], single: "hostIP", plural: "hostIPs").first ?? ""
        case "status.hostIPs":
            return addresses(pod["status"], single: "hostIP", plural: "hostIPs").joined(separator: ",")
        case "status.podIP":
            return addresses(pod["status"], single: "podIP", plural: "podIPs").first ?? ""
        case "status.podIPs":
            return addresses(pod["status"], single: "podIP", plural: "podIPs").joined(separator: ",")
        case "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
            "spec.restartPolicy", "spec.schedulerName", "status.phase":
            return try metadataValue(path, pod: pod)
        default:
            throw PodConfigError("field label not supported: \(path)")
        }
    }

    /// `fieldpath.ExtractFieldPathAsString`: metadata only.
    package static func metadataValue(_ path: String, pod: JSONValue) throws(PodConfigError) -> String {
        let metadata = pod["metadata"]
        if let (base, key) = splitSubscript(path) {
            switch base {
            case "metadata.annotations":
                // Annotation keys are checked lower-cased: their names may use capitals freely.
                let problems = NameValidation.qualifiedName(key.lowercased())
                guard problems.isEmpty else { throw invalidSubscript(path, problems) }
                return metadata["annotations"][key].stringValue ?? ""
            case "metadata.labels":
                let problems = NameValidation.qualifiedName(key)
                guard problems.isEmpty else { throw invalidSubscript(path, problems) }
                return metadata["labels"][key].stringValue ?? ""
            default:
                throw PodConfigError("fieldPath \(GoQuote.quote(path)) does not support subscript")
            }
        }
        switch path {
        case "metadata.annotations": return formatMap(metadata["annotations"].stringMapValue ?? [:])
        case "metadata.labels": return formatMap(metadata["labels"].stringMapValue ?? [:])
        case "metadata.name": return metadata["name"].stringValue ?? ""
        case "metadata.namespace": return metadata["namespace"].stringValue ?? ""
        case "metadata.uid": return metadata["uid"].stringValue ?? ""
        default: throw PodConfigError("unsupported fieldPath: \(path)")
        }
    }

    /// `fieldpath.FormatMap`: `key="value"` lines sorted by key (byte order, as Go sorts
    /// strings), values Go-quoted, no trailing newline.
    package static func formatMap(_ map: [String: String]) -> String {
        map.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { "\($0)=\(GoQuote.quote(map[$0] ?? ""))" }
            .joined(separator: "\n")
    }

    /// `metadata.labels['app']` → (`metadata.labels`, `app`); nil when not subscripted.
    static func splitSubscript(_ path: String) -> (String, String)? {
        guard path.hasSuffix("']") else { return nil }
        let trimmed = path.dropLast(2)
        guard let open = trimmed.range(of: "['") else { return nil }
        let base = trimmed[..<open.lowerBound]
        guard !base.isEmpty else { return nil }
        return (String(base), String(trimmed[open.upperBound...]))
    }

    private static func invalidSubscript(_ path: String, _ problems: [String]) -> PodConfigError {
        PodConfigError("invalid key subscript in \(path): \(problems.joined(separator: ";"))")
    }

    /// The plural list's `ip` members, or the single field when the list is absent.
    private static func addresses(_ status: JSONValue, single: String, plural: String) -> [String] {
        let listed = (status[plural].arrayValue ?? []).compactMap { $0["ip"].stringValue }.filter { !$0.isEmpty }
        if !listed.isEmpty { return listed }
        if let one = status[single].stringValue, !one.isEmpty { return [one] }
        return []
    }
}
