import Clang

/// One macro invocation written in a function's text, from libclang's
/// preprocessing record: the name, the bytes from the name through the
/// closing parenthesis, and each argument's bytes as written.
struct MacroInvocation: Hashable {
    var name: String
    var range: Range<Int>
    var argumentRanges: [Range<Int>]
    var arguments: [String]
    /// The `macroExpansion` cursor (its `referenced` is the definition).
    var cursor: Cursor

    func argumentIndex(holding range: Range<Int>) -> Int? {
        argumentRanges.firstIndex { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
    }
}

/// Where a node of a function's AST was written.
///
/// libclang maps a node's extent to file bytes with `clang_getFileLocation`:
/// a token spelled in a macro argument maps to the argument's bytes, a token
/// of a macro body to the whole invocation. So a node whose bytes lie inside
/// one argument was written there; a node whose bytes lie inside an
/// invocation but not inside one of its arguments was made by the macro's
/// body (its operators, keywords and locals are the macro's, not ours).
enum SourceOrigin: Hashable {
    /// The function's own text.
    case text
    /// Written in an argument of this invocation (readable file text).
    case argument(MacroInvocation)
    /// Produced by this invocation's macro body.
    case body(MacroInvocation)

    var isMacroBody: Bool {
        if case .body = self { return true }
        return false
    }
}

/// The per-function source model, resolved once: every macro invocation in
/// the body (nested ones in arguments included), and the origin of any node.
struct SourceModel {
    /// Sorted by start; an invocation written in another's argument comes
    /// after it.
    let invocations: [MacroInvocation]
    /// The main file's path, for tokens in file coordinates.
    let path: String

    init(body: Cursor, path: String, bytes: [UInt8]) {
        self.path = path
        let unit = body.translationUnit
        let extent = body.extent.byteRange
        var found: [MacroInvocation] = []
        var seen = Set<Range<Int>>()
        for token in unit.tokens(inFile: path, start: extent.lowerBound, end: extent.upperBound)
        where token.kind == .identifier {
            guard let at = unit.cursor(atOffset: token.extent.start.offset, inFile: path),
                  at.kind == .macroExpansion, at.spelling == token.spelling,
                  at.extent.start.offset == token.extent.start.offset else { continue }
            let range = at.extent.byteRange
            guard seen.insert(range).inserted else { continue }
            let argumentRanges = CallSiteLocator.argumentRanges(tokens: at.tokens)
            found.append(MacroInvocation(
                name: token.spelling, range: range, argumentRanges: argumentRanges,
                arguments: argumentRanges.map { String(decoding: bytes[$0], as: UTF8.self) }, cursor: at))
        }
        invocations = found
    }

    /// The origin of the bytes `range` (a node's file extent).
    func origin(of range: Range<Int>) -> SourceOrigin {
        var result = SourceOrigin.text
        // Outermost first: an argument may hold a further invocation.
        for invocation in invocations
        where invocation.range.lowerBound <= range.lowerBound && range.upperBound <= invocation.range.upperBound
            && !(range.isEmpty && range.lowerBound == invocation.range.upperBound) {
            guard invocation.argumentIndex(holding: range) != nil else { return .body(invocation) }
            result = .argument(invocation)
        }
        return result
    }

    func origin(of cursor: Cursor) -> SourceOrigin { origin(of: range(of: cursor)) }

    /// A node's bytes. libclang collapses the extent of a macro's body
    /// expanded inside another macro's argument (`likely(MACRO(...))`) to
    /// the empty range at the invocation's start: that is the invocation.
    func range(of cursor: Cursor) -> Range<Int> {
        let range = cursor.extent.byteRange
        guard range.isEmpty, let invocation = invocations.first(where: { $0.range.lowerBound == range.lowerBound })
        else { return range }
        return invocation.range
    }

    /// The invocation whose bytes are exactly `range`.
    func invocation(exactly range: Range<Int>) -> MacroInvocation? {
        invocations.first { $0.range == range }
    }

    /// The origin of the token at `offset` (a keyword such as `for`).
    func origin(at offset: Int) -> SourceOrigin { origin(of: offset..<(offset + 1)) }

    /// Invocations whose bytes lie inside `range`.
    func invocations(in range: Range<Int>) -> [MacroInvocation] {
        invocations.filter { range.lowerBound <= $0.range.lowerBound && $0.range.upperBound <= range.upperBound }
    }
}
