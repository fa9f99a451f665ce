/// A non-negative integer as decimal digits, most significant first, with no leading
/// zeros (zero is empty). Just enough arithmetic for `Quantity` to stay exact at any
/// size, as Kubernetes' `inf.Dec` does, without Foundation's 38-digit `Decimal`.
struct DecimalDigits: Hashable, Sendable {
    private(set) var digits: [UInt8]

    init(_ digits: [UInt8]) {
        self.digits = Array(digits.drop { $0 == 0 })
    }

    var isZero: Bool { digits.isEmpty }

    /// Count of trailing zero digits.
    var trailingZeros: Int {
        digits.reversed().prefix { $0 == 0 }.count
    }

    func multiplied(by factor: UInt32) -> DecimalDigits {
        var result: [UInt8] = []
        var carry: UInt64 = 0
        for digit in digits.reversed() {
            let product = UInt64(digit) * UInt64(factor) + carry
            result.append(UInt8(product % 10))
            carry = product / 10
        }
        while carry > 0 {
            result.append(UInt8(carry % 10))
            carry /= 10
        }
        return DecimalDigits(result.reversed())
    }

    func divided(by divisor: UInt32) -> (quotient: DecimalDigits, remainder: UInt32) {
        var quotient: [UInt8] = []
        var remainder: UInt64 = 0
        for digit in digits {
            remainder = remainder * 10 + UInt64(digit)
            quotient.append(UInt8(remainder / UInt64(divisor)))
            remainder %= UInt64(divisor)
        }
        return (DecimalDigits(quotient), UInt32(remainder))
    }

    func incremented() -> DecimalDigits {
        var result = digits
        var index = result.count - 1
        while index >= 0 {
            if result[index] < 9 {
                result[index] += 1
                return DecimalDigits(result)
            }
            result[index] = 0
            index -= 1
        }
        return DecimalDigits([1] + result)
    }

    /// This number times 10^count.
    func shifted(by count: Int) -> DecimalDigits {
        isZero ? self : DecimalDigits(digits + Array(repeating: 0, count: count))
    }

    /// Drops the last `count` digits; `roundedUp` adds one when a dropped digit was nonzero.
    func truncated(dropping count: Int, roundingUp: Bool) -> DecimalDigits {
        guard count > 0 else { return self }
        guard count < digits.count else {
            return roundingUp && !isZero ? DecimalDigits([1]) : DecimalDigits([])
        }
        let kept = DecimalDigits(Array(digits.dropLast(count)))
        let lostNonZero = digits.suffix(count).contains { $0 != 0 }
        return roundingUp && lostNonZero ? kept.incremented() : kept
    }

    /// The value if it fits in Int64's magnitude (as UInt64), else nil.
    var uint64: UInt64? {
        var value: UInt64 = 0
        for digit in digits {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    var text: String {
        isZero ? "0" : String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
    }

    static func < (lhs: DecimalDigits, rhs: DecimalDigits) -> Bool {
        if lhs.digits.count != rhs.digits.count { return lhs.digits.count < rhs.digits.count }
        return lhs.digits.lexicographicallyPrecedes(rhs.digits)
    }
}
