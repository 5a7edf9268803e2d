/// Just enough of C, on the bytes as written, for the metamorphic oracle's
/// transformations: tokens (comments, strings and preprocessor lines kept
/// whole), function definitions, and the statements of their bodies.
/// Nothing here is clever: when the text is not plain enough to be sure,
/// a transformation does not apply (it never guesses).
public final class CSource {
    public struct Token: Equatable {
        public enum Kind: Equatable { case identifier, number, string, character, punctuation, comment, directive }
        public var kind: Kind
        public var range: Range<Int>
    }

    public let bytes: [UInt8]
    /// Every token in order, comments and directives included.
    public let tokens: [Token]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        tokens = CSource.lex(bytes)
    }

    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    public func text(_ token: Token) -> String { text(token.range) }

    /// "\r\n" when the file's first line end is CRLF, else "\n".
    public var newline: [UInt8] {
        guard let end = bytes.firstIndex(of: 0x0A) else { return [0x0A] }
        return end > 0 && bytes[end - 1] == 0x0D ? [0x0D, 0x0A] : [0x0A]
    }

    /// Start of the line holding `offset`.
    public func lineStart(_ offset: Int) -> Int {
        var i = min(offset, bytes.count)
        while i > 0 && bytes[i - 1] != 0x0A { i -= 1 }
        return i
    }

    /// The spaces and tabs that start the line holding `offset`.
    public func indent(_ offset: Int) -> [UInt8] {
        let start = lineStart(offset)
        var end = start
        while end < bytes.count && (bytes[end] == 0x20 || bytes[end] == 0x09) { end += 1 }
        return Array(bytes[start..<end])
    }

    /// Whether only spaces and tabs stand between the line's start and `offset`.
    public func startsLine(_ offset: Int) -> Bool {
        bytes[lineStart(offset)..<offset].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    // MARK: Lexing

    static func lex(_ b: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        var lineStart = true              // only white space since the last newline
        let n = b.count
        func isIdentifierStart(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x24 || c >= 0x80
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        /// The end of a comment starting at `j` (`/*` or `//`), or nil.
        func commentEnd(_ j: Int) -> Int? {
            guard j + 1 < n, b[j] == 0x2F else { return nil }
            if b[j + 1] == 0x2A {
                var k = j + 2
                while k + 1 < n && !(b[k] == 0x2A && b[k + 1] == 0x2F) { k += 1 }
                return min(k + 2, n)
            }
            if b[j + 1] == 0x2F {
                var k = j + 2
                while k < n && b[k] != 0x0A {
                    if b[k] == 0x5C && k + 1 < n && b[k + 1] == 0x0A { k += 2; continue }
                    if b[k] == 0x5C && k + 2 < n && b[k + 1] == 0x0D && b[k + 2] == 0x0A { k += 3; continue }
                    k += 1
                }
                if k > j + 2 && b[k - 1] == 0x0D { k -= 1 }
                return k
            }
            return nil
        }
        while i < n {
            let c = b[i]
            if c == 0x0A { lineStart = true; i += 1; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0C || c == 0x0B { i += 1; continue }
            if let end = commentEnd(i) {
                tokens.append(Token(kind: .comment, range: i..<end))
                i = end
                continue
            }
            if c == 0x23 && lineStart {       // a directive, to its unescaped line end
                var k = i + 1
                while k < n && b[k] != 0x0A {
                    if let end = commentEnd(k) { k = end; continue }
                    if b[k] == 0x5C && k + 1 < n && b[k + 1] == 0x0A { k += 2; continue }
                    if b[k] == 0x5C && k + 2 < n && b[k + 1] == 0x0D && b[k + 2] == 0x0A { k += 3; continue }
                    k += 1
                }
                var end = k
                if end > i && b[end - 1] == 0x0D { end -= 1 }
                tokens.append(Token(kind: .directive, range: i..<end))
                i = k
                continue
            }
            lineStart = false
            if isIdentifierStart(c) {
                var k = i + 1
                while k < n && (isIdentifierStart(b[k]) || isDigit(b[k])) { k += 1 }
                // A string or character prefix (L"", u8'') is part of the literal.
                if k < n && (b[k] == 0x22 || b[k] == 0x27) && ["L", "u", "U", "u8"].contains(
                    String(decoding: b[i..<k], as: UTF8.self)) {
                    let end = quoted(b, from: k)
                    tokens.append(Token(kind: b[k] == 0x22 ? .string : .character, range: i..<end))
                    i = end
                    continue
                }
                tokens.append(Token(kind: .identifier, range: i..<k))
                i = k
                continue
            }
            if isDigit(c) || (c == 0x2E && i + 1 < n && isDigit(b[i + 1])) {
                var k = i + 1
                while k < n && (isIdentifierStart(b[k]) || isDigit(b[k]) || b[k] == 0x2E
                                || ((b[k] == 0x2B || b[k] == 0x2D) && (b[k - 1] | 0x20) == 0x65)) { k += 1 }
                tokens.append(Token(kind: .number, range: i..<k))
                i = k
                continue
            }
            if c == 0x22 || c == 0x27 {
                let end = quoted(b, from: i)
                tokens.append(Token(kind: c == 0x22 ? .string : .character, range: i..<end))
                i = end
                continue
            }
            var length = 1
            for operator_ in CSource.operators where i + operator_.count <= n
                && Array(b[i..<(i + operator_.count)]) == operator_ {
                length = operator_.count
                break
            }
            tokens.append(Token(kind: .punctuation, range: i..<(i + length)))
            i += length
        }
        return tokens
    }

    private static let operators: [[UInt8]] = ["<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=",
                                                "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=",
                                                "|=", "^=", "##"].map { Array($0.utf8) }

    /// The end of a string or character literal starting at `i` (its quote).
    private static func quoted(_ b: [UInt8], from i: Int) -> Int {
        let quote = b[i]
        var k = i + 1
        while k < b.count && b[k] != quote && b[k] != 0x0A {
            k += b[k] == 0x5C ? 2 : 1
        }
        return min(k + 1, b.count)
    }

    // MARK: Structure

    /// The indices of the tokens that are code (no comments, no directives).
    public private(set) lazy var code: [Int] = tokens.indices.filter {
        tokens[$0].kind != .comment && tokens[$0].kind != .directive
    }

    public func isPunctuation(_ index: Int, _ text: String) -> Bool {
        tokens[index].kind == .punctuation && self.text(tokens[index]) == text
    }

    /// For each opening bracket among the code tokens, the index (into
    /// `code`) of the one closing it; nil when the brackets do not balance.
    public private(set) lazy var matching: [Int: Int]? = {
        var stack: [Int] = []
        var result: [Int: Int] = [:]
        let pairs: [String: String] = [")": "(", "]": "[", "}": "{"]
        for (position, index) in code.enumerated() where tokens[index].kind == .punctuation {
            let t = text(tokens[index])
            if t == "(" || t == "[" || t == "{" {
                stack.append(position)
            } else if let open = pairs[t] {
                guard let last = stack.popLast(), text(tokens[code[last]]) == open else { return nil }
                result[last] = position
            }
        }
        return stack.isEmpty ? result : nil
    }()

    public struct Function {
        public var name: String
        /// Where its definition starts (the line of its first token) and ends.
        public var start: Int
        public var end: Int
        /// Positions (into `code`) of the parameter list's parentheses and
        /// the body's braces.
        public var parameters: ClosedRange<Int>
        public var body: ClosedRange<Int>
    }

    /// The function definitions: `NAME ( … ) {` at file level.
    public private(set) lazy var functions: [Function] = {
        guard let matching else { return [] }
        let opener = Dictionary(matching.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        var result: [Function] = []
        var position = 0
        var declarationStart = 0              // first code position after the last `;` or `}` at file level
        while position < code.count {
            let token = tokens[code[position]]
            if token.kind == .punctuation {
                let t = text(token)
                if t == ";" { declarationStart = position + 1 }
                if t == "{" {
                    guard let close = matching[position] else { return result }
                    if position > 0, isPunctuation(code[position - 1], ")"),
                       let open = opener[position - 1],
                       open > 0, tokens[code[open - 1]].kind == .identifier {
                        let first = tokens[code[max(declarationStart, 0)]].range.lowerBound
                        result.append(Function(name: text(tokens[code[open - 1]]),
                                               start: lineStart(first),
                                               end: tokens[code[close]].range.upperBound,
                                               parameters: (open)...(position - 1), body: position...close))
                    }
                    position = close + 1
                    declarationStart = position
                    continue
                }
            }
            position += 1
        }
        return result
    }()

    /// A statement of a function body: its code positions, what it is,
    /// and the statements inside it.
    public final class Statement {
        public enum Kind { case compound, ifElse, loop, doWhile, switchCase, label, macroLoop, simple }
        public var kind: Kind
        /// First and last code positions (the last is its `;` or `}`).
        public var first: Int
        public var last: Int
        /// For `if`, `for`, `while`, `switch` and iterator macros: the
        /// positions of the header's parentheses.
        public var header: ClosedRange<Int>?
        public var children: [Statement] = []

        init(_ kind: Kind, _ first: Int, _ last: Int, header: ClosedRange<Int>? = nil) {
            self.kind = kind
            self.first = first
            self.last = last
            self.header = header
        }
    }

    /// The body of `function` as a compound statement, or nil when it is not
    /// plain enough to be sure of.
    public func body(of function: Function) -> Statement? {
        guard let matching else { return nil }
        var parser = StatementParser(source: self, matching: matching)
        return parser.compound(at: function.body.lowerBound)
    }

    public func start(_ statement: Statement) -> Int { tokens[code[statement.first]].range.lowerBound }
    public func end(_ statement: Statement) -> Int { tokens[code[statement.last]].range.upperBound }
}

/// Statements from code positions; nil (refuses) on anything unusual.
struct StatementParser {
    let source: CSource
    let matching: [Int: Int]

    func text(_ position: Int) -> String { source.text(source.tokens[source.code[position]]) }
    func kind(_ position: Int) -> CSource.Token.Kind { source.tokens[source.code[position]].kind }

    /// The compound statement whose `{` is at `open`.
    mutating func compound(at open: Int) -> CSource.Statement? {
        guard let close = matching[open] else { return nil }
        let block = CSource.Statement(.compound, open, close)
        var position = open + 1
        while position < close {
            guard let child = statement(at: position, limit: close) else { return nil }
            block.children.append(child)
            position = child.last + 1
        }
        return block
    }

    mutating func statement(at position: Int, limit: Int) -> CSource.Statement? {
        guard position < limit else { return nil }
        let word = text(position)
        if word == "{" { return compound(at: position) }
        if word == ";" { return CSource.Statement(.simple, position, position) }
        if kind(position) == .identifier {
            switch word {
            case "if", "for", "while", "switch":
                guard position + 1 < limit, text(position + 1) == "(", let close = matching[position + 1],
                      let body = statement(at: close + 1, limit: limit) else { return nil }
                let result = CSource.Statement(word == "if" ? .ifElse : word == "switch" ? .switchCase : .loop,
                                               position, body.last, header: (position + 1)...close)
                result.children = [body]
                if word == "if", body.last + 1 < limit, text(body.last + 1) == "else" {
                    guard let otherwise = statement(at: body.last + 2, limit: limit) else { return nil }
                    result.children.append(otherwise)
                    result.last = otherwise.last
                }
                return result
            case "do":
                guard let body = statement(at: position + 1, limit: limit), body.last + 2 < limit,
                      text(body.last + 1) == "while", text(body.last + 2) == "(",
                      let close = matching[body.last + 2], close + 1 < limit, text(close + 1) == ";" else {
                    return nil
                }
                let result = CSource.Statement(.doWhile, position, close + 1, header: (body.last + 2)...close)
                result.children = [body]
                return result
            case "case", "default":
                // To the `:` at this level (a `case` expression has no `?:`
                // in the code this is used on; refuse one that does).
                var k = position + 1
                while k < limit && text(k) != ":" {
                    if text(k) == "?" { return nil }
                    if let close = matching[k] { k = close }
                    k += 1
                }
                guard k < limit, let body = statement(at: k + 1, limit: limit) else { return nil }
                let result = CSource.Statement(.label, position, body.last)
                result.children = [body]
                return result
            case "else":
                return nil
            default:
                break
            }
            // A label.
            if position + 1 < limit, text(position + 1) == ":" {
                guard let body = statement(at: position + 2, limit: limit) else { return nil }
                let result = CSource.Statement(.label, position, body.last)
                result.children = [body]
                return result
            }
            // An iterator macro: NAME ( … ) followed by a statement, not `;`.
            if position + 1 < limit, text(position + 1) == "(", let close = matching[position + 1],
               close + 1 < limit, text(close + 1) != ";", text(close + 1) == "{" || kind(close + 1) == .identifier {
                guard let body = statement(at: close + 1, limit: limit) else { return nil }
                let result = CSource.Statement(.macroLoop, position, body.last, header: (position + 1)...close)
                result.children = [body]
                return result
            }
        }
        // Anything else: to the `;` at this level.
        var k = position
        while k < limit && text(k) != ";" {
            if let close = matching[k] { k = close }
            k += 1
        }
        guard k < limit else { return nil }
        return CSource.Statement(.simple, position, k)
    }
}
