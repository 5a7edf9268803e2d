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
/// Files are first checked with a plain substring search; only files that
/// contain one of the names are lexed.
public struct TokenScan: Sendable {
    private let names: [String: [UInt8]]
    private let byFirstByte: [UInt8: [(String, [UInt8])]]
    /// What the prefilter looks for: a substring every name contains when
    /// there is a long one (`_notify`), else each name; each with the
    /// offset of its rarest byte, which `memchr` jumps to.
    private let anchors: [(needle: [UInt8], rare: Int)]

    public init(names: some Sequence<String>) {
        var table: [String: [UInt8]] = [:]
        for name in names { table[name] = Array(name.utf8) }
        self.names = table
        byFirstByte = Dictionary(grouping: table.map { ($0.key, $0.value) }, by: { $0.1[0] })
        let needles = table.values.sorted { $0.lexicographicallyPrecedes($1) }
        if needles.count > 1, let common = Self.longestCommonSubstring(needles), common.count >= 6 {
            anchors = [(common, Self.rarestByte(common))]
        } else {
            anchors = needles.map { ($0, Self.rarestByte($0)) }
        }
    }

    /// True when any name may occur in `bytes` (cheap prefilter: never
    /// false when one does).
    public func mayContain(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return false }
        for anchor in anchors where Self.find(anchor.needle, rareAt: anchor.rare, in: base, count: bytes.count) {
            return true
        }
        return false
    }

    /// Byte frequency rank in C source, most common first; bytes not
    /// listed (upper case, digits, punctuation) count as rare.
    private static let commonBytes = Array("etainrsoclduphfm_gbyvwkxqzj".utf8)

    static func rarestByte(_ needle: [UInt8]) -> Int {
        needle.indices.max { a, b in
            let ra = commonBytes.firstIndex(of: needle[a]) ?? commonBytes.count
            let rb = commonBytes.firstIndex(of: needle[b]) ?? commonBytes.count
            return ra < rb
        } ?? 0
    }

    static func longestCommonSubstring(_ needles: [[UInt8]]) -> [UInt8]? {
        guard let shortest = needles.min(by: { $0.count < $1.count }) else { return nil }
        for length in stride(from: shortest.count, through: 1, by: -1) {
            for start in 0...(shortest.count - length) {
                let candidate = Array(shortest[start..<(start + length)])
                if needles.allSatisfy({ contains($0, candidate) }) { return candidate }
            }
        }
        return nil
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBytes { find(needle, in: $0.baseAddress!, count: haystack.count) }
    }

    /// Substring search jumping with `memchr` to the needle's rare byte.
    static func find(_ needle: [UInt8], rareAt rare: Int, in base: UnsafeRawPointer, count: Int) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        var offset = rare
        let last = count - needle.count + rare
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let (first, final, length) = (needle[0], needle[needle.count - 1], needle.count)
        return needle.withUnsafeBytes { n in
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(needle[rare]), last - offset + 1) else { return false }
                let position = base.distance(to: UnsafeRawPointer(hit)) - rare
                // Both ends first: most candidates fail there, without a call.
                if bytes[position] == first, bytes[position + length - 1] == final,
                   memcmp(base + position, n.baseAddress!, length) == 0 {
                    return true
                }
                offset = position + rare + 1
            }
            return false
        }
    }

    /// Substring search: `memchr` to the next candidate first byte, then a
    /// compare (glibc's memmem is not exported to Swift without _GNU_SOURCE).
    static func find(_ needle: [UInt8], in base: UnsafeRawPointer, count: Int) -> Bool {
        guard let first = needle.first, needle.count <= count else { return false }
        var offset = 0
        let last = count - needle.count
        return needle.withUnsafeBytes { n in
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                let position = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + position, n.baseAddress!, needle.count) == 0 { return true }
                offset = position + 1
            }
            return false
        }
    }

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
                    } else if !inDirective, depth == 0 {
                        lastIdentifier = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<e]),
                                                as: UTF8.self)
                    }
                    if !inDirective { lastSignificant = UInt8(ascii: "a") }
                    i = e
                } else {
                    if !inDirective {
                        switch byte {
                        case .openParen where depth == 0 && lastSignificant == UInt8(ascii: "a"):
                            candidateFunction = lastIdentifier
                        case .openBrace:
                            if depth == 0 {
                                // `f(...) {` starts a function body; `= {` or
                                // `struct x {` do not.
                                function = lastSignificant == .closeParen ? candidateFunction : nil
                            }
                            depth += 1
                        case .closeBrace:
                            depth = max(0, depth - 1)
                            if depth == 0 { function = nil; candidateFunction = nil }
                        case .semicolon where depth == 0:
                            candidateFunction = nil
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
