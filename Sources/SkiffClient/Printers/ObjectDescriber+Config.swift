import SkiffAPI

/// `describe configmap|secret|namespace|serviceaccount`: kubectl's dedicated sections.
extension ObjectDescriber {
    static func configMap(_ configMap: JSONValue, into w: inout DescribeWriter) {
        header(configMap, into: &w)
        w.labels("Labels", configMap["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", configMap["metadata"]["annotations"].stringMapValue ?? [:])
        w.write(0, "\nData\n====\n")
        let data = configMap["data"].objectValue ?? [:]
        for key in data.keys.sorted() {
            w.write(0, "\(key):\n----\n")
            w.write(0, "\(data[key]?.stringValue ?? "")\n")
            w.write(0, "\n")
        }
        w.write(0, "\nBinaryData\n====\n")
        let binary = configMap["binaryData"].objectValue ?? [:]
        for key in binary.keys.sorted() {
            let encoded = binary[key]?.stringValue ?? ""
            w.write(0, "\(key): \(decodedLength(encoded)) bytes\n")
        }
        w.write(0, "\n")
    }

    static func secret(_ secret: JSONValue, into w: inout DescribeWriter) {
        header(secret, into: &w)
        w.labels("Labels", secret["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", secret["metadata"]["annotations"].stringMapValue ?? [:])
        let type = secret["type"].stringValue ?? "Opaque"
        w.write(0, "\nType:\t\(type)\n")
        w.write(0, "\nData\n====\n")
        let data = secret["data"].objectValue ?? [:]
        for key in data.keys.sorted() {
            w.write(0, "\(key):\t\(decodedLength(data[key]?.stringValue ?? "")) bytes\n")
        }
    }

    /// kubectl's namespace section; resource quotas and limit ranges are not served here,
    /// so, as kubectl does for a server without them, their sections are left out.
    static func namespace(_ namespace: JSONValue, into w: inout DescribeWriter) {
        header(namespace, into: &w, namespace: false)
        w.labels("Labels", namespace["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", namespace["metadata"]["annotations"].stringMapValue ?? [:])
        w.write(0, "Status:\t\(namespace["status"]["phase"].stringValue ?? "")\n")
        if let conditions = namespace["status"]["conditions"].arrayValue, !conditions.isEmpty {
            w.write(0, "Conditions:\n")
            w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
            w.write(1, "----\t------\t------------------\t------\t-------\n")
            for condition in conditions {
                w.write(
                    1,
                    "\(condition["type"].stringValue ?? "")\t\(condition["status"].stringValue ?? "")\t"
                        + "\(DescribeWriter.time(condition["lastTransitionTime"].stringValue))\t"
                        + "\(condition["reason"].stringValue ?? "")\t\(condition["message"].stringValue ?? "")\n")
            }
        }
    }

    /// kubectl's service account section: its image pull, mountable and token secrets.
    static func serviceAccount(_ account: JSONValue, into w: inout DescribeWriter) {
        header(account, into: &w)
        w.labels("Labels", account["metadata"]["labels"].stringMapValue ?? [:])
        w.annotations("Annotations", account["metadata"]["annotations"].stringMapValue ?? [:])
        let sections: [(String, [String])] = [
            ("Image pull secrets:", (account["imagePullSecrets"].arrayValue ?? []).compactMap { $0["name"].stringValue }),
            ("Mountable secrets: ", (account["secrets"].arrayValue ?? []).compactMap { $0["name"].stringValue }),
            ("Tokens:            ", []),
        ]
        for (header, names) in sections {
            guard !names.isEmpty else {
                w.write(0, "\(header)\t<none>\n")
                continue
            }
            for (index, name) in names.enumerated() {
                w.write(0, "\(index == 0 ? header : String(repeating: " ", count: header.count))\t\(name)\n")
            }
        }
    }

    /// The byte length of base64 text without decoding it.
    static func decodedLength(_ encoded: String) -> Int {
        let symbols = encoded.utf8.filter { $0 != 0x0A && $0 != 0x0D && $0 != UInt8(ascii: "=") }
        return symbols.count * 3 / 4
    }
}
