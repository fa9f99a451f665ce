import SkiffAPI
import Testing

@Suite struct SkiffAPIQuantityTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let text: String
        let milli: Int64
        let value: Int64
        let canonical: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        Row(text: "500m", milli: 500, value: 1, canonical: "500m"),
        Row(text: "1", milli: 1000, value: 1, canonical: "1"),
        Row(text: "128Mi", milli: 134_217_728_000, value: 134_217_728, canonical: "128Mi"),
        Row(text: "1G", milli: 1_000_000_000_000, value: 1_000_000_000, canonical: "1G"),
        Row(text: "1e3", milli: 1_000_000, value: 1000, canonical: "1e3"),
        Row(text: "1E3", milli: 1_000_000, value: 1000, canonical: "1e3"),
        Row(text: "0.5", milli: 500, value: 1, canonical: "500m"),
        Row(text: ".5", milli: 500, value: 1, canonical: "500m"),
        Row(text: "5.", milli: 5000, value: 5, canonical: "5"),
        Row(text: "1.5", milli: 1500, value: 2, canonical: "1500m"),
        Row(text: "0.1", milli: 100, value: 1, canonical: "100m"),
        Row(text: "1000", milli: 1_000_000, value: 1000, canonical: "1k"),
        Row(text: "1536", milli: 1_536_000, value: 1536, canonical: "1536"),
        Row(text: "1024Mi", milli: 1_073_741_824_000, value: 1_073_741_824, canonical: "1Gi"),
        Row(text: "1.5Gi", milli: 1_610_612_736_000, value: 1_610_612_736, canonical: "1536Mi"),
        Row(text: "0.5Ki", milli: 512_000, value: 512, canonical: "512"),
        Row(text: "1000Ki", milli: 1_024_000_000, value: 1_024_000, canonical: "1000Ki"),
        Row(text: "1Ki", milli: 1_024_000, value: 1024, canonical: "1Ki"),
        Row(text: "1n", milli: 1, value: 1, canonical: "1n"),
        Row(text: "0.0000000001", milli: 1, value: 1, canonical: "1n"),
        Row(text: "100u", milli: 1, value: 1, canonical: "100u"),
        Row(text: "-500m", milli: -500, value: -1, canonical: "-500m"),
        Row(text: "+2k", milli: 2_000_000, value: 2000, canonical: "2k"),
        Row(text: "0", milli: 0, value: 0, canonical: "0"),
        Row(text: "0Mi", milli: 0, value: 0, canonical: "0"),
        Row(text: "1E", milli: Int64.max, value: 1_000_000_000_000_000_000, canonical: "1E"),
        Row(text: "8Ei", milli: Int64.max, value: Int64.max, canonical: "8Ei"),
        Row(text: "12e-1", milli: 1200, value: 2, canonical: "1200e-3"),
    ])
    func parsesExactly(row: Row) throws {
        let quantity = try Quantity(parsing: row.text)
        #expect(quantity.milliValue == row.milli)
        #expect(quantity.value == row.value)
        #expect(quantity.description == row.canonical)
        #expect(try Quantity(parsing: quantity.description).description == row.canonical, "canonical is stable")
        if row.text != "0.0000000001" {
            #expect(try Quantity(parsing: quantity.description) == quantity, "canonical keeps the value")
        }
    }

    @Test(arguments: [
        ("", QuantityError.Reason.empty), ("1.2.3", .numeric), (".", .numeric), ("12K", .suffix), ("5Gb", .suffix),
        ("abc", .format), ("--1", .format), ("1e", .suffix), ("1 ", .suffix), ("1e99999", .range), ("1e1001", .range), ("1e1234567", .suffix),
    ])
    func rejectsMalformedText(text: String, reason: QuantityError.Reason) {
        #expect(throws: QuantityError(text: text, reason: reason)) { try Quantity(parsing: text) }
    }

    @Test func errorsNameTheText() {
        #expect(QuantityError(text: "12K", reason: .suffix).description == "quantity \"12K\": unable to parse quantity's suffix")
    }

    @Test func comparesValuesAcrossFormats() throws {
        #expect(try Quantity(parsing: "1Gi") == Quantity(parsing: "1024Mi"))
        #expect(try Quantity(parsing: "1") == Quantity(parsing: "1000m"))
        #expect(try Quantity(parsing: "500m") < Quantity(parsing: "1"))
        #expect(try Quantity(parsing: "-1") < Quantity(parsing: "0"))
        #expect(try Quantity(parsing: "-2") < Quantity(parsing: "-1"))
        #expect(try Set([Quantity(parsing: "1k"), Quantity(parsing: "1000")]).count == 1)
        #expect(Quantity(milli: 250).description == "250m")
        #expect(Quantity(3).description == "3")
    }

    @Test func readsJSON() throws {
        #expect(try Quantity(json: "250m").milliValue == 250)
        #expect(try Quantity(json: 2).value == 2)
        #expect(try Quantity(json: 0.5).milliValue == 500)
        #expect(throws: QuantityError.self) { try Quantity(json: ["a": 1]) }
    }
}
