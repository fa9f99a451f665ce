import SkiffAPI
import Testing

@testable import SkiffClient

/// `get`'s table output from a server Table, laid out as kubectl's tabwriter lays it out.
@Suite struct PrinterTableTests {
    static let podTable: JSONValue = (try? JSONValue(
        jsonString: """
            {"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"166"},
             "columnDefinitions":[
              {"name":"Name","type":"string","format":"name","description":"","priority":0},
              {"name":"Ready","type":"string","format":"","description":"","priority":0},
              {"name":"Status","type":"string","format":"","description":"","priority":0},
              {"name":"Restarts","type":"integer","format":"","description":"","priority":0},
              {"name":"Age","type":"string","format":"","description":"","priority":0},
              {"name":"IP","type":"string","format":"","description":"","priority":1},
              {"name":"Node","type":"string","format":"","description":"","priority":1}],
             "rows":[
              {"cells":["notepad-5d6f7c8b9-abcde","1/1","Running",0,"5s","10.244.0.5","node1"],
               "object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
                         "metadata":{"name":"notepad-5d6f7c8b9-abcde","namespace":"default","labels":{"app":"mytest","pod-template-hash":"5d6f7c8b9"}}}},
              {"cells":["notepad-5d6f7c8b9-fghij","0/1","ContainerCreating",2,"12m","<none>","node1"],
               "object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
                         "metadata":{"name":"notepad-5d6f7c8b9-fghij","namespace":"default"}}}]}
            """)) ?? .null

    private func render(_ options: TablePrintOptions) throws -> String {
        var printer = TablePrinter(options: options)
        let table = try #require(ServerTable(json: Self.podTable))
        return printer.print(table)
    }

    @Test func defaultColumns() throws {
        #expect(
            try render(TablePrintOptions()) == """
                NAME                      READY   STATUS              RESTARTS   AGE
                notepad-5d6f7c8b9-abcde   1/1     Running             0          5s
                notepad-5d6f7c8b9-fghij   0/1     ContainerCreating   2          12m

                """)
    }

    @Test func wideAddsPriorityColumns() throws {
        #expect(
            try render(TablePrintOptions(wide: true)) == """
                NAME                      READY   STATUS              RESTARTS   AGE   IP           NODE
                notepad-5d6f7c8b9-abcde   1/1     Running             0          5s    10.244.0.5   node1
                notepad-5d6f7c8b9-fghij   0/1     ContainerCreating   2          12m   <none>       node1

                """)
    }

    @Test func namespaceLabelsKindAndNoHeaders() throws {
        #expect(
            try render(TablePrintOptions(noHeaders: true, withNamespace: true, showLabels: true, kindPrefix: "pod")) == """
                default   pod/notepad-5d6f7c8b9-abcde   1/1   Running             0     5s    app=mytest,pod-template-hash=5d6f7c8b9
                default   pod/notepad-5d6f7c8b9-fghij   0/1   ContainerCreating   2     12m   <none>

                """)
    }

    @Test func emptyTablePrintsNothing() throws {
        var printer = TablePrinter(options: TablePrintOptions())
        var table = try #require(ServerTable(json: Self.podTable))
        table.rows = []
        #expect(printer.print(table) == "")
    }

    @Test func watchRowsFollowWithoutHeaderAndKeepWidths() throws {
        var printer = TablePrinter(options: TablePrintOptions())
        let table = try #require(ServerTable(json: Self.podTable))
        _ = printer.print(table)
        // A watch event: a one-row Table, here without column definitions.
        let event = ServerTable(columns: [], rows: [ServerTable.Row(cells: ["x", "1/1", "Running", 0, "1s"])])
        #expect(printer.print(event) == "x                         1/1     Running             0          1s\n")
    }

    @Test func minimumWidthIsSix() {
        var writer = TabWriter.kubectlTable()
        writer.append(["A", "B", "C"])
        writer.append(["x", "y", "z"])
        #expect(writer.flush() == "A     B     C\nx     y     z\n")
    }

    /// A line without a tab ends a column block, so `Name:` aligns with `Namespace:` but not
    /// with the lines after `Containers:` (which align with each other and with `Labels:`).
    @Test func describeColumnsAlignPerBlock() {
        var writer = TabWriter.kubectlDescribe()
        writer.write("Name:\tnotepad\nNamespace:\tdefault\nContainers:\n  notepad:\n    Image:\tx\n    Port:\t8083/TCP\nLabels:\ta=b\n\tc=d\n")
        #expect(
            writer.flush() == """
                Name:       notepad
                Namespace:  default
                Containers:
                  notepad:
                    Image:  x
                    Port:   8083/TCP
                Labels:     a=b
                            c=d

                """)
    }

    @Test func cellsAreGoFormatted() {
        #expect(TablePrinter.cellText(.integer(3)) == "3")
        #expect(TablePrinter.cellText(.double(0.5)) == "0.5")
        #expect(TablePrinter.cellText(.bool(true)) == "true")
        #expect(TablePrinter.cellText(.null) == "")
        #expect(TablePrinter.cellText("two\nlines") == "two...")
    }

    @Test func nameOutput() throws {
        let text = try ObjectPrinter.render(
            [["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "notepad"]],
             ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "my-service"]]],
            single: false, format: .name, registry: .builtin)
        #expect(text == "deployment.apps/notepad\nservice/my-service\n")
    }

    @Test func customColumns() throws {
        guard case .customColumns(let columns) = try OutputFormat("custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,NODE:spec.nodeName") else {
            Issue.record("custom-columns did not parse")
            return
        }
        let pod: JSONValue = ["metadata": ["name": "p"], "spec": ["containers": [["image": "a"], ["image": "b"]]]]
        #expect(try columns.render([pod], noHeaders: false) == "NAME   IMAGES   NODE\np      a,b      <none>\n")
    }

    @Test func unknownOutputFormatIsRefused() {
        #expect(throws: OutputFormatError.self) { try OutputFormat("xml") }
    }

    @Test func agesAsKubectlPrintsThem() {
        #expect(HumanDuration.format(seconds: 5) == "5s")
        #expect(HumanDuration.format(seconds: 119) == "119s")
        #expect(HumanDuration.format(seconds: 200) == "3m20s")
        #expect(HumanDuration.format(seconds: 600) == "10m")
        #expect(HumanDuration.format(seconds: 4 * 3600 + 300) == "4h5m")
        #expect(HumanDuration.format(seconds: 30 * 3600) == "30h")
        #expect(HumanDuration.format(seconds: 3 * 86400 + 7200) == "3d2h")
        #expect(HumanDuration.format(seconds: 400 * 86400) == "400d")
        #expect(HumanDuration.format(seconds: -5) == "<invalid>")
        #expect(RFC3339.seconds("1970-01-02T00:00:00Z") == 86400)
        #expect(RFC3339.seconds("2026-11-28T01:00:00.5+01:00") == RFC3339.seconds("2026-11-28T00:00:00Z").map { $0 + 0.5 })
    }
}
