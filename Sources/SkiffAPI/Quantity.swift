/// A resource amount (`500m`, `128Mi`, `1e3`) parsed exactly as Kubernetes'
/// `resource.Quantity`: the value is kept as a decimal of any size, never a Double,
/// so `0.1` CPU is exactly 100 millicores and `8Ei` does not overflow.
///
/// Equality and ordering compare values; the format (which suffix family was written)
/// only decides the canonical string, as in Kubernetes (`1024Mi` prints as `1Gi`).
public struct Quantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The suffix family, kept from the text to print it back the same way.
    public enum Format: Hashable, Sendable {
        /// `Ki`, `Mi`, `Gi`, ... (powers of 1024).
        case binarySI
        /// `n`, `u`, `m`, none, `k`, `M`, `G`, ... (powers of 1000).
        case decimalSI
        /// `e3`, `E-2`.
        case decimalExponent
    }

    public let format: Format
    let negative: Bool
    /// Magnitude = significand × 10^exponent; normalized so `significand` has no trailing zeros.
    let significand: DecimalDigits
    let exponent: Int

    init(negative: Bool, significand: DecimalDigits, exponent: Int, format: Format) {
        let zeros = significand.trailingZeros
        self.significand = significand.truncated(dropping: zeros, roundingUp: false)
        self.exponent = significand.isZero ? 0 : exponent + zeros
        self.negative = negative && !significand.isZero
        self.format = format
    }

    /// A whole number in decimal SI format (`Quantity(3)` prints `3`).
    public init(_ value: Int64, format: Format = .decimalSI) {
        let digits = DecimalDigits(String(value.magnitude).utf8.map { $0 - 0x30 })
        self.init(negative: value < 0, significand: digits, exponent: 0, format: format)
    }

    /// Thousandths (`Quantity(milli: 250)` prints `250m`).
    public init(milli value: Int64) {
        let digits = DecimalDigits(String(value.magnitude).utf8.map { $0 - 0x30 })
        self.init(negative: value < 0, significand: digits, exponent: -3, format: .decimalSI)
    }

    public var isZero: Bool { significand.isZero }

    /// The value in thousandths, rounded up (away from zero) and clamped to Int64,
    /// as CPU is counted: `500m` → 500, `1` → 1000.
    public var milliValue: Int64 { scaledValue(by: 3) }

    /// The value rounded up (away from zero) to a whole number and clamped to Int64,
    /// as memory bytes are counted: `128Mi` → 134217728, `0.5` → 1.
    public var value: Int64 { scaledValue(by: 0) }

    /// The value × 10^power, rounded up and clamped.
    public func scaledValue(by power: Int) -> Int64 {
        let shift = exponent + power
        let magnitude: DecimalDigits
        if shift >= 0 {
            guard significand.digits.count + shift <= 20 else { return negative ? .min : .max }
            magnitude = significand.shifted(by: shift)
        } else {
            magnitude = significand.truncated(dropping: -shift, roundingUp: true)
        }
        guard let unsigned = magnitude.uint64 else { return negative ? .min : .max }
        if negative {
            return unsigned >= UInt64(Int64.max) + 1 ? .min : -Int64(unsigned)
        }
        return unsigned > UInt64(Int64.max) ? .max : Int64(unsigned)
    }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.negative == rhs.negative && lhs.significand == rhs.significand && lhs.exponent == rhs.exponent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(negative)
        hasher.combine(significand)
        hasher.combine(exponent)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        if lhs.negative != rhs.negative { return lhs.negative }
        let shared = min(lhs.exponent, rhs.exponent)
        let left = lhs.significand.shifted(by: lhs.exponent - shared)
        let right = rhs.significand.shifted(by: rhs.exponent - shared)
        return lhs.negative ? right < left : left < right
    }
}
