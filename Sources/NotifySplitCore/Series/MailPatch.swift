import Foundation

/// One message of a `git format-patch` series, in mbox form.
public struct MailPatch: Sendable {
    public var number: Int
    public var total: Int
    public var subject: String
    public var body: String
    public var diffs: [FileDiff]
    /// The sites this patch converts (none for the cover letter and the deletion).
    public var sites: [CallSite] = []

    /// The file name `git format-patch` would give it.
    public var fileName: String {
        number == 0 ? "0000-cover-letter.patch"
            : String(format: "%04d-", number) + Self.slug(subject) + ".patch"
    }

    /// `[PATCH 2/5] mm/rmap: …` → `mm-rmap-…`, as git makes file names.
    static func slug(_ subject: String) -> String {
        var result = ""
        var dash = false
        for scalar in subject.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) || scalar == "_" {
                if dash && !result.isEmpty { result += "-" }
                result.unicodeScalars.append(scalar)
                dash = false
            } else {
                dash = true
            }
        }
        return String(result.prefix(52)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// `Cc:` addresses (from `--cc-maintainers`), in the order found.
    public var cc: [String] = []

    /// The message as `git format-patch --zero-commit` writes it: the
    /// headers, the message, the `Signed-off-by:` trailer, the diffstat and
    /// diffs, and a signature naming the tool and its version.
    public func render(from author: AuthorIdentity, date: MessageDate, prefix: String, signoff: AuthorIdentity?,
                       trailer: String? = nil) -> [UInt8] {
        let tag = total == 0 ? "[\(prefix)]" : "[\(prefix) \(number)/\(total)]"
        var message = body
        if !message.hasSuffix("\n") { message += "\n" }
        if let signoff { message += "\nSigned-off-by: \(signoff)\n" }
        let nonASCII = diffs.contains { $0.hunks.contains { $0 >= 0x80 } }
            || !(message + cc.joined() + author.description).unicodeScalars.allSatisfy(\.isASCII)
        var header = "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
            + MailHeaders.from(author) + "\n" + "Date: \(date.rfc2822)\n" + MailHeaders.subject("\(tag) \(subject)") + "\n"
        if nonASCII {
            // The diff carries bytes as they are (the file may not be UTF-8).
            header += "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
        }
        if let cc = MailHeaders.cc(cc) { header += cc + "\n" }
        var text = header + "\n" + message
        if !diffs.isEmpty { text += "---\n" + Self.diffstat(diffs) }
        var bytes = Array(text.utf8)
        for diff in diffs {
            bytes += Array(("\ndiff --git a/\(diff.path) b/\(diff.path)\nindex \(diff.oldBlob)..\(diff.newBlob) \(diff.mode)\n"
                            + "--- a/\(diff.path)\n+++ b/\(diff.path)\n").utf8)
            bytes += diff.hunks
        }
        if let trailer { bytes += Array(("\n" + trailer + (trailer.hasSuffix("\n") ? "" : "\n")).utf8) }
        bytes += Array("-- \nnotifysplit \(ToolVersion.current)\n\n".utf8)
        return bytes
    }

    /// ` path | 5 +++--` lines and the summary, as git prints them.
    static func diffstat(_ diffs: [FileDiff]) -> String {
        guard !diffs.isEmpty else { return "" }
        let nameWidth = diffs.map(\.path.count).max() ?? 0
        let counts = diffs.map { $0.insertions + $0.deletions }
        let countWidth = String(counts.max() ?? 0).count
        let barWidth = max(1, 72 - nameWidth - countWidth - 4)
        let biggest = counts.max() ?? 1
        var lines = ""
        for (diff, count) in zip(diffs, counts) {
            var plus = diff.insertions, minus = diff.deletions
            if biggest > barWidth {
                plus = (plus * barWidth + biggest - 1) / biggest
                minus = (minus * barWidth + biggest - 1) / biggest
            }
            let name = diff.path.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let number = String(repeating: " ", count: countWidth - String(count).count) + String(count)
            lines += " \(name) | \(number) " + String(repeating: "+", count: plus) + String(repeating: "-", count: minus) + "\n"
        }
        let insertions = diffs.reduce(0) { $0 + $1.insertions }
        let deletions = diffs.reduce(0) { $0 + $1.deletions }
        var summary = " \(diffs.count) file\(diffs.count == 1 ? "" : "s") changed"
        if insertions > 0 { summary += ", \(insertions) insertion\(insertions == 1 ? "" : "s")(+)" }
        if deletions > 0 { summary += ", \(deletions) deletion\(deletions == 1 ? "" : "s")(-)" }
        return lines + summary + "\n"
    }

    /// Wraps prose at 72 columns, as commit messages are; a call with its
    /// arguments (`pte_unmap_unlock(pte, ptl)`) or a quoted expression is
    /// never broken across lines.
    static func wrap(_ paragraph: String, width: Int = 72) -> String {
        var units: [String] = []
        var depth = 0
        var quoted = false
        for word in paragraph.split(separator: " ") {
            // A line must not start with '#' either: git drops it as a comment.
            if depth > 0 || quoted || word.hasPrefix("#"), let last = units.popLast() {
                units.append(last + " " + word)
            } else {
                units.append(String(word))
            }
            // Only a call's parenthesis (`name(`) binds; prose "(like this)" wraps.
            var previous: Character = " "
            for character in word {
                if character == "(" && (previous.isLetter || previous.isNumber || previous == "_" || depth > 0) {
                    depth += 1
                }
                if character == ")" { depth = max(0, depth - 1) }
                previous = character
            }
            // 'expression' in quotes; an apostrophe inside a word is no quote.
            let core = word.trimmingCharacters(in: CharacterSet(charactersIn: ",.;:)"))
            if core.hasPrefix("'") && !(core.count > 1 && core.hasSuffix("'")) { quoted = true }
            if quoted && !core.hasPrefix("'") && core.hasSuffix("'") { quoted = false }
        }
        var lines: [String] = []
        var current = ""
        for unit in units {
            if !current.isEmpty, current.count + 1 + unit.count > width {
                lines.append(current)
                current = unit
            } else {
                current += current.isEmpty ? unit : " " + unit
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n")
    }
}
