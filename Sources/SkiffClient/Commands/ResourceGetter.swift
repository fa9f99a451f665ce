import SkiffAPI

/// `get`'s flags.
public struct GetOptions: Sendable {
    public var output: OutputFormat = .table
    public var labelSelector: String?
    public var fieldSelector: String?
    public var allNamespaces = false
    public var watch = false
    public var watchOnly = false
    public var showLabels = false
    public var showKind = false
    public var noHeaders = false
    public var columnLabels: [String] = []
    public var ignoreNotFound = false

    public init() {}
}

/// `get`: asks the server for Tables (or plain JSON for `-o yaml|json|…`), prints them as
/// kubectl does, and with `-w` keeps printing rows from a watch.
///
/// Requests: for each kind, `GET <collection>?labelSelector=&fieldSelector=&limit=500`
/// (following `continue`), or `GET <collection>/<name>` per name; with `-w`, then
/// `GET <collection>?watch=true&resourceVersion=<list RV>` (named: `fieldSelector=metadata.name=<name>`).
public struct ResourceGetter: Sendable {
    public var session: KubeSession
    public var options: GetOptions
    public var output: CtlOutput

    public init(session: KubeSession, options: GetOptions, output: CtlOutput) {
        self.session = session
        self.options = options
        self.output = output
    }

    /// Runs `get`; errors for individual names are printed and make the result false
    /// (exit code 1) while the other names are still shown.
    public func run(_ arguments: ResourceArguments) async throws(CtlError) -> Bool {
        let named = arguments.selections.contains { !$0.names.isEmpty }
        if named && options.allNamespaces {
            throw .message("a resource cannot be retrieved by name across all namespaces")
        }
        if named && !(options.labelSelector ?? "").isEmpty {
            throw .message("name cannot be provided when a selector is specified")
        }
        if options.watch || options.watchOnly {
            guard arguments.selections.count == 1, arguments.selections[0].names.count <= 1 else {
                let count = arguments.selections.reduce(0) { $0 + max(1, $1.names.count) }
                throw .message(
                    "watch is only supported on individual resources and resource collections, but \(count) resources were found")
            }
        }
        let namespace: String? = options.allNamespaces ? nil : session.namespace
        return options.output.wantsTable
            ? try await runTables(arguments, namespace: namespace) : try await runObjects(arguments, namespace: namespace)
    }

    /// Human output: one Table per kind (names prefixed with the kind when several kinds are
    /// shown), a blank line between kinds, then watch rows.
    private func runTables(_ arguments: ResourceArguments, namespace: String?) async throws(CtlError) -> Bool {
        var failures: [CtlError] = []
        var printedAnything = false
        var watchStart: (kind: ResourceKind, name: String?, resourceVersion: String)?
        var printer = TablePrinter(options: tableOptions(kindPrefix: nil))
        for selection in arguments.selections {
            let prefix = (arguments.spansSeveralKinds || options.showKind) ? selection.kind.displayKind : nil
            printer.startNewResourceType(kindPrefix: prefix)
            var text = ""
            for table in try await fetchTables(selection, namespace: namespace, failures: &failures) {
                if !options.watchOnly { text += printer.print(table) }
                watchStart = (selection.kind, selection.names.first, table.resourceVersion)
            }
            if !text.isEmpty {
                if printedAnything && !options.noHeaders { output.out("\n") }
                output.out(text)
                printedAnything = true
            }
        }
        if !printedAnything && failures.isEmpty && !options.watchOnly && !options.ignoreNotFound {
            output.err(noResourcesMessage(arguments, namespace: namespace))
        }
        report(failures)
        if options.watch || options.watchOnly, let start = watchStart {
            try await watchTables(start.kind, name: start.name, namespace: namespace, from: start.resourceVersion, printer: printer)
        }
        return failures.isEmpty
    }

    /// `-o yaml|json|name|jsonpath|custom-columns`: plain objects, a List for several.
    private func runObjects(_ arguments: ResourceArguments, namespace: String?) async throws(CtlError) -> Bool {
        let single = arguments.selections.count == 1 && arguments.selections[0].names.count == 1
        var failures: [CtlError] = []
        var objects: [JSONValue] = []
        var watchStart: (kind: ResourceKind, name: String?, resourceVersion: String)?
        for selection in arguments.selections {
            let fetched = try await fetchObjects(selection, namespace: namespace, failures: &failures)
            objects += fetched.objects
            watchStart = (selection.kind, selection.names.first, fetched.resourceVersion)
        }
        // yaml, json and jsonpath print a (possibly empty) List; a missing single object, or an
        // empty list in name or custom-columns form, prints nothing.
        if !options.watchOnly && (!objects.isEmpty || (options.output.printsEmptyList && !single)) {
            output.out(
                try ObjectPrinter.render(
                    objects, single: single, format: options.output, registry: session.registry, noHeaders: options.noHeaders))
        } else if !options.watchOnly && objects.isEmpty && !single && failures.isEmpty && !options.ignoreNotFound {
            output.err(noResourcesMessage(arguments, namespace: namespace))
        }
        report(failures)
        if options.watch || options.watchOnly, let start = watchStart {
            try await watchObjects(start.kind, name: start.name, namespace: namespace, from: start.resourceVersion)
        }
        return failures.isEmpty
    }

    private func tableOptions(kindPrefix: String?) -> TablePrintOptions {
        TablePrintOptions(
            wide: options.output == .wide, noHeaders: options.noHeaders, withNamespace: options.allNamespaces,
            showLabels: options.showLabels, columnLabels: options.columnLabels, kindPrefix: kindPrefix)
    }

    private func listQuery() -> [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector = options.labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector = options.fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        return query
    }

    /// The Tables for one selection: the whole collection (page by page), or one per name.
    private func fetchTables(_ selection: ResourceArguments.Selection, namespace: String?, failures: inout [CtlError])
        async throws(CtlError) -> [ServerTable]
    {
        let kind = selection.kind
        var tables: [ServerTable] = []
        if selection.names.isEmpty {
            var token: String?
            repeat {
                var query = listQuery() + [("limit", "500")]
                if let token { query.append(("continue", token)) }
                let reply = try await session.request(
                    "GET", kind.path(namespace: namespace), query: query, accept: KubeSession.tableAccept)
                tables.append(table(from: reply, kind: kind))
                token = reply["metadata"]["continue"].stringValue.flatMap { $0.isEmpty ? nil : $0 }
            } while token != nil
            return tables
        }
        for name in selection.names {
            let response = try await session.send(
                "GET", kind.path(namespace: namespace ?? session.namespace, name: name), accept: KubeSession.tableAccept)
            if let status = response.statusError {
                if !(options.ignoreNotFound && status.code == 404) { failures.append(.server(status)) }
                continue
            }
            guard let reply = try? JSONValue(jsonBytes: response.body) else {
                failures.append(.message("unable to decode the server's reply for \(kind.displayKind)/\(name)"))
                continue
            }
            tables.append(table(from: reply, kind: kind))
        }
        return tables
    }

    /// A Table, or kubectl's `NAME AGE` fallback when the server sent plain objects.
    private func table(from reply: JSONValue, kind: ResourceKind) -> ServerTable {
        if let table = ServerTable(json: reply) { return table }
        let objects = reply["items"].arrayValue ?? [reply]
        var table = ServerTable.fallback(forObjects: objects, now: RFC3339.now())
        table.resourceVersion = reply["metadata"]["resourceVersion"].stringValue ?? ""
        return table
    }

    private func fetchObjects(_ selection: ResourceArguments.Selection, namespace: String?, failures: inout [CtlError])
        async throws(CtlError) -> (objects: [JSONValue], resourceVersion: String)
    {
        let kind = selection.kind
        if selection.names.isEmpty {
            let listed = try await session.list(
                kind, namespace: namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector)
            return (listed.items, listed.resourceVersion)
        }
        var objects: [JSONValue] = []
        var resourceVersion = ""
        for name in selection.names {
            let response = try await session.send("GET", kind.path(namespace: namespace ?? session.namespace, name: name))
            if let status = response.statusError {
                if !(options.ignoreNotFound && status.code == 404) { failures.append(.server(status)) }
                continue
            }
            guard let object = try? JSONValue(jsonBytes: response.body) else { continue }
            objects.append(KubeSession.withKind(object, kind))
            resourceVersion = object["metadata"]["resourceVersion"].stringValue ?? ""
        }
        return (objects, resourceVersion)
    }

    private func report(_ failures: [CtlError]) {
        for failure in failures { output.err(failure.description + "\n") }
    }

    /// kubectl's message on standard error when a list comes back empty.
    private func noResourcesMessage(_ arguments: ResourceArguments, namespace: String?) -> String {
        let namespaced = arguments.selections.contains { $0.kind.namespaced }
        if let namespace, namespaced { return "No resources found in \(namespace) namespace.\n" }
        return "No resources found\n"
    }

    private func watchQuery(name: String?, from resourceVersion: String) -> [(String, String)] {
        var query = listQuery()
        if let name {
            query.removeAll { $0.0 == "fieldSelector" }
            query.append(("fieldSelector", "metadata.name=\(name)"))
        }
        query.append(("resourceVersion", resourceVersion))
        return query
    }

    private func watchTables(
        _ kind: ResourceKind, name: String?, namespace: String?, from resourceVersion: String, printer: TablePrinter
    ) async throws(CtlError) {
        var printer = printer
        let path = kind.path(namespace: name == nil ? namespace : (namespace ?? session.namespace))
        let output = self.output
        try await session.watch(path, query: watchQuery(name: name, from: resourceVersion), accept: KubeSession.tableAccept) {
            event throws(CtlError) in
            let table = ServerTable(json: event.object)
                ?? ServerTable.fallback(forObjects: [KubeSession.withKind(event.object, kind)], now: RFC3339.now())
            output.out(printer.print(table))
            return true
        }
    }

    private func watchObjects(_ kind: ResourceKind, name: String?, namespace: String?, from resourceVersion: String)
        async throws(CtlError)
    {
        let path = kind.path(namespace: name == nil ? namespace : (namespace ?? session.namespace))
        let format = options.output
        let registry = session.registry
        let output = self.output
        try await session.watch(path, query: watchQuery(name: name, from: resourceVersion)) { event throws(CtlError) in
            let object = KubeSession.withKind(event.object, kind)
            var text = try ObjectPrinter.render([object], single: true, format: format, registry: registry)
            if format == .yaml { text = "---\n" + text }
            output.out(text)
            return true
        }
    }
}
