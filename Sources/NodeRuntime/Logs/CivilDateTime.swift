/// A proleptic-Gregorian UTC date and time of day, converted to and from
/// seconds since the Unix epoch.
///
/// The runtime formats and parses log timestamps itself instead of going
/// through `gmtime_r`/`timegm` or Foundation: the arithmetic is exact, pure,
/// and the same on every platform. The day conversions are Howard Hinnant's
/// `days_from_civil` / `civil_from_days`.
package struct CivilDateTime: Equatable, Sendable {
    package var year: Int64
    package var month: Int  // 1...12
    package var day: Int  // 1...31
    package var hour: Int  // 0...23
    package var minute: Int  // 0...59
    package var second: Int  // 0...59

    package init(year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The UTC calendar fields of `epochSeconds` (negative values are before 1970).
    package init(epochSeconds: Int64) {
        let days = Self.floorDivide(epochSeconds, 86_400)
        let secondOfDay = Int(epochSeconds - days * 86_400)
        let shifted = days + 719_468
        let era = Self.floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        self.init(
            year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
            month: month,
            day: Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1),
            hour: secondOfDay / 3_600,
            minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60
        )
    }

    /// Seconds since the Unix epoch for these UTC fields.
    package var epochSeconds: Int64 {
        let shiftedYear = year - (month <= 2 ? 1 : 0)
        let era = Self.floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    }

    /// Whether the fields name a real instant (rejects February 30th, hour 24, leap seconds).
    package var isValid: Bool {
        guard (1...12).contains(month), (0...23).contains(hour),
            (0...59).contains(minute), (0...59).contains(second)
        else { return false }
        return (1...Self.daysIn(month: month, year: year)).contains(day)
    }

    private static func daysIn(month: Int, year: Int64) -> Int {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }
}
