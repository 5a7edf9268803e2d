import Foundation

/// The `config` entries of one Kconfig file, with what the synthetic
/// configuration needs of them: its type, whether the user is asked
/// (a prompt), what it selects, its defaults, and the conditions it depends on (its own `depends on` lines and the enclosing
/// `if … endif` and `menu … endmenu` blocks of the same file).
struct KconfigEntry: Equatable {
    var name: String
    /// `select TARGET [if CONDITION]`.
    var selects: [Select] = []
    /// `bool`, `tristate`, `int`, `hex` or `string` (nil when not said here).
    var type: String?
    /// Whether the option has a prompt (the user sets it; else kconfig computes it).
    var hasPrompt = false
    /// `default VALUE [if CONDITION]` and `def_bool`/`def_tristate`, in order.
    var defaults: [Default] = []
    /// Expressions that must all hold for the entry to be on.
    var dependencies: [String] = []

    struct Select: Equatable {
        var target: String
        var condition: String?
    }

    struct Default: Equatable {
        var value: String
        var condition: String?
    }

    /// Parses a Kconfig file's text. Help texts are skipped; `source` lines
    /// are not followed (every Kconfig file is read on its own).
    static func parse(_ text: String) -> [KconfigEntry] {
        var entries: [KconfigEntry] = []
        var current: KconfigEntry?
        /// Conditions of the open `if` and `menu` blocks, innermost last.
        var blocks: [[String]] = []
        /// Whether the attributes being read belong to a menu (its
        /// `depends on` then applies to the whole block).
        var inMenuHeader = false
        var helpIndent: Int?
        func finish() {
            if let entry = current { entries.append(entry) }
            current = nil
        }
        for rawLine in Self.lines(text) {
            // Most lines are help text: skipped here on the bytes when they
            // can be (what follows the line's blanks is ASCII, so the blanks
            // are Characters of their own), as the Character-level test
            // below would skip them.
            if let help = helpIndent, let (width, blank) = Self.asciiIndent(rawLine), blank || width > help {
                continue
            }
            let line = String(rawLine)
            let indent = Self.indentWidth(line)
            let trimmed = line.trimmingWhitespace()
            if let help = helpIndent {
                if trimmed.isEmpty || indent > help { continue }
                helpIndent = nil
            }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let rest = words.count > 1
                ? trimmed.dropFirst(words[0].count).trimmingWhitespace() : ""
            switch words[0] {
            case "config", "menuconfig":
                finish()
                inMenuHeader = false
                if words.count == 2 {
                    current = KconfigEntry(name: words[1], dependencies: blocks.flatMap { $0 })
                }
                continue
            case "if":
                finish(); inMenuHeader = false
                blocks.append([rest])
                continue
            case "endif", "endmenu":
                finish(); inMenuHeader = false
                if !blocks.isEmpty { blocks.removeLast() }
                continue
            case "menu":
                finish()
                blocks.append([])
                inMenuHeader = true
                continue
            case "choice", "endchoice", "source", "comment", "mainmenu":
                finish(); inMenuHeader = false
                continue
            default:
                break
            }
            if words[0] == "help" || words[0] == "---help---" {
                helpIndent = indent
                continue
            }
            if inMenuHeader {
                if words.count > 2, words[0] == "depends", words[1] == "on", !blocks.isEmpty {
                    blocks[blocks.count - 1].append(dropWords(2, of: trimmed))
                }
                continue
            }
            guard current != nil else { continue }
            switch words[0] {
            case "select" where words.count >= 2:
                var condition: String?
                if words.count > 3, words[2] == "if" { condition = dropWords(3, of: trimmed) }
                current?.selects.append(Select(target: words[1], condition: condition))
            case "bool", "tristate", "int", "hex", "string", "boolean":
                current?.type = words[0] == "boolean" ? "bool" : words[0]
                if words.count > 1 { current?.hasPrompt = true }
            case "prompt":
                current?.hasPrompt = true
            case "def_bool", "def_tristate", "default":
                if words[0] != "default" { current?.type = words[0] == "def_bool" ? "bool" : "tristate" }
                guard words.count >= 2 else { break }
                current?.defaults.append(Self.valueAndCondition(rest))
            case "depends" where words.count > 2 && words[1] == "on":
                current?.dependencies.append(dropWords(2, of: trimmed))
            default:
                break
            }
        }
        finish()
        return entries
    }

    /// The text split at each `\n` Character, as `split(separator: "\n")`
    /// does (a `\r\n` pair is one Character, not a line end), found on the
    /// UTF-8 bytes instead of by Character: every Kconfig file of the tree
    /// goes through here.
    static func lines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var previous: UInt8 = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == 0x0A, previous != 0x0D {
                result.append(text[start..<i])
                start = bytes.index(after: i)
            }
            previous = byte
            i = bytes.index(after: i)
        }
        result.append(text[start...])
        return result
    }

    /// `y if X86_64` → ("y", "X86_64"); `"7"` → ("\"7\"", nil). The `if`
    /// is looked for outside quotes.
    static func valueAndCondition(_ text: String) -> Default {
        var inQuotes = false
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "\"" { inQuotes.toggle() }
            if !inQuotes, text[i...].hasPrefix(" if ") || text[i...].hasPrefix("\tif ") {
                return Default(value: text[..<i].trimmingWhitespace(),
                               condition: text[text.index(i, offsetBy: 4)...].trimmingWhitespace())
            }
            i = text.index(after: i)
        }
        return Default(value: text.trimmingWhitespace(), condition: nil)
    }

    /// A line's indentation (a tab counting 8) and whether it is blank,
    /// from its bytes; nil when the first byte after the spaces and tabs is
    /// not plain ASCII (a combining mark or a carriage return may join the
    /// last blank into another Character: `indentWidth` decides then).
    static func asciiIndent(_ line: Substring) -> (width: Int, blank: Bool)? {
        var width = 0
        for byte in line.utf8 {
            switch byte {
            case 0x20: width += 1
            case 0x09: width += 8 - width % 8
            case 0x0D, 0x80...: return nil
            default: return (width, false)
            }
        }
        return (width, true)
    }

    /// A line's indentation, a tab counting 8.
    static func indentWidth(_ line: String) -> Int {
        var width = 0
        for c in line {
            if c == " " { width += 1 } else if c == "\t" { width += 8 - width % 8 } else { break }
        }
        return width
    }

    /// `line` without its first `count` words.
    static func dropWords(_ count: Int, of line: String) -> String {
        var rest = Substring(line)
        for _ in 0..<count {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            rest = rest.drop(while: { $0 != " " && $0 != "\t" })
        }
        return rest.trimmingWhitespace()
    }
}
