/// Token-level handling of the short C expressions found in macro bodies
/// and macro arguments: splitting, substitution, parenthesising.
enum CExpression {
    /// Splits C text into tokens: identifiers/numbers, multi-character
    /// operators, single punctuation. Whitespace is dropped.
    static func tokens(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var result: [String] = []
        var i = 0
        let operators = ["->", "|=", "&=", "+=", "-=", "<<", ">>", "==", "!=", "<=", ">=", "&&", "||", "++", "--"]
        while i < bytes.count {
            let byte = bytes[i]
            if byte == .space || byte == .tab || byte == .newline || byte == .carriageReturn {
                i += 1
            } else if CLexer.isIdentifierByte(byte) {
                var e = i + 1
                while e < bytes.count, CLexer.isIdentifierByte(bytes[e]) { e += 1 }
                result.append(String(decoding: bytes[i..<e], as: UTF8.self))
                i = e
            } else if byte == .doubleQuote || byte == .singleQuote {
                var e = i + 1
                while e < bytes.count, bytes[e] != byte { e += bytes[e] == .backslash ? 2 : 1 }
                e = min(e + 1, bytes.count)
                result.append(String(decoding: bytes[i..<e], as: UTF8.self))
                i = e
            } else if i + 1 < bytes.count,
                      let op = operators.first(where: { Array($0.utf8) == Array(bytes[i..<(i + 2)]) }) {
                result.append(op)
                i += 2
            } else {
                result.append(String(UnicodeScalar(byte)))
                i += 1
            }
        }
        return result
    }

    /// Joins tokens back into kernel-style text: spaces around binary
    /// operators, none inside calls, member access or parentheses.
    static func render(_ tokens: [String]) -> String {
        var out = ""
        var previous: String?
        for token in tokens {
            if let p = previous, needsSpace(between: p, and: token) { out += " " }
            out += token
            previous = token
        }
        return out
    }

    private static func needsSpace(between a: String, and b: String) -> Bool {
        let tight: Set<String> = ["(", "[", "->", ".", "!", "~"]
        if tight.contains(a) { return false }
        if [")", "]", ",", ";", "->", ".", "(", "[", "++", "--"].contains(b) {
            // A call or index binds to the name before it; `x (` only after
            // an operator, as in `a & (b)`.
            if b == "(" || b == "[" { return !isOperand(a) }
            return false
        }
        return true
    }

    private static func isOperand(_ token: String) -> Bool {
        guard let first = token.utf8.first else { return false }
        return CLexer.isIdentifierByte(first) || token == ")" || token == "]"
    }

    /// Splits `tokens` at top-level occurrences of `separator`.
    static func split(_ tokens: [String], on separator: String) -> [[String]] {
        var parts: [[String]] = [[]]
        var depth = 0
        for token in tokens {
            if token == "(" || token == "[" || token == "{" { depth += 1 }
            if token == ")" || token == "]" || token == "}" { depth -= 1 }
            if depth == 0 && token == separator {
                parts.append([])
            } else {
                parts[parts.count - 1].append(token)
            }
        }
        return parts
    }

    /// True when `tokens` form a primary expression that needs no
    /// parentheses anywhere: a name, a member chain, a call or an index.
    static func isPrimary(_ tokens: [String]) -> Bool {
        var depth = 0
        for (i, token) in tokens.enumerated() {
            if token == "(" || token == "[" { depth += 1; continue }
            if token == ")" || token == "]" { depth -= 1; continue }
            if depth > 0 { continue }
            guard let first = token.utf8.first else { return false }
            if CLexer.isIdentifierByte(first) { continue }
            if (token == "->" || token == ".") && i > 0 { continue }
            return false
        }
        return !tokens.isEmpty
    }

    /// Replaces each identifier that `substitutions` names with its tokens,
    /// parenthesised unless primary. `(x)` left around a lone primary is
    /// dropped again.
    static func substitute(_ tokens: [String], _ substitutions: [String: [String]]) -> [String] {
        var result: [String] = []
        for (i, token) in tokens.enumerated() {
            // A member name after -> or . is not a variable.
            let isMember = i > 0 && (tokens[i - 1] == "->" || tokens[i - 1] == ".")
            if !isMember, let replacement = substitutions[token] {
                let parenthesised = i > 0 && tokens[i - 1] == "(" && i + 1 < tokens.count && tokens[i + 1] == ")"
                if isPrimary(replacement) || parenthesised {
                    result += replacement
                } else {
                    result += ["("] + replacement + [")"]
                }
            } else {
                result.append(token)
            }
        }
        return removeRedundantParentheses(result)
    }

    /// `( name )` → `name` where the inside is primary and the `(` is not a call.
    static func removeRedundantParentheses(_ tokens: [String]) -> [String] {
        var result = tokens
        var changed = true
        while changed {
            changed = false
            var i = 0
            while i < result.count {
                guard result[i] == "(" else { i += 1; continue }
                var depth = 0
                var close = i
                for j in i..<result.count {
                    if result[j] == "(" { depth += 1 }
                    if result[j] == ")" { depth -= 1; if depth == 0 { close = j; break } }
                }
                let inside = Array(result[(i + 1)..<close])
                let isCall = i > 0 && isOperand(result[i - 1]) && !["return", "sizeof"].contains(result[i - 1])
                let alone = (i == 0 || ["(", ",", "="].contains(result[i - 1]))
                    && (close + 1 == result.count || [")", ","].contains(result[close + 1]))
                if !isCall, close > i, isPrimary(inside) || (alone && !inside.contains(",")) {
                    result.removeSubrange(close...close)
                    result.removeSubrange(i...i)
                    changed = true
                } else {
                    i += 1
                }
            }
        }
        return result
    }
}
