import Foundation

/// Dates of series messages, as RFC 2822 strings (`git format-patch` style).
public enum MessageDate {
    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    public static func format(_ date: Date) -> String {
        formatter("EEE, d MMM yyyy HH:mm:ss Z").string(from: date)
    }

    /// An RFC 2822 or ISO 8601 date, normalised to RFC 2822; nil otherwise.
    public static func parse(_ text: String) -> String? {
        if let date = formatter("EEE, d MMM yyyy HH:mm:ss Z").date(from: text) { return format(date) }
        if let date = ISO8601DateFormatter().date(from: text) { return format(date) }
        if let date = formatter("yyyy-MM-dd").date(from: text) { return format(date) }
        return nil
    }
}
