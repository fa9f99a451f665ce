extension Quantity {
    /// The canonical form Kubernetes writes back: the largest suffix that keeps the number
    /// whole, in the family that was parsed (`1.5` → `1500m`, `1024Mi` → `1Gi`,
    /// `1000` → `1k`, `1e3` → `1e3`). Values below a nano round up to `1n`; binary values
    /// that are fractional or below 1024 fall back to decimal (`0.5Ki` → `512`).
    public var description: String {
        if isZero { return "0" }
        let sign = negative ? "-" : ""
        let magnitude = Quantity(negative: false, significand: significand, exponent: exponent, format: format)
        if format == .binarySI, exponent >= 0, magnitude >= Quantity(1024) {
            var amount = significand.shifted(by: exponent)
            var power = 0
            while power < Self.binarySuffixes.count - 1 {
                let (quotient, remainder) = amount.divided(by: 1024)
                if remainder != 0 { break }
                amount = quotient
                power += 1
            }
            return sign + amount.text + Self.binarySuffixes[power]
        }
        // Round up to nano precision, then put the exponent on a multiple of three.
        var amount = significand
        var power = exponent
        if power < -9 {
            amount = amount.truncated(dropping: -9 - power, roundingUp: true)
            power = -9
        }
        let extra = ((power % 3) + 3) % 3
        amount = amount.shifted(by: extra)
        power -= extra
        if format == .decimalExponent {
            return sign + amount.text + (power == 0 ? "" : "e\(power)")
        }
        if power > 18 {
            amount = amount.shifted(by: power - 18)
            power = 18
        }
        return sign + amount.text + (Self.decimalSuffixes[power] ?? "")
    }

    static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
    static let decimalSuffixes: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
}
