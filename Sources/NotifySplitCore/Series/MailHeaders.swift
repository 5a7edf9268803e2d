/// The header lines of a series message, written as `git format-patch`
/// writes them, so that a series from notifysplit and one from git read and
/// mail the same: a display name with RFC 822 specials is quoted, a
/// non-ASCII one is RFC 2047 encoded (`=?UTF-8?q?…?=`), a long subject is
/// folded at 78 columns, and `Cc:` addresses go one per line.
enum MailHeaders {
    /// `From: Name <email>`.
    static func from(_ identity: AuthorIdentity) -> String {
        var line = "From: "
        var width = 78
        if needsEncoding(identity.name) {
            line += encodedWord(identity.name, column: line.count)
            width = 76
        } else if identity.name.contains(where: { "()<>[]:;@,.\"\\".contains($0) }) {
            line += "\"" + identity.name.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        } else {
            line += identity.name
        }
        let last = line.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        if width < last.count + 2 + identity.email.count + 1 { line += "\n" }
        return line + " <\(identity.email)>"
    }

    /// `Subject: TEXT`, folded at spaces so no line passes 78 columns
    /// (continuation lines start with one space).
    static func subject(_ text: String) -> String {
        var output = "Subject:"
        var column = output.count
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if column + 1 + word.count > 78, column > 1, !output.hasSuffix("Subject:") {
                output += "\n"
                column = 0
            }
            output += " " + word
            column += 1 + word.count
        }
        return output
    }

    /// `Cc: a,\n    b` (nil for none).
    static func cc(_ addresses: [String]) -> String? {
        addresses.isEmpty ? nil : "Cc: " + addresses.joined(separator: ",\n    ")
    }

    /// True for text a mail header cannot carry as it is.
    static func needsEncoding(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.isASCII || $0 == "\n" } || text.contains("=?")
    }

    /// RFC 2047 Q-encoding of a display name as git's `add_rfc2047()` does
    /// it for addresses: only letters, digits and `!*+-/` stay as they are
    /// (a space is `=20`); a character is never split; a word that would
    /// pass 76 columns continues on the next line.
    static func encodedWord(_ text: String, column: Int) -> String {
        var output = "=?UTF-8?q?"
        var lineLength = column + 10
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            let plain = bytes.count == 1 && scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!*+-/".unicodeScalars.contains(scalar))
            let encoded = plain ? String(scalar) : bytes.map { "=" + hex($0) }.joined()
            if lineLength + encoded.count + 2 > 76 {
                output += "?=\n =?UTF-8?q?"
                lineLength = 11
            }
            output += encoded
            lineLength += encoded.count
        }
        return output + "?="
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
