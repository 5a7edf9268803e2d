import Clang

/// One function definition with what the analysis asks of it: its graph,
/// the macro invocations inside it, its locals, and per-statement facts
/// (calls, variables written and read).
final class FunctionBody {
    /// A macro invocation in the function (from the preprocessing record).
    struct MacroUse: Hashable {
        var name: String
        var range: Range<Int>
        var arguments: [String]
    }

    /// A local variable or parameter.
    struct Local {
        var name: String
        var isParameter: Bool
        /// Source text of the initialiser, if any.
        var initializer: String?
        /// The declaration statement (for locals).
        var declaration: Cursor?
    }

    let cursor: Cursor
    let name: String
    let body: Cursor
    let bytes: [UInt8]
    let path: String
    let macroUses: [MacroUse]
    let locals: [String: Local]
    let graph: ControlFlowGraph
    /// Control flow inside macro-expanded statements (never trusted).
    let hiddenJumps: [Range<Int>]

    init?(cursor: Cursor, bytes: [UInt8], path: String) {
        guard let body = cursor.children.last(where: { $0.kind == .compoundStmt }) else { return nil }
        self.cursor = cursor
        self.name = cursor.spelling
        self.body = body
        self.bytes = bytes
        self.path = path
        // Macro invocations: each identifier token whose cursor is an expansion.
        var uses: [MacroUse] = []
        var covered = 0..<0
        let unit = cursor.translationUnit
        let extent = body.extent.byteRange
        for token in unit.tokens(inFile: path, start: extent.lowerBound, end: extent.upperBound)
        where token.kind == .identifier && !covered.contains(token.extent.start.offset) {
            guard let at = unit.cursor(atOffset: token.extent.start.offset, inFile: path),
                  at.kind == .macroExpansion, at.spelling == token.spelling else { continue }
            let range = at.extent.byteRange
            uses.append(MacroUse(name: token.spelling, range: range,
                                 arguments: CallSiteLocator.arguments(tokens: at.tokens, bytes: bytes)))
            covered = range
        }
        macroUses = uses
        var locals: [String: Local] = [:]
        cursor.visitChildren { child in
            if child.kind == .parmDecl {
                locals[child.spelling] = Local(name: child.spelling, isParameter: true)
                return .continue
            }
            return .continue
        }
        body.visitChildren { child in
            if child.kind == .declStmt {
                for variable in child.children where variable.kind == .varDecl {
                    let initializer = variable.children.last(where: { $0.kind.isExpression }).map {
                        String(decoding: bytes[$0.extent.byteRange], as: UTF8.self)
                    }
                    locals[variable.spelling] = Local(name: variable.spelling, isParameter: false,
                                                      initializer: initializer, declaration: child)
                }
                return .continue
            }
            return .recurse
        }
        self.locals = locals
        var builder = ControlFlowGraphBuilder(macroRanges: Set(uses.map(\.range)))
        graph = builder.build(body: body)
        hiddenJumps = builder.hiddenJumps
    }

    /// Preprocessor conditionals and includes inside the body (`#if`,
    /// `#ifdef`, `#else`, `#include`, …): code in the branches not taken was
    /// never parsed, and an included file's nodes are not in this file.
    var conditionalDirectiveLines: [Int] {
        let range = body.extent.byteRange
        var lines: [Int] = []
        var lineStart = true
        var line = self.line(of: range.lowerBound)
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = bytes[i]
            if byte == .newline { line += 1; lineStart = true; i += 1; continue }
            if lineStart, byte == .space || byte == .tab { i += 1; continue }
            if lineStart, byte == .hash {
                var j = i + 1
                while j < range.upperBound, bytes[j] == .space || bytes[j] == .tab { j += 1 }
                var k = j
                while k < range.upperBound, CLexer.isIdentifierByte(bytes[k]) { k += 1 }
                let word = String(decoding: bytes[j..<k], as: UTF8.self)
                if ["if", "ifdef", "ifndef", "else", "elif", "endif", "include", "include_next"].contains(word) {
                    lines.append(line)
                }
            }
            lineStart = false
            i += 1
        }
        return lines
    }

    /// Source text of a main-file byte range (clamped: a range from
    /// another file never traps; such functions are refused anyway).
    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range.clamped(to: 0..<bytes.count)], as: UTF8.self)
    }

    func line(of offset: Int) -> Int {
        var line = 1
        for i in 0..<min(offset, bytes.count) where bytes[i] == .newline { line += 1 }
        return line
    }

    /// Macro invocations inside a node's range.
    func macros(in range: Range<Int>) -> [MacroUse] {
        macroUses.filter { range.lowerBound <= $0.range.lowerBound && $0.range.upperBound <= range.upperBound }
    }

    /// Names of functions called inside a cursor (also through macros).
    func calls(in cursor: Cursor) -> [String] {
        var names: [String] = []
        if cursor.kind == .callExpr { names.append(cursor.spelling) }
        cursor.visitChildren { child in
            if child.kind == .callExpr { names.append(child.spelling) }
            return .recurse
        }
        return names
    }

    /// Everything a node does by name: the functions it calls and the
    /// macros it invokes.
    func operations(of node: ControlFlowGraph.Node) -> Set<String> {
        guard let cursor = node.cursor else { return [] }
        return Set(calls(in: cursor)).union(macros(in: node.range).map(\.name))
    }

    /// Locals and parameters a cursor may write: assignment targets,
    /// increments, and variables whose address is taken. Inside macro
    /// expansions, where operators cannot be read from the tokens, every
    /// binary or unary operand counts.
    func writes(in cursor: Cursor) -> Set<String> {
        var result = Set<String>()
        func visit(_ node: Cursor) {
            let children = node.children
            switch node.kind {
            case .compoundAssignOperator:
                if let target = children.first.flatMap(baseVariable) { result.insert(target) }
            case .binaryOperator:
                if isAssignment(node, lhs: children.first), let target = children.first.flatMap(baseVariable) {
                    result.insert(target)
                }
            case .unaryOperator:
                if isWritingUnary(node), let target = children.first.flatMap(baseVariable) {
                    result.insert(target)
                }
            default: break
            }
            children.forEach(visit)
        }
        visit(cursor)
        return result.filter { locals[$0] != nil }
    }

    /// The lvalues a cursor may write, as normalised text: `addr`,
    /// `vmf->address`, `pvmw.pte`, `*pte`. A value taken by address
    /// (`&pvmw`) counts as written.
    func writtenPaths(in cursor: Cursor) -> Set<String> {
        var result = Set<String>()
        func record(_ lvalue: Cursor) {
            let range = lvalue.extent.byteRange
            if macroUses.contains(where: { $0.range == range }) {
                // Inside a macro body: only a local of ours counts, whole.
                if let base = baseVariable(lvalue), locals[base] != nil { result.insert(base) }
                return
            }
            result.insert(CExpression.render(CExpression.tokens(text(range))))
        }
        func visit(_ node: Cursor) {
            let children = node.children
            switch node.kind {
            case .compoundAssignOperator:
                if let lhs = children.first { record(lhs) }
            case .binaryOperator:
                if isAssignment(node, lhs: children.first), let lhs = children.first { record(lhs) }
            case .unaryOperator:
                if isWritingUnary(node), let operand = children.first { record(operand) }
            default: break
            }
            children.forEach(visit)
        }
        visit(cursor)
        return result
    }

    /// Locals and parameters a cursor mentions at all.
    func references(in cursor: Cursor) -> Set<String> {
        var result = Set<String>()
        if cursor.kind == .declRefExpr { result.insert(cursor.spelling) }
        cursor.visitChildren { child in
            if child.kind == .declRefExpr { result.insert(child.spelling) }
            return .recurse
        }
        return result.filter { locals[$0] != nil }
    }

    private func inMacro(_ cursor: Cursor) -> Bool {
        let start = cursor.extent.start.offset
        return macroUses.contains { $0.range.contains(start) }
    }

    private func isAssignment(_ node: Cursor, lhs: Cursor?) -> Bool {
        guard let lhs else { return false }
        if inMacro(node) { return true }
        let operatorToken = node.tokens.first {
            $0.kind == .punctuation && $0.extent.start.offset >= lhs.extent.end.offset
        }
        return operatorToken?.spelling == "="
    }

    private func isWritingUnary(_ node: Cursor) -> Bool {
        if inMacro(node) { return true }
        let tokens = node.tokens
        let spellings = [tokens.first?.spelling, tokens.last?.spelling]
        return spellings.contains("++") || spellings.contains("--") || tokens.first?.spelling == "&"
    }

    /// The variable at the root of an lvalue: `vmf->address` → `vmf`.
    func baseVariable(_ cursor: Cursor) -> String? {
        var current = cursor
        while true {
            if current.kind == .declRefExpr { return current.spelling }
            guard let first = current.children.first else { return nil }
            current = first
        }
    }
}

extension FunctionBody {
    /// The AST nodes from the body down to the node that is exactly
    /// `range` (or the innermost holding it), outermost first.
    func chain(to range: Range<Int>) -> [Cursor] {
        body.path(to: range)
    }

    /// Offset just after the `;` that ends the statement ending at `end`
    /// (only white space may come between), or nil.
    func semicolon(after end: Int) -> Int? {
        var i = end
        while i < bytes.count, [.space, .tab, .newline, .carriageReturn].contains(bytes[i]) { i += 1 }
        return i < bytes.count && bytes[i] == .semicolon ? i + 1 : nil
    }

    /// The leading white space of the line holding `offset`.
    func indentation(at offset: Int) -> [UInt8] {
        var start = offset
        while start > 0, bytes[start - 1] != .newline { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] == .space || bytes[end] == .tab { end += 1 }
        return Array(bytes[start..<end])
    }

    /// The line ending used by the line holding `offset` (CRLF files keep CRLF).
    func lineEnding(at offset: Int) -> [UInt8] {
        var i = offset
        while i < bytes.count, bytes[i] != .newline { i += 1 }
        return i > 0 && i < bytes.count && bytes[i - 1] == .carriageReturn ? [.carriageReturn, .newline] : [.newline]
    }

    /// Source text of the arguments of a call expression.
    func callArguments(_ call: Cursor) -> [String] {
        call.children.dropFirst().map { text($0.extent.byteRange) }
    }

    /// Every call or macro invocation of `names` inside a node, with its
    /// argument texts (macro arguments as written; call arguments likewise
    /// when the call is not itself inside one of those macros).
    func invocations(of names: Set<String>, in node: ControlFlowGraph.Node) -> [(name: String, arguments: [String], offset: Int)] {
        var result: [(String, [String], Int)] = []
        let uses = macros(in: node.range)
        for use in uses where names.contains(use.name) {
            result.append((use.name, use.arguments, use.range.lowerBound))
        }
        guard let cursor = node.cursor else { return result }
        var calls: [Cursor] = cursor.kind == .callExpr ? [cursor] : []
        cursor.visitChildren { child in
            if child.kind == .callExpr { calls.append(child) }
            return .recurse
        }
        for call in calls where names.contains(call.spelling) {
            let start = call.extent.start.offset
            if uses.contains(where: { $0.range.contains(start) }) { continue }   // seen as the macro
            result.append((call.spelling, callArguments(call), start))
        }
        return result
    }
}
