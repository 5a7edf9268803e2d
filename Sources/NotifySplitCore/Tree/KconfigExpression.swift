/// A Kconfig expression (`A && !B`, `(A || B) && C`, `ARCH = "x86"`),
/// evaluated as kconfig does for bool symbols: a symbol is `y` when the
/// configuration sets it, else `n`. Anything this parser does not
/// understand (a `$(shell …)` macro, a stray token) makes the expression
/// unknown, which callers treat as false: an option is never enabled on a
/// guess.
enum KconfigExpression {
    /// The value of `text` given the configuration's symbols, nil when it
    /// cannot be parsed.
    static func evaluate(_ text: String, symbols: [String: String]) -> Bool? {
        var parser = Parser(tokens: tokenize(text), symbols: symbols)
        guard let value = parser.orExpression(), parser.position == parser.tokens.count else { return nil }
        return value
    }

    static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "#" { break }
            if c.isWhitespace { i = text.index(after: i); continue }
            let two = text[i...].prefix(2)
            if ["&&", "||", "!=", "<=", ">="].contains(String(two)) {
                tokens.append(String(two)); i = text.index(i, offsetBy: 2); continue
            }
            if "()!=<>".contains(c) { tokens.append(String(c)); i = text.index(after: i); continue }
            if c == "\"" || c == "'" {
                var j = text.index(after: i)
                while j < text.endIndex && text[j] != c { j = text.index(after: j) }
                guard j < text.endIndex else { return ["<unterminated>"] }
                tokens.append(String(text[i...j])); i = text.index(after: j); continue
            }
            var j = i
            while j < text.endIndex, text[j].isLetter || text[j].isNumber || text[j] == "_" || text[j] == "-" {
                j = text.index(after: j)
            }
            if j == i { return ["<\(c)>"] }  // `$(…)` and the like
            tokens.append(String(text[i..<j])); i = j
        }
        return tokens
    }

    struct Parser {
        let tokens: [String]
        let symbols: [String: String]
        var position = 0

        mutating func next() -> String? {
            guard position < tokens.count else { return nil }
            defer { position += 1 }
            return tokens[position]
        }
        var peek: String? { position < tokens.count ? tokens[position] : nil }

        mutating func orExpression() -> Bool? {
            guard var value = andExpression() else { return nil }
            while peek == "||" {
                position += 1
                guard let right = andExpression() else { return nil }
                value = value || right
            }
            return value
        }

        mutating func andExpression() -> Bool? {
            guard var value = unary() else { return nil }
            while peek == "&&" {
                position += 1
                guard let right = unary() else { return nil }
                value = value && right
            }
            return value
        }

        mutating func unary() -> Bool? {
            if peek == "!" {
                position += 1
                return unary().map { !$0 }
            }
            if peek == "(" {
                position += 1
                guard let value = orExpression(), next() == ")" else { return nil }
                return value
            }
            guard let left = next().flatMap(value) else { return nil }
            if let op = peek, ["=", "!="].contains(op) {
                position += 1
                guard let right = next().flatMap(value) else { return nil }
                return op == "=" ? left == right : left != right
            }
            return left != "n"
        }

        /// A symbol's value (`y`/`n` for bools, its value for others) or a constant.
        func value(_ token: String) -> String? {
            if token.hasPrefix("\"") || token.hasPrefix("'") { return String(token.dropFirst().dropLast()) }
            if ["y", "n", "m"].contains(token) { return token == "n" ? "n" : "y" }
            guard token.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            guard let value = symbols[token] else {
                return token.allSatisfy(\.isNumber) ? token : "n"
            }
            if value == "1" { return "y" }
            return value.hasPrefix("\"") ? String(value.dropFirst().dropLast()) : value
        }
    }
}
