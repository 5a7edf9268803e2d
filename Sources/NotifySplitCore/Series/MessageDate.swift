import Foundation

/// The date of a series' messages: an instant and the zone it is written
/// in, printed as RFC 2822 (`Thu, 1 Jan 2026 00:00:00 +0000`) the way
/// `git format-patch` prints the author date, zone kept.
///
/// Parsed by hand, not by `DateFormatter`: the accepted forms are exactly
/// the documented ones, a weekday that does not match the date is an error,
/// and nothing depends on the machine's locale or zone.
public struct MessageDate: Equatable, Sendable {
    /// Seconds since the Unix epoch.
    public var seconds: Int64
    /// The zone offset east of UTC, in minutes.
    public var zoneMinutes: Int

    public init(seconds: Int64, zoneMinutes: Int) {
        self.seconds = seconds
        self.zoneMinutes = zoneMinutes
    }

    /// Now, in the machine's zone (what git uses when nothing is set).
    public static func now() -> MessageDate {
        let date = Date()
        return MessageDate(seconds: Int64(date.timeIntervalSince1970.rounded(.down)),
                           zoneMinutes: TimeZone.current.secondsFromGMT(for: date) / 60)
    }

    /// `SOURCE_DATE_EPOCH` (reproducible builds): decimal seconds, UTC.
    public static func sourceDateEpoch(_ text: String) -> MessageDate? {
        guard !text.isEmpty, text.allSatisfy(Self.isDigit), let seconds = Int64(text) else { return nil }
        return MessageDate(seconds: seconds, zoneMinutes: 0)
    }

    /// `Thu, 1 Jan 2026 00:00:00 +0000`.
    public var rfc2822: String {
        let local = seconds + Int64(zoneMinutes) * 60
        let days = Self.floorDivide(local, 86_400)
        let secondOfDay = Int(local - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        let weekday = Self.weekdays[Int(((days % 7) + 11) % 7)]    // 1970-01-01 was a Thursday
        let sign = zoneMinutes < 0 ? "-" : "+"
        let zone = abs(zoneMinutes)
        return "\(weekday), \(day) \(Self.months[month - 1]) \(year) "
            + Self.two(secondOfDay / 3600) + ":" + Self.two(secondOfDay / 60 % 60) + ":" + Self.two(secondOfDay % 60)
            + " \(sign)\(Self.two(zone / 60))\(Self.two(zone % 60))"
    }

    /// The accepted forms, for messages.
    public static let acceptedForms = "RFC 2822 ('Thu, 1 Jan 2026 10:00:00 +0100', weekday optional), "
        + "ISO 8601 ('2026-01-01T10:00:00+01:00', '2026-01-01'), git's iso ('2026-01-01 10:00:00 +0100') "
        + "or '@SECONDS +ZONE'"

    /// One of the accepted forms, or nil.
    public static func parse(_ text: String) -> MessageDate? {
        let text = text.trimmingCharacters(in: .whitespaces)
        return parseRaw(text) ?? parseRFC2822(text) ?? parseISO(text)
    }

    // MARK: - Forms

    /// `@1767225600 +0000` (git's internal form; also without the `@`,
    /// as `git log --date=raw` prints it).
    private static func parseRaw(_ text: String) -> MessageDate? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        var digits = Substring(parts[0])
        if digits.first == "@" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy(Self.isDigit), let seconds = Int64(digits),
              let zone = zone(String(parts[1]), colonAllowed: false) else { return nil }
        return MessageDate(seconds: seconds, zoneMinutes: zone)
    }

    /// `[Thu, ]1 Jan 2026 00:00[:00] +0000` (also `UT`, `GMT`, `Z`).
    private static func parseRFC2822(_ text: String) -> MessageDate? {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var weekday: String?
        if let first = words.first, first.hasSuffix(",") {
            weekday = String(first.dropLast())
            words.removeFirst()
        } else if let first = words.first, weekdays.contains(first) {
            return nil      // "Thu 1 Jan …" is not RFC 2822
        }
        guard words.count == 5, let day = Int(words[0]), words[0].allSatisfy(Self.isDigit),
              let month = months.firstIndex(of: words[1]).map({ $0 + 1 }),
              words[2].count == 4, let year = Int(words[2]),
              let time = clock(words[3]), let zone = zone(words[4], colonAllowed: false) else { return nil }
        guard let date = make(year: year, month: month, day: day, time: time, zone: zone) else { return nil }
        if let weekday, !date.rfc2822.hasPrefix(weekday + ",") { return nil }
        return date
    }

    /// `2026-01-01`, `2026-01-01T00:00:00Z`, `2026-01-01T00:00:00+01:00`,
    /// and git's `iso` form `2026-01-01 00:00:00 +0100`. A time needs a zone.
    private static func parseISO(_ text: String) -> MessageDate? {
        let characters = Array(text)
        guard characters.count >= 10, characters[4] == "-", characters[7] == "-" else { return nil }
        let digits = Array(characters[0..<4]) + Array(characters[5..<7]) + Array(characters[8..<10])
        guard digits.allSatisfy(Self.isDigit), let year = Int(String(characters[0..<4])),
              let month = Int(String(characters[5..<7])), let day = Int(String(characters[8..<10])) else {
            return nil
        }
        let rest = String(characters[10...])
        if rest.isEmpty { return make(year: year, month: month, day: day, time: (0, 0, 0), zone: 0) }
        if rest.hasPrefix(" ") {
            let parts = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, let time = clock(String(parts[0])),
                  let zone = zone(String(parts[1]), colonAllowed: true) else { return nil }
            return make(year: year, month: month, day: day, time: time, zone: zone)
        }
        guard rest.hasPrefix("T") else { return nil }
        let body = rest.dropFirst()
        guard let zoneStart = body.firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }),
              let time = clock(String(body[..<zoneStart])),
              let zone = zone(String(body[zoneStart...]), colonAllowed: true) else { return nil }
        return make(year: year, month: month, day: day, time: time, zone: zone)
    }

    /// `HH:MM` or `HH:MM:SS`.
    private static func clock(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(Self.isDigit) }) else { return nil }
        let values = parts.map { Int($0)! }
        let time = (values[0], values[1], values.count == 3 ? values[2] : 0)
        guard time.0 < 24, time.1 < 60, time.2 < 60 else { return nil }
        return time
    }

    /// `+0100`, `-0530`, `Z`, `UT`, `GMT` (and `+01:00`, `+01` where ISO allows).
    private static func zone(_ text: String, colonAllowed: Bool) -> Int? {
        if ["Z", "UT", "UTC", "GMT"].contains(text) { return 0 }
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        var digits = String(text.dropFirst())
        if colonAllowed, digits.count == 5, Array(digits)[2] == ":" { digits.remove(at: digits.index(digits.startIndex, offsetBy: 2)) }
        if colonAllowed, digits.count == 2 { digits += "00" }
        guard digits.count == 4, digits.allSatisfy(Self.isDigit) else { return nil }
        let hours = Int(digits.prefix(2))!, minutes = Int(digits.suffix(2))!
        guard hours < 24, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 60 + minutes)
    }

    private static func make(year: Int, month: Int, day: Int, time: (Int, Int, Int), zone: Int) -> MessageDate? {
        guard (1...12).contains(month), year >= 1970, year <= 9999,
              (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = days * 86_400 + Int64(time.0 * 3600 + time.1 * 60 + time.2)
        return MessageDate(seconds: local - Int64(zone) * 60, zoneMinutes: zone)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func isDigit(_ character: Character) -> Bool { character >= "0" && character <= "9" }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static func daysIn(month: Int, year: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(month), d = Int64(day)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }
}
