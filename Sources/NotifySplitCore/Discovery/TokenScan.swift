import Foundation

/// What the token scan found for one name in one file.
public struct TokenHit: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Used in code (a candidate call site).
        case use
        /// `#define NAME` of the name itself.
        case definition
        /// Mentioned in the body of `#define WRAPPER`: WRAPPER is a wrapper.
        case inMacroBody(wrapper: String)
        /// Any other directive (`#ifdef NAME`, `#undef NAME`, …).
        case directive
        /// Inside a comment (a note: it goes stale after a conversion).
        case comment
    }

    public var name: String
    public var kind: Kind
    /// Byte range of the identifier.
    public var start: Int
    public var end: Int
    public var line: Int
    public var column: Int
    /// The function the token scan places the hit in (brace-depth
    /// heuristic), for hits libclang does not see.
    public var function: String?
}

/// Finds every occurrence of a set of identifiers in a file's bytes, telling
/// code from comments, strings and directives.
///
/// Files are first checked with a vectorised substring search; only files
/// that contain one of the names are lexed.
public struct TokenScan: Sendable {
    private let names: [String: [UInt8]]
    private let byFirstByte: [UInt8: [(String, [UInt8])]]
    /// What the prefilter looks for: a substring every name contains when
    /// there is a long one (`ptep_clear_flush_` for the default pair), else
    /// each name; with each name's offset of it, so that a hit is
    /// confirmed against the whole names.
    private let anchors: [(search: NeedleSearch, names: [(needle: [UInt8], offset: Int)])]

    /// The length in bytes of the longest name.
    public var longestName: Int { names.values.map(\.count).max() ?? 0 }

    public init(names: some Sequence<String>) {
        var table: [String: [UInt8]] = [:]
        for name in names where !name.isEmpty { table[name] = Array(name.utf8) }
        self.names = table
        byFirstByte = Dictionary(grouping: table.map { ($0.key, $0.value) }, by: { $0.1[0] })
        let needles = table.values.sorted { $0.lexicographicallyPrecedes($1) }
        if needles.count > 1, let common = Self.longestCommonSubstring(needles), common.count >= 4 {
            // A name holding the anchor at offset k occurs at p only where
            // the anchor's first occurrence in it does, at p + k: checking
            // every anchor hit against each name at its first offset misses
            // no occurrence of any name.
            anchors = [(NeedleSearch(common), needles.map { ($0, Self.firstOffset(of: common, in: $0)!) })]
        } else {
            anchors = needles.map { (NeedleSearch($0), [($0, 0)]) }
        }
    }

    /// True when one of the names occurs in `bytes` (as bytes, anywhere:
    /// the prefilter before lexing; never false when one does).
    public func mayContain(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return false }
        let count = bytes.count
        for anchor in anchors {
            var from = 0
            while let at = anchor.search.firstOccurrence(in: base, count: count, from: from) {
                for (needle, offset) in anchor.names where at >= offset && at - offset + needle.count <= count {
                    if needle.withUnsafeBytes({ memcmp(base + (at - offset), $0.baseAddress!, needle.count) }) == 0 {
                        return true
                    }
                }
                from = at + 1
            }
        }
        return false
    }

    static func longestCommonSubstring(_ needles: [[UInt8]]) -> [UInt8]? {
        guard let shortest = needles.min(by: { $0.count < $1.count }) else { return nil }
        for length in stride(from: shortest.count, through: 1, by: -1) {
            for start in 0...(shortest.count - length) {
                let candidate = Array(shortest[start..<(start + length)])
                if needles.allSatisfy({ firstOffset(of: candidate, in: $0) != nil }) { return candidate }
            }
        }
        return nil
    }

    private static func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// Substring search (the vectorised pair search of `NeedleSearch`).
    static func find(_ needle: [UInt8], in base: UnsafeRawPointer, count: Int) -> Bool {
        guard !needle.isEmpty else { return false }
        return NeedleSearch(needle).firstOccurrence(in: base, count: count) != nil
    }

    /// Words before a parenthesis at file scope that never name the
    /// function being defined.
    static let notFunctionNames: Set<String> = [
        "void", "int", "char", "short", "long", "signed", "unsigned", "float", "double", "_Bool", "bool",
        "struct", "union", "enum", "const", "volatile", "static", "inline", "extern", "typeof", "__typeof__",
        "sizeof", "if", "while", "for", "switch", "return",
    ]

    /// Attribute-like annotations written with arguments around a
    /// function's name and parameter list.
    static let annotations: Set<String> = [
        "__attribute__", "__attribute", "__printf", "__scanf", "__acquires", "__releases", "__must_hold",
        "__section", "__aligned", "__alloc_size", "__diagnose_as", "__cond_acquires", "__no_sanitize_or_inline",
        "__assume_aligned", "__malloc", "__realloc_size", "__nocfi", "__no_kcsan", "__used",
    ]

    /// Every identifier occurrence of the names, classified.
    public func hits(in bytes: UnsafeRawBufferPointer) -> [TokenHit] {
        var hits: [TokenHit] = []
        guard bytes.count > 0 else { return hits }
        let count = bytes.count
        var i = 0
        var line = 1
        var lineStart = 0
        var atLineStart = true          // only whitespace so far on this line
        var inDirective = false
        var directiveName: [UInt8] = []
        var definedMacro: String?       // name of the `#define` we are in
        var expectDefineName = false
        var expectDirectiveName = false
        var depth = 0                   // brace depth, for the function heuristic
        var lastIdentifier: String?     // last identifier at depth 0 before `(`
        var candidateFunction: String?
        var parens = 0                  // parenthesis depth at brace depth 0
        var lastSignificant: UInt8 = 0
        var function: String?

        func record(_ name: String, _ kind: TokenHit.Kind, _ start: Int, _ end: Int) {
            hits.append(TokenHit(name: name, kind: kind, start: start, end: end, line: line,
                                 column: start - lineStart + 1, function: function))
        }
        func matchName(at start: Int, end: Int) -> String? {
            guard let candidates = byFirstByte[bytes[start]] else { return nil }
            let length = end - start
            outer: for (name, needle) in candidates where needle.count == length {
                for k in 0..<length where bytes[start + k] != needle[k] { continue outer }
                return name
            }
            return nil
        }

        while i < count {
            let byte = bytes[i]
            switch byte {
            case .newline:
                // A directive ends at a newline not escaped by a backslash.
                var k = i - 1
                if k >= 0, bytes[k] == .carriageReturn { k -= 1 }
                if inDirective, !(k >= 0 && bytes[k] == .backslash) {
                    inDirective = false
                    definedMacro = nil
                    expectDefineName = false
                    expectDirectiveName = false
                }
                line += 1
                lineStart = i + 1
                atLineStart = true
                i += 1
            case .space, .tab, .carriageReturn, 0x0b, 0x0c:
                i += 1
            case .slash where i + 1 < count && (bytes[i + 1] == .star || bytes[i + 1] == .slash):
                // A comment: names inside it are mentions. A block comment
                // ends at `*/` (its newlines still count), a line comment
                // at the end of the line.
                let block = bytes[i + 1] == .star
                var j = i + 2
                while j < count {
                    if block ? (j + 1 < count && bytes[j] == .star && bytes[j + 1] == .slash) : bytes[j] == .newline {
                        break
                    }
                    if bytes[j] == .newline {
                        line += 1
                        lineStart = j + 1
                        j += 1
                    } else if CLexer.isIdentifierStart(bytes[j]), !CLexer.isIdentifierByte(bytes[j - 1]) {
                        var e = j + 1
                        while e < count, CLexer.isIdentifierByte(bytes[e]) { e += 1 }
                        if let name = matchName(at: j, end: e) { record(name, .comment, j, e) }
                        j = e
                    } else {
                        j += 1
                    }
                }
                i = block ? min(j + 2, count) : j
            case .doubleQuote, .singleQuote:
                // String or character literal; a directive's `#include "x"`
                // is a literal too. Stops at an unescaped newline (broken code).
                var j = i + 1
                while j < count, bytes[j] != byte, bytes[j] != .newline {
                    j += bytes[j] == .backslash ? 2 : 1
                }
                i = min(j + 1, count)
                atLineStart = false
                lastSignificant = byte
            case .hash where atLineStart:
                inDirective = true
                expectDirectiveName = true
                directiveName = []
                atLineStart = false
                i += 1
            default:
                atLineStart = false
                if CLexer.isIdentifierStart(byte) {
                    var e = i + 1
                    while e < count, CLexer.isIdentifierByte(bytes[e]) { e += 1 }
                    if expectDirectiveName {
                        directiveName = Array(UnsafeRawBufferPointer(rebasing: bytes[i..<e]))
                        expectDirectiveName = false
                        expectDefineName = directiveName == Array("define".utf8)
                    } else if expectDefineName {
                        definedMacro = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<e]),
                                              as: UTF8.self)
                        expectDefineName = false
                        if let name = matchName(at: i, end: e) { record(name, .definition, i, e) }
                    } else if let name = matchName(at: i, end: e) {
                        if inDirective {
                            if let wrapper = definedMacro, wrapper != name {
                                record(name, .inMacroBody(wrapper: wrapper), i, e)
                            } else {
                                record(name, .directive, i, e)
                            }
                        } else {
                            record(name, .use, i, e)
                        }
                    }
                    // A name looked up may be the function being defined.
                    if !inDirective, depth == 0 {
                        lastIdentifier = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<e]),
                                                as: UTF8.self)
                    }
                    if !inDirective { lastSignificant = UInt8(ascii: "a") }
                    i = e
                } else {
                    if !inDirective {
                        switch byte {
                        case .openParen where depth == 0:
                            // The function's name stands before the first
                            // parenthesised group at file scope that is not
                            // an annotation (`__printf(1, 2)` before it,
                            // `__releases(x)` after) and not a keyword
                            // (`void (*fn)(void)`), or inside one when it
                            // returns a function pointer (`int (*k(int))(int)`).
                            if parens == 0 || candidateFunction == nil, lastSignificant == UInt8(ascii: "a"),
                               let name = lastIdentifier,
                               !Self.notFunctionNames.contains(name),
                               candidateFunction.map(Self.annotations.contains) ?? true {
                                candidateFunction = name
                            }
                            parens += 1
                        case .closeParen where depth == 0:
                            parens = max(0, parens - 1)
                        case .openBrace:
                            if depth == 0 {
                                // `f(...) {` starts a function body; `= {` or
                                // `struct x {` do not.
                                function = lastSignificant == .closeParen ? candidateFunction : nil
                                parens = 0
                            }
                            depth += 1
                        case .closeBrace:
                            depth = max(0, depth - 1)
                            if depth == 0 { function = nil; candidateFunction = nil; parens = 0 }
                        case .semicolon where depth == 0:
                            candidateFunction = nil
                            parens = 0
                        default: break
                        }
                        lastSignificant = byte
                    }
                    i += 1
                }
            }
        }
        return hits
    }
}
