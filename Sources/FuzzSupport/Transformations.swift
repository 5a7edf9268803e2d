import Foundation

/// What a transformation may need from outside the file: the iterator
/// macros of the tree's headers.
public struct TransformContext: Sendable {
    public var loopMacros: [LoopMacro]

    public init(loopMacros: [LoopMacro] = []) {
        self.loopMacros = loopMacros
    }

    /// The iterator macros defined in the headers under `root/include`.
    public static func of(tree root: String) -> TransformContext {
        var macros: [LoopMacro] = []
        let include = root + "/include"
        if let walker = FileManager.default.enumerator(atPath: include) {
            for case let path as String in walker where path.hasSuffix(".h") {
                if let bytes = FileManager.default.contents(atPath: include + "/" + path) {
                    macros += LoopMacro.definitions(in: CSource(Array(bytes)))
                }
            }
        }
        return TransformContext(loopMacros: macros)
    }
}

/// A function-like macro whose body is a `for` or `while` header (an
/// iterator: `list_for_each_entry(pos, head, member)`).
public struct LoopMacro: Sendable, Equatable {
    public var name: String
    public var parameters: [String]
    /// The body, as text, and its tokens' texts with their kinds.
    public var body: [(text: String, isIdentifier: Bool)]

    public static func == (a: LoopMacro, b: LoopMacro) -> Bool {
        a.name == b.name && a.parameters == b.parameters && a.body.map(\.text) == b.body.map(\.text)
    }

    /// The `#define NAME(params) for (…)` directives of `source`.
    public static func definitions(in source: CSource) -> [LoopMacro] {
        var result: [LoopMacro] = []
        for token in source.tokens where token.kind == .directive {
            // Continuation lines joined; the leading `#` dropped.
            var text = Array(source.bytes[(token.range.lowerBound + 1)..<token.range.upperBound])
            text = joinContinuations(text)
            let inner = CSource(text)
            let code = inner.tokens.filter { $0.kind != .comment }
            guard code.count > 5, inner.text(code[0]) == "define", code[1].kind == .identifier,
                  inner.text(code[2]) == "(", code[2].range.lowerBound == code[1].range.upperBound else { continue }
            var parameters: [String] = []
            var k = 3
            while k < code.count && inner.text(code[k]) != ")" {
                if code[k].kind == .identifier { parameters.append(inner.text(code[k])) }
                k += 1
            }
            let body = Array(code[(k + 1)...])
            guard let first = body.first, ["for", "while"].contains(inner.text(first)),
                  !body.contains(where: { ["#", "##"].contains(inner.text($0)) }) else { continue }
            result.append(LoopMacro(name: inner.text(code[1]), parameters: parameters,
                                    body: body.map { (inner.text($0), $0.kind == .identifier) }))
        }
        return result
    }

    /// The expansion for the argument texts (each trimmed), as the
    /// preprocessor writes it: parameters replaced token by token.
    func expansion(_ arguments: [String]) -> String? {
        guard arguments.count == parameters.count || (parameters.isEmpty && arguments == [""]) else { return nil }
        var words: [String] = []
        for token in body {
            if token.isIdentifier, let index = parameters.firstIndex(of: token.text) {
                words.append(arguments[index])
            } else {
                words.append(token.text)
            }
        }
        // Tokens joined by single spaces: the same tokens, so the same code.
        let text = words.joined(separator: " ")
        return text
    }
}

func joinContinuations(_ bytes: [UInt8]) -> [UInt8] {
    var result: [UInt8] = []
    var i = 0
    while i < bytes.count {
        if bytes[i] == 0x5C, i + 1 < bytes.count, bytes[i + 1] == 0x0A { result.append(0x20); i += 2; continue }
        if bytes[i] == 0x5C, i + 2 < bytes.count, bytes[i + 1] == 0x0D, bytes[i + 2] == 0x0A {
            result.append(0x20); i += 3; continue
        }
        result.append(bytes[i])
        i += 1
    }
    return result
}

/// An insertion or replacement in a file's bytes.
public struct TextEdit {
    public var range: Range<Int>
    public var replacement: [UInt8]

    public init(_ range: Range<Int>, _ replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }

    public init(insert text: [UInt8], at offset: Int) {
        self.init(offset..<offset, text)
    }

    /// `edits` applied to `bytes`; nil when two overlap.
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8]? {
        var result = bytes
        var previousStart = Int.max
        // Back to front; insertions at one offset keep their given order.
        for (_, edit) in edits.enumerated().sorted(by: {
            $0.element.range.lowerBound != $1.element.range.lowerBound
                ? $0.element.range.lowerBound > $1.element.range.lowerBound : $0.offset > $1.offset
        }) {
            guard edit.range.upperBound <= previousStart || (edit.range.isEmpty && edit.range.lowerBound == previousStart)
            else { return nil }
            result.replaceSubrange(edit.range, with: edit.replacement)
            previousStart = edit.range.lowerBound
        }
        return result
    }
}

/// A change of a C file that keeps the meaning of every function: each
/// site's verdict and plan must stay the same.
public struct Transformation: Sendable {
    public let name: String
    /// The transformed file, or nil when it has nothing to transform.
    let transform: @Sendable (CSource, TransformContext) -> [UInt8]?
    /// Maps the names the transformation changed back, in a plan's words.
    let restore: @Sendable (String) -> String

    init(_ name: String, restore: @escaping @Sendable (String) -> String = { $0 },
         _ transform: @escaping @Sendable (CSource, TransformContext) -> [UInt8]?) {
        self.name = name
        self.transform = transform
        self.restore = restore
    }

    public func apply(_ bytes: [UInt8], _ context: TransformContext = TransformContext()) -> [UInt8]? {
        guard let result = transform(CSource(bytes), context), result != bytes else { return nil }
        return result
    }

    public func restoreNames(_ text: String) -> String { restore(text) }
}

extension Transformation {
    /// Every meaning-keeping transformation, in a fixed order.
    public static let all: [Transformation] = [
        .commentsAndBlankLines, .lineEnds, .renamedLocals, .expandedIteratorMacros, .iteratorMacrosReintroduced,
        .likelyYoungCondition, .unrelatedIfdefAtTop, .unrelatedIfdefAtEnd, .unrelatedIfdefInFunctions,
        .reorderedDeclarations,
    ]

    /// A blank line and a comment (`/* a comment; goto out; */`, which
    /// names a jump) after every statement of every function.
    public static let commentsAndBlankLines = Transformation("comments and blank lines") { source, _ in
        var edits: [TextEdit] = []
        for function in source.functions {
            guard let body = source.body(of: function) else { continue }
            forEachStatement(body) { statement in
                guard statement.kind == .simple, source.isPunctuation(source.code[statement.last], ";") else { return }
                edits.append(TextEdit(insert: source.newline + source.newline + source.indent(source.start(statement))
                                      + Array("/* a comment; goto out; */".utf8), at: source.end(statement)))
            }
        }
        return edits.isEmpty ? nil : TextEdit.apply(edits, to: source.bytes)
    }

    /// LF line ends become CRLF, or CRLF ones LF.
    public static let lineEnds = Transformation("CRLF line ends (or LF ones for a CRLF file)") { source, _ in
        var result: [UInt8] = []
        result.reserveCapacity(source.bytes.count * 11 / 10)
        let toLF = source.newline.count == 2
        for (i, byte) in source.bytes.enumerated() {
            if toLF {
                if byte == 0x0D && i + 1 < source.bytes.count && source.bytes[i + 1] == 0x0A { continue }
                result.append(byte)
            } else {
                if byte == 0x0A && (i == 0 || source.bytes[i - 1] != 0x0D) { result.append(0x0D) }
                result.append(byte)
            }
        }
        return result
    }

    /// The locals and parameters the fixtures use, each renamed everywhere
    /// in the file (macro bodies too), never a member (`.pte`, `->address`)
    /// or a struct tag, and only to a name the file does not have.
    static let renames: [String: String] = Dictionary(uniqueKeysWithValues: [
        "pte", "ptl", "young", "entry", "addr", "address", "other", "locked", "referenced", "page", "new_page",
        "pteval", "ptep", "orig_pte", "ret", "mm", "vma", "pmd", "cleared", "i", "n", "start", "end", "folio",
        "mapcount", "sequential", "present", "from", "to", "swp", "stats_lock",
    ].map { ($0, $0 + "_mt") })

    public static let renamedLocals = Transformation("locals renamed", restore: { text in
        let reverse = Dictionary(uniqueKeysWithValues: renames.map { ($1, $0) })
        return replacingIdentifiers(in: text) { reverse[$0] }
    }) { source, _ in
        // Every identifier of the file, in directives too.
        var present = Set(source.tokens.filter { $0.kind == .identifier }.map { source.text($0) })
        for token in source.tokens where token.kind == .directive {
            let inner = CSource(Array(source.bytes[(token.range.lowerBound + 1)..<token.range.upperBound]))
            present.formUnion(inner.tokens.filter { $0.kind == .identifier }.map { inner.text($0) })
        }
        let map = renames.filter { !present.contains($0.value) && present.contains($0.key) }
        guard !map.isEmpty else { return nil }
        var edits: [TextEdit] = []
        var previous: [String] = []
        for token in source.tokens {
            switch token.kind {
            case .identifier:
                let name = source.text(token)
                if let to = map[name], !["." , "->", "struct", "union", "enum"].contains(previous.last ?? "") {
                    edits.append(TextEdit(token.range, Array(to.utf8)))
                }
                previous.append(name)
            case .directive:
                let text = source.text(token)
                // Inside #define and #if lines; never an #include.
                guard !text.dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("include") else { continue }
                let base = token.range.lowerBound + 1          // after the `#`
                let inner = CSource(Array(source.bytes[base..<token.range.upperBound]))
                var innerPrevious = ""
                for innerToken in inner.tokens {
                    let name = inner.text(innerToken)
                    if innerToken.kind == .identifier, let to = map[name],
                       ![".", "->", "struct", "union", "enum"].contains(innerPrevious) {
                        edits.append(TextEdit((base + innerToken.range.lowerBound)
                                              ..< (base + innerToken.range.upperBound),
                                              Array(to.utf8)))
                    }
                    innerPrevious = name
                }
            case .comment:
                continue
            default:
                previous.append(source.text(token))
            }
        }
        return TextEdit.apply(edits, to: source.bytes)
    }

    /// Every iterator macro invocation (of the file's own macros and the
    /// tree headers') replaced by what the preprocessor makes of it.
    public static let expandedIteratorMacros = Transformation("iterator macros expanded") { source, context in
        let macros = LoopMacro.definitions(in: source) + context.loopMacros
        guard !macros.isEmpty, let matching = source.matching else { return nil }
        var edits: [TextEdit] = []
        for function in source.functions {
            guard let body = source.body(of: function) else { continue }
            forEachStatement(body) { statement in
                guard statement.kind == .macroLoop, let header = statement.header,
                      let macro = macros.first(where: { $0.name == source.text(source.tokens[source.code[statement.first]]) })
                else { return }
                // The arguments: split at the commas of the header's own level.
                var arguments: [String] = []
                var start = header.lowerBound + 1
                var k = header.lowerBound + 1
                func argument(_ from: Int, _ to: Int) -> String {
                    guard from < to else { return "" }
                    return source.text(source.tokens[source.code[from]].range.lowerBound
                                       ..< source.tokens[source.code[to - 1]].range.upperBound)
                }
                while k < header.upperBound {
                    if let close = matching[k] { k = close + 1; continue }
                    if source.isPunctuation(source.code[k], ",") {
                        arguments.append(argument(start, k))
                        start = k + 1
                    }
                    k += 1
                }
                arguments.append(argument(start, header.upperBound))
                guard !arguments.contains(where: { $0.contains("/*") || $0.contains("//") }),
                      let expansion = macro.expansion(arguments) else { return }
                edits.append(TextEdit(source.start(statement) ..< source.tokens[source.code[header.upperBound]].range.upperBound,
                                      Array(expansion.utf8)))
            }
        }
        return edits.isEmpty ? nil : TextEdit.apply(edits, to: source.bytes)
    }

    /// Every `for (…)` and `while (…)` header of a function written as a
    /// macro defined in the file just before it (`#define
    /// notifysplit_loop_1() for (…)`), the same-file iterator shape.
    public static let iteratorMacrosReintroduced = Transformation("iterator macros re-introduced") { source, _ in
        var edits: [TextEdit] = []
        var count = 0
        for function in source.functions {
            guard let body = source.body(of: function) else { continue }
            var definitions: [UInt8] = []
            forEachStatement(body) { statement in
                guard statement.kind == .loop, let header = statement.header else { return }
                let range = source.start(statement) ..< source.tokens[source.code[header.upperBound]].range.upperBound
                // Comments or strings in the header cannot go on a #define line.
                let firstToken = source.code[statement.first], lastToken = source.code[header.upperBound]
                guard !source.tokens[firstToken...lastToken].contains(where: {
                    $0.kind == .comment || $0.kind == .directive || $0.kind == .string || $0.kind == .character
                }) else { return }
                count += 1
                let name = "notifysplit_loop_\(count)"
                var text = source.text(range)
                text = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
                definitions += Array("#define \(name)() \(text)".utf8) + source.newline
                edits.append(TextEdit(range, Array("\(name)()".utf8)))
            }
            if !definitions.isEmpty {
                edits.append(TextEdit(insert: definitions + source.newline, at: function.start))
            }
        }
        return edits.isEmpty ? nil : TextEdit.apply(edits, to: source.bytes)
    }

    /// `if (YOUNG(…))` becomes `if (likely(YOUNG(…)))` for every young
    /// macro (`*_young_notify`) that is an if's whole condition; likely()
    /// is defined after the includes when no header defines it.
    public static let likelyYoungCondition = Transformation("young condition wrapped in likely()") { source, _ in
        guard let matching = source.matching else { return nil }
        var edits: [TextEdit] = []
        for function in source.functions {
            guard let body = source.body(of: function) else { continue }
            forEachStatement(body) { statement in
                guard statement.kind == .ifElse, let header = statement.header,
                      header.upperBound - header.lowerBound >= 4 else { return }
                let name = source.tokens[source.code[header.lowerBound + 1]]
                guard name.kind == .identifier, source.text(name).hasSuffix("young_notify"),
                      source.isPunctuation(source.code[header.lowerBound + 2], "("),
                      matching[header.lowerBound + 2] == header.upperBound - 1 else { return }
                edits.append(TextEdit(insert: Array("likely(".utf8), at: name.range.lowerBound))
                edits.append(TextEdit(insert: Array(")".utf8),
                                      at: source.tokens[source.code[header.upperBound - 1]].range.upperBound))
            }
        }
        guard !edits.isEmpty else { return nil }
        let guardText = "#ifndef likely\n#define likely(x)\t__builtin_expect(!!(x), 1)\n#endif\n"
        edits.append(TextEdit(insert: convertNewlines(guardText, source), at: afterIncludes(source)))
        return TextEdit.apply(edits, to: source.bytes)
    }

    static func unrelatedBlock(_ source: CSource, _ suffix: String) -> [UInt8] {
        convertNewlines("#ifdef CONFIG_NOTIFYSPLIT_UNRELATED\nstatic int notifysplit_unrelated_\(suffix);\n"
                        + "#else\n#define NOTIFYSPLIT_UNRELATED_\(suffix) 0\n#endif\n", source)
    }

    /// An #ifdef block of its own (a variable in one branch, a macro in the
    /// other, used nowhere) after the includes.
    public static let unrelatedIfdefAtTop = Transformation("an unrelated #ifdef block after the includes") { source, _ in
        TextEdit.apply([TextEdit(insert: unrelatedBlock(source, "top"), at: afterIncludes(source))], to: source.bytes)
    }

    /// The same block at the end of the file.
    public static let unrelatedIfdefAtEnd = Transformation("an unrelated #ifdef block at the end") { source, _ in
        var prefix: [UInt8] = []
        if let last = source.bytes.last, last != 0x0A { prefix = source.newline }
        return source.bytes + prefix + unrelatedBlock(source, "end")
    }

    /// An #ifdef block of no effect (`(void)0;`) after the declarations at
    /// the start of every function with fewer than three #if blocks (more
    /// would reach the tool's limit of configurations).
    public static let unrelatedIfdefInFunctions = Transformation("an unrelated #ifdef block in each function") {
        source, _ in
        var edits: [TextEdit] = []
        for function in source.functions {
            guard let body = source.body(of: function) else { continue }
            let open = source.code[body.first], close = source.code[body.last]
            let conditionals = source.tokens[open...close].filter {
                $0.kind == .directive && source.text($0).dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("if")
            }
            guard conditionals.count < 3 else { continue }
            let declarations = leadingDeclarations(body, source)
            let after = declarations.last.map { source.end($0) } ?? source.tokens[open].range.upperBound
            let indent = body.children.first.map { source.indent(source.start($0)) } ?? [0x09]
            let nl = source.newline
            edits.append(TextEdit(insert: nl + Array("#ifdef CONFIG_NOTIFYSPLIT_UNRELATED".utf8) + nl + indent
                                  + Array("(void)0;".utf8) + nl + Array("#endif".utf8), at: after))
        }
        return edits.isEmpty ? nil : TextEdit.apply(edits, to: source.bytes)
    }

    /// The declarations at the start of every function put in another
    /// order: reversed when none reads another or has a call in its
    /// initialiser, else neighbours swapped where that holds.
    public static let reorderedDeclarations = Transformation("independent declarations reordered") { source, _ in
        var edits: [TextEdit] = []
        for function in source.functions {
            guard let body = source.body(of: function) else { continue }
            let declarations = leadingDeclarations(body, source)
            guard declarations.count >= 2 else { continue }
            let facts = declarations.map { declarationFacts($0, source) }
            func independent(_ a: Int, _ b: Int) -> Bool {
                !facts[a].hasCall && !facts[b].hasCall && facts[a].declared.isDisjoint(with: facts[b].uses)
                    && facts[b].declared.isDisjoint(with: facts[a].uses)
                    && facts[a].declared.isDisjoint(with: facts[b].declared)
            }
            var order = Array(declarations.indices)
            let allIndependent = order.allSatisfy { a in order.allSatisfy { b in a == b || independent(a, b) } }
            if allIndependent {
                order.reverse()
            } else {
                var k = 0
                while k + 1 < order.count {
                    if independent(order[k], order[k + 1]) { order.swapAt(k, k + 1); k += 2 } else { k += 1 }
                }
            }
            guard order != Array(declarations.indices) else { continue }
            for (slot, index) in order.enumerated() where slot != index {
                let target = declarations[slot], moved = declarations[index]
                edits.append(TextEdit(source.start(target) ..< source.end(target),
                                      Array(source.bytes[source.start(moved) ..< source.end(moved)])))
            }
        }
        return edits.isEmpty ? nil : TextEdit.apply(edits, to: source.bytes)
    }
}

// MARK: Helpers

/// Calls `visit` on `statement` and every statement inside it.
func forEachStatement(_ statement: CSource.Statement, _ visit: (CSource.Statement) -> Void) {
    visit(statement)
    for child in statement.children { forEachStatement(child, visit) }
}

/// `text` with the file's line ends.
func convertNewlines(_ text: String, _ source: CSource) -> [UInt8] {
    Array(text.utf8).flatMap { $0 == 0x0A ? source.newline : [$0] }
}

/// Just after the last #include line before the first function (or the
/// start of the file).
func afterIncludes(_ source: CSource) -> Int {
    let firstFunction = source.functions.first?.start ?? source.bytes.count
    var offset = 0
    for token in source.tokens where token.kind == .directive && token.range.lowerBound < firstFunction {
        let text = source.text(token).dropFirst().trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("include") {
            offset = token.range.upperBound
            while offset < source.bytes.count && source.bytes[offset] != 0x0A { offset += 1 }
            offset = min(offset + 1, source.bytes.count)
        }
    }
    return offset
}

let statementKeywords: Set<String> = ["return", "goto", "break", "continue", "if", "else", "for", "while", "do",
                                      "switch", "case", "default", "sizeof"]

/// The run of declarations that opens a compound statement: `TYPE NAME…;`
/// or `TYPE *NAME…;` (never a keyword statement, a call or an assignment).
func leadingDeclarations(_ block: CSource.Statement, _ source: CSource) -> [CSource.Statement] {
    var result: [CSource.Statement] = []
    for child in block.children {
        guard child.kind == .simple, child.last - child.first >= 2 else { break }
        let first = source.tokens[source.code[child.first]]
        let second = source.tokens[source.code[child.first + 1]]
        guard first.kind == .identifier, !statementKeywords.contains(source.text(first)),
              second.kind == .identifier || source.text(second) == "*" else { break }
        result.append(child)
    }
    return result
}

/// The names a declaration declares, the names it reads, and whether its
/// initialisers have a parenthesis (a call or a cast: kept in place).
func declarationFacts(_ declaration: CSource.Statement, _ source: CSource)
    -> (declared: Set<String>, uses: Set<String>, hasCall: Bool) {
    var declared = Set<String>(), uses = Set<String>()
    var hasCall = false
    var depth = 0
    var inInitialiser = false
    for position in declaration.first...declaration.last {
        let token = source.tokens[source.code[position]]
        let text = source.text(token)
        if ["(", "[", "{"].contains(text) { depth += 1; if inInitialiser && text == "(" { hasCall = true } }
        if [")", "]", "}"].contains(text) { depth -= 1 }
        if depth == 0 && text == "=" { inInitialiser = true }
        if depth == 0 && text == "," { inInitialiser = false }
        guard token.kind == .identifier else { continue }
        let next = position < declaration.last ? source.text(source.tokens[source.code[position + 1]]) : ";"
        if depth == 0 && !inInitialiser && [";", ",", "=", "["].contains(next) {
            declared.insert(text)
        } else {
            uses.insert(text)
        }
    }
    return (declared, uses, hasCall)
}

/// `text` with each identifier `map` knows replaced.
func replacingIdentifiers(in text: String, _ map: (String) -> String?) -> String {
    var result = ""
    var word = ""
    func flush() {
        result += map(word) ?? word
        word = ""
    }
    for character in text {
        if character.isLetter || character.isNumber || character == "_" {
            word.append(character)
        } else {
            flush()
            result.append(character)
        }
    }
    flush()
    return result
}
