/// One JSON patch step (`{"op":"replace","path":"/spec/replicas","value":4}`).
struct JSONPatchOperation {
    var fields: [String: JSONValue]

    /// The `op` member; anything but a string reads as `unknown`, as in evanphx/json-patch.
    var kind: String { fields["op"]?.stringValue ?? "unknown" }

    /// The `value` member; nil only when absent (a JSON null is `.null`).
    var value: JSONValue? { fields["value"] }

    func apply(to document: inout JSONValue) throws(PatchError) {
        switch kind {
        case "add": try add(&document)
        case "remove": try remove(&document)
        case "replace": try replace(&document)
        case "move": try move(&document)
        case "copy": try copy(&document)
        case "test": try test(document)
        default: throw failure("Unexpected kind: \(kind)")
        }
    }

    private func add(_ document: inout JSONValue) throws(PatchError) {
        guard let path = try? stringField("path", missing: "operation missing path field") else {
            throw failure("add operation failed to decode path: missing value")
        }
        let value = self.value ?? .null
        let done: Void? = try JSONPatchContainer.withParent(of: path, in: &document) {
            container, key throws(PatchError) in
            try wrapping("error in add for path: '\(path)'") { () throws(PatchError) in
                try JSONPatchContainer.add(value, at: key, in: &container)
            }
        }
        guard done != nil else {
            throw failure("add operation does not apply: doc is missing path: \"\(path)\": missing value")
        }
    }

    private func remove(_ document: inout JSONValue) throws(PatchError) {
        guard let path = try? stringField("path", missing: "operation missing path field") else {
            throw failure("remove operation failed to decode path: missing value")
        }
        let done: Void? = try JSONPatchContainer.withParent(of: path, in: &document) {
            container, key throws(PatchError) in
            try wrapping("error in remove for path: '\(path)'") { () throws(PatchError) in
                _ = try JSONPatchContainer.remove(key, from: &container)
            }
        }
        guard done != nil else {
            throw failure("remove operation does not apply: doc is missing path: \"\(path)\": missing value")
        }
    }

    private func replace(_ document: inout JSONValue) throws(PatchError) {
        let path = try wrapping("replace operation failed to decode path") { () throws(PatchError) in
            try stringField("path", missing: "operation missing path field")
        }
        let value = self.value ?? .null
        if path.isEmpty {
            guard value.objectValue != nil || value.arrayValue != nil else {
                throw failure("replace operation value must be object or array")
            }
            document = value
            return
        }
        let done: Void? = try JSONPatchContainer.withParent(of: path, in: &document) {
            container, key throws(PatchError) in
            guard (try? JSONPatchContainer.existingChild(key, of: container)) != nil else {
                throw failure("replace operation does not apply: doc is missing key: \(path): missing value")
            }
            try JSONPatchContainer.set(value, at: key, in: &container)
        }
        guard done != nil else {
            throw failure("replace operation does not apply: doc is missing path: \(path): missing value")
        }
    }

    private func move(_ document: inout JSONValue) throws(PatchError) {
        let from = try wrapping("move operation failed to decode from") { () throws(PatchError) in
            try stringField("from", missing: "operation, missing from field")
        }
        let moved = try JSONPatchContainer.withParent(of: from, in: &document) { container, key throws(PatchError) in
            try wrapping("error in move for path: '\(key)'") { () throws(PatchError) in
                try JSONPatchContainer.remove(key, from: &container)
            }
        }
        guard let moved else {
            throw failure("move operation does not apply: doc is missing from path: \(from): missing value")
        }
        let path = try wrapping("move operation failed to decode path") { () throws(PatchError) in
            try stringField("path", missing: "operation missing path field")
        }
        let done: Void? = try JSONPatchContainer.withParent(of: path, in: &document) {
            container, key throws(PatchError) in
            try wrapping("error in move for path: '\(path)'") { () throws(PatchError) in
                try JSONPatchContainer.add(moved, at: key, in: &container)
            }
        }
        guard done != nil else {
            throw failure("move operation does not apply: doc is missing destination path: \(path): missing value")
        }
    }

    private func copy(_ document: inout JSONValue) throws(PatchError) {
        let from = try wrapping("copy operation failed to decode from") { () throws(PatchError) in
            try stringField("from", missing: "operation, missing from field")
        }
        let copied = try JSONPatchContainer.withParent(of: from, in: &document) { container, key throws(PatchError) in
            try wrapping("error in copy for from: '\(from)'") { () throws(PatchError) in
                try JSONPatchContainer.existingChild(key, of: container)
            }
        }
        guard let copied else {
            throw failure("copy operation does not apply: doc is missing from path: \(from): missing value")
        }
        guard let path = try? stringField("path", missing: "operation missing path field") else {
            throw failure("copy operation failed to decode path: missing value")
        }
        let done: Void? = try JSONPatchContainer.withParent(of: path, in: &document) {
            container, key throws(PatchError) in
            try wrapping("error while adding value during copy") { () throws(PatchError) in
                try JSONPatchContainer.add(copied, at: key, in: &container)
            }
        }
        guard done != nil else {
            throw failure("copy operation does not apply: doc is missing destination path: \(path): missing value")
        }
    }

    /// A member that is absent or null matches a null (or absent) `value`, as in evanphx/json-patch.
    private func test(_ document: JSONValue) throws(PatchError) {
        let path = try wrapping("test operation failed to decode path") { () throws(PatchError) in
            try stringField("path", missing: "operation missing path field")
        }
        let failed = failure("testing value \(path) failed: test failed")
        if path.isEmpty {
            guard value == document else { throw failed }
            return
        }
        var copy = document
        let found = try JSONPatchContainer.withParent(of: path, in: &copy) { container, key throws(PatchError) in
            try wrapping("error in test for path: '\(path)'") { () throws(PatchError) in
                try JSONPatchContainer.child(key, of: container)
            }
        }
        guard let found else { throw failure("test operation does not apply: is missing path: \(path): missing value") }
        let actual = found ?? .null
        if actual.isNull {
            guard value == nil || value == .null else { throw failed }
        } else {
            guard value == actual else { throw failed }
        }
    }

    /// A string member such as `path` or `from`; the thrown message is the inner error that
    /// some operations quote and others replace with "missing value".
    private func stringField(_ name: String, missing: String) throws(PatchError) -> String {
        guard let field = fields[name], !field.isNull else { throw failure("\(missing): missing value") }
        guard let text = field.stringValue else {
            throw failure("json: cannot unmarshal \(PatchGoFormat.jsonTypeName(field)) into Go value of type string")
        }
        return text
    }

    private func failure(_ message: String) -> PatchError {
        PatchError(.unprocessable, message)
    }
}

/// Prefixes an inner error the way `errors.Wrapf` does: `prefix: inner`.
private func wrapping<T>(_ prefix: String, _ body: () throws(PatchError) -> T) throws(PatchError) -> T {
    do {
        return try body()
    } catch {
        throw PatchError(error.kind, "\(prefix): \(error.message)")
    }
}
