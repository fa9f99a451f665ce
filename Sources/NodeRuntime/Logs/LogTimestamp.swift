import Glibc

/// A wall-clock instant with nanosecond precision, as carried by CRI log records.
///
/// Stored as whole seconds plus nanoseconds rather than `Duration` or a
/// floating-point date so that the nine fractional digits kubelet prints survive
/// formatting and parsing exactly.
package struct LogTimestamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Seconds since the Unix epoch (UTC).
    package private(set) var seconds: Int64
    /// Always in `0..<1_000_000_000`.
    package private(set) var nanoseconds: Int32

    package init(seconds: Int64, nanoseconds: Int64 = 0) {
        let carry = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds + 1) / 1_000_000_000 - 1
        self.seconds = seconds + carry
        self.nanoseconds = Int32(nanoseconds - carry * 1_000_000_000)
    }

    /// The current `CLOCK_REALTIME` time.
    package static func now() -> LogTimestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return LogTimestamp(seconds: Int64(now.tv_sec), nanoseconds: Int64(now.tv_nsec))
    }

    package func adding(seconds delta: Int64, nanoseconds nanoDelta: Int64 = 0) -> LogTimestamp {
        LogTimestamp(seconds: seconds + delta, nanoseconds: Int64(nanoseconds) + nanoDelta)
    }

    package static func < (lhs: LogTimestamp, rhs: LogTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    package var civil: CivilDateTime { CivilDateTime(epochSeconds: seconds) }

    /// Go's `time.RFC3339Nano` in UTC: trailing fractional zeros trimmed and the
    /// fraction dropped entirely at a whole second. This is what CRI runtimes write.
    package var rfc3339Nano: String { String(decoding: rfc3339Bytes(fixedFraction: false), as: UTF8.self) }

    /// kubelet's `RFC3339NanoFixed`: always nine fractional digits, so the
    /// `kubectl logs --timestamps` prefix has a constant width.
    package var rfc3339NanoFixed: String { String(decoding: rfc3339Bytes(fixedFraction: true), as: UTF8.self) }

    package var description: String { rfc3339Nano }

    package func rfc3339Bytes(fixedFraction: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(30)
        appendRFC3339(to: &out, fixedFraction: fixedFraction)
        return out
    }

    package func appendRFC3339(to out: inout [UInt8], fixedFraction: Bool) {
        let c = civil
        Self.appendDigits(Int(c.year), width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendDigits(c.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendDigits(c.day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        Self.appendDigits(c.hour, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendDigits(c.minute, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendDigits(c.second, width: 2, to: &out)
        if fixedFraction || nanoseconds != 0 {
            var fraction = Int(nanoseconds)
            var width = 9
            if !fixedFraction {
                while fraction % 10 == 0 {
                    fraction /= 10
                    width -= 1
                }
            }
            out.append(UInt8(ascii: "."))
            Self.appendDigits(fraction, width: width, to: &out)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// Parses RFC 3339 with an optional 1–9 digit fraction and either `Z` or a
    /// `±hh:mm` offset (other runtimes write local time), like Go's `time.Parse`.
    package init?(rfc3339 text: some Collection<UInt8>) {
        var parser = DigitParser(bytes: Array(text))
        guard let year = parser.number(digits: 4), parser.expect("-"),
            let month = parser.number(digits: 2), parser.expect("-"),
            let day = parser.number(digits: 2), parser.expect("T") || parser.expect("t"),
            let hour = parser.number(digits: 2), parser.expect(":"),
            let minute = parser.number(digits: 2), parser.expect(":"),
            let second = parser.number(digits: 2)
        else { return nil }
        var nanos = 0
        if parser.expect(".") {
            var digits = 0
            while let digit = parser.digit() {
                guard digits < 9 else { return nil }
                nanos = nanos * 10 + digit
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        var offsetSeconds = 0
        if parser.expect("Z") || parser.expect("z") {
            offsetSeconds = 0
        } else {
            let sign: Int
            if parser.expect("+") {
                sign = 1
            } else if parser.expect("-") {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHours = parser.number(digits: 2), parser.expect(":"),
                let offsetMinutes = parser.number(digits: 2), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3_600 + offsetMinutes * 60)
        }
        guard parser.atEnd else { return nil }
        let fields = CivilDateTime(
            year: Int64(year), month: month, day: day, hour: hour, minute: minute, second: second)
        guard fields.isValid else { return nil }
        self.init(seconds: fields.epochSeconds - Int64(offsetSeconds), nanoseconds: Int64(nanos))
    }

    package init?(rfc3339 text: String) {
        self.init(rfc3339: Array(text.utf8))
    }

    private static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        for _ in digits.count..<max(width, digits.count) { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: digits.reversed())
    }
}

/// Cursor over ASCII bytes for the fixed-width fields of an RFC 3339 timestamp.
private struct DigitParser {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            return nil
        }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    mutating func number(digits count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let next = digit() else { return nil }
            value = value * 10 + next
        }
        return value
    }

    mutating func expect(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }
}
