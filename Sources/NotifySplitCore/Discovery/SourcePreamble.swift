/// The preamble of a C source file: its leading run of preprocessor
/// directives, comments and blank lines, up to the end of the last
/// directive that leaves no `#if` open — in a kernel `.c` file, the block
/// of `#include`s that costs most of a parse.
///
/// What the preamble declares and defines does not depend on anything
/// after it, so it can be compiled once into a precompiled header and the
/// rest of the file parsed against it (clang's own preamble, made
/// persistent: `PreambleCache`). It ends at a directive boundary, never
/// inside an open conditional, so the rest is the same text either way.
public enum SourcePreamble {
    /// The byte length of `bytes`' preamble (0 when it has none).
    public static func length(of bytes: [UInt8]) -> Int {
        var scanner = Scanner(bytes: bytes)
        var end = 0
        var depth = 0
        while let first = scanner.skipBlanksAndComments() {
            guard first == UInt8(ascii: "#") else { break }
            let directive = scanner.directive()
            // A `#line` (or a `# 12 "file"` marker) renumbers what follows:
            // blanked out of the rest of the file it would not.
            if directive.name == "line" || directive.name.first?.isNumber == true { break }
            switch directive.name {
            case "if", "ifdef", "ifndef": depth += 1
            case "endif": depth -= 1
            default: break
            }
            guard depth >= 0 else { break }  // an #endif of nothing: leave it to the parser
            if depth == 0 { end = directive.end }
        }
        return end
    }

    /// A byte cursor that knows C's comments, literals and line splices.
    private struct Scanner {
        let bytes: [UInt8]
        var at = 0

        /// Skips white space and comments; the next byte, or nil at the end.
        mutating func skipBlanksAndComments() -> UInt8? {
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0b, 0x0c:
                    at += 1
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                    skipBlockComment()
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                    skipLineComment()
                case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n"):
                    at += 2
                default:
                    return bytes[at]
                }
            }
            return nil
        }

        /// Reads a directive starting at `#`: its name and the offset of the
        /// newline that ends it (or the end of the file).
        mutating func directive() -> (name: String, end: Int) {
            at += 1  // '#'
            while at < bytes.count, bytes[at] == UInt8(ascii: " ") || bytes[at] == UInt8(ascii: "\t")
                || (bytes[at] == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*")) {
                if bytes[at] == UInt8(ascii: "/") { skipBlockComment() } else { at += 1 }
            }
            let nameStart = at
            while at < bytes.count, Self.isIdentifier(bytes[at]) { at += 1 }
            let name = String(decoding: bytes[nameStart..<at], as: UTF8.self)
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: "\n"):
                    return (name, at)
                case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n"):
                    at += 2
                case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\r") && peek(2) == UInt8(ascii: "\n"):
                    at += 3
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                    skipBlockComment()
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                    skipLineComment()
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    skipLiteral()
                default:
                    at += 1
                }
            }
            return (name, at)
        }

        private func peek(_ distance: Int) -> UInt8? {
            at + distance < bytes.count ? bytes[at + distance] : nil
        }

        private mutating func skipBlockComment() {
            at += 2
            while at < bytes.count, !(bytes[at] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) { at += 1 }
            at = min(at + 2, bytes.count)
        }

        /// To the newline that ends the comment (a spliced one continues it).
        private mutating func skipLineComment() {
            while at < bytes.count, bytes[at] != UInt8(ascii: "\n") || (at > 0 && bytes[at - 1] == UInt8(ascii: "\\")) {
                at += 1
            }
        }

        /// A string or character literal, to its closing quote or the end of
        /// the line (an unterminated one ends there, as in the lexer).
        private mutating func skipLiteral() {
            let quote = bytes[at]
            at += 1
            while at < bytes.count, bytes[at] != quote, bytes[at] != UInt8(ascii: "\n") {
                at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1
            }
            if at < bytes.count, bytes[at] == quote { at += 1 }
        }

        private static func isIdentifier(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
    }
}
