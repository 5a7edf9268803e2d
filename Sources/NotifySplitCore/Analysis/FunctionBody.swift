import Clang

/// One function definition with what the analysis asks of it: its source
/// model (where each node was written), its graph, its variables by
/// declaration, and per-node facts (calls, variables written and read).
final class FunctionBody {
    /// A local variable or parameter of the function, keyed by declaration.
    /// Locals a macro body declares (`___mm`, `______r`) are not here: they
    /// belong to the macro and are never offered as text or counted as the
    /// function's state.
    struct Local {
        var name: String
        var declaration: Cursor
        var isParameter: Bool
        /// Source text of the initialiser, when it is written in the file.
        var initializer: String?
        /// The declaration statement (for locals).
        var statement: Cursor?
        /// The bytes of the block in which the name is visible.
        var scope: Range<Int>
    }

    let cursor: Cursor
    let name: String
    let body: Cursor
    let bytes: [UInt8]
    let path: String
    let source: SourceModel
    let locals: [Cursor: Local]
    let graph: ControlFlowGraph
    /// Graph nodes whose expression hides a jump (a statement expression
    /// with a `goto` or `return`): their control flow is not followed.
    let hiddenJumps: [Int]
    /// What the functions it calls do, computed on demand.
    let callees: CalleeSummaries

    /// The file's lines, shared by the bodies of one file.
    let lines: LineStarts

    init?(cursor: Cursor, bytes: [UInt8], path: String, definitions: TreeFunctionDefinitions? = nil,
          lines: LineStarts? = nil) {
        guard let body = cursor.children.last(where: { $0.kind == .compoundStmt }) else { return nil }
        self.cursor = cursor
        self.lines = lines ?? LineStarts(bytes)
        self.callees = CalleeSummaries(definitions: definitions)
        self.name = cursor.spelling
        self.body = body
        self.bytes = bytes
        self.path = path
        let source = SourceModel(body: body, path: path, bytes: bytes)
        self.source = source
        let bodyRange = body.extent.byteRange
        var locals: [Cursor: Local] = [:]
        for child in cursor.children where child.kind == .parmDecl {
            locals[child] = Local(name: child.spelling, declaration: child, isParameter: true, scope: bodyRange)
        }
        func collect(_ node: Cursor, scope: Range<Int>) {
            node.visitChildren { child in
                if child.kind == .compoundStmt {
                    collect(child, scope: child.extent.byteRange)
                    return .continue
                }
                if child.kind == .declStmt, !source.origin(of: child).isMacroBody {
                    for variable in child.children where variable.kind == .varDecl {
                        let initializer = variable.children.last(where: { $0.kind.isExpression })
                            .flatMap { source.origin(of: $0).isMacroBody ? nil
                                : String(decoding: bytes[$0.extent.byteRange.clamped(to: 0..<bytes.count)], as: UTF8.self) }
                        locals[variable] = Local(name: variable.spelling, declaration: variable, isParameter: false,
                                                 initializer: initializer, statement: child, scope: scope)
                    }
                    return .continue
                }
                return .recurse
            }
        }
        collect(body, scope: bodyRange)
        self.locals = locals
        var builder = ControlFlowGraphBuilder(source: source)
        graph = builder.build(body: body)
        hiddenJumps = builder.hiddenJumps
    }

    /// Preprocessor conditionals and includes inside the body (`#if`,
    /// `#ifdef`, `#else`, `#include`, …), by line.
    var conditionalDirectiveLines: [Int] {
        PreprocessorConditionals.directives(in: bytes, range: body.extent.byteRange).map { line(of: $0.start) }
    }

    /// Source text of a main-file byte range (clamped: a range from
    /// another file never traps; such functions are refused anyway).
    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range.clamped(to: 0..<bytes.count)], as: UTF8.self)
    }

    /// 1-based line of a byte offset of the file (an offset past the end
    /// is on the last line).
    func line(of offset: Int) -> Int { lines.line(of: min(offset, bytes.count)) }

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
        return Set(calls(in: cursor)).union(source.invocations(in: node.range).map(\.name))
    }

    // MARK: - Variables

    /// The declaration a `DeclRefExpr` names, when it is a variable.
    func variable(_ reference: Cursor) -> Cursor? {
        guard reference.kind == .declRefExpr, let declaration = reference.referenced,
              declaration.kind == .varDecl || declaration.kind == .parmDecl else { return nil }
        return declaration
    }

    /// The local named `name` visible at `offset`: the innermost
    /// declaration whose block holds the offset and that comes before it.
    func local(named name: String, at offset: Int) -> Local? {
        locals.values
            .filter { $0.name == name && $0.scope.contains(offset)
                && ($0.isParameter || $0.declaration.extent.start.offset < offset) }
            .min { $0.scope.count < $1.scope.count }
    }

    /// The path an lvalue names: `vmf->address`, `pvmw.pte`, `*pte`, `v`.
    func path(of lvalue: Cursor) -> ValuePath? {
        switch lvalue.kind {
        case .declRefExpr:
            guard let declaration = variable(lvalue) else { return nil }
            return ValuePath(root: declaration, rootName: declaration.spelling)
        case .memberRefExpr:
            let base = lvalue.children.first
            let member = (base?.type.isPointer == true ? "->" : ".") + lvalue.spelling
            guard let base, var path = path(of: base) else {
                return ValuePath(root: nil, rootName: "…", members: [member])
            }
            path.members.append(member)
            return path
        case .parenExpr, .unexposedExpr, .cStyleCastExpr:
            return lvalue.children.last.flatMap(path(of:))
        case .arraySubscriptExpr:
            guard var path = lvalue.children.first.flatMap(path(of:)) else { return nil }
            path.dereferenced = true
            return path
        case .unaryOperator:
            // `*p`: the operand is a pointer and the result what it points to.
            guard let operand = lvalue.children.first, operand.type.isPointer,
                  operand.type.pointee == lvalue.type.canonical, var path = path(of: operand) else { return nil }
            path.dereferenced = true
            return path
        default:
            return nil
        }
    }

    /// The lvalue an expression writes, if it is an assignment, an
    /// increment or decrement, or takes an address (which may be written
    /// through). Decided from the AST's meaning, never from tokens: the
    /// target of `=`, `++` and `&` is the one operand C leaves an lvalue,
    /// every other operator reads its operands through an implicit
    /// lvalue-to-rvalue conversion.
    func writtenLvalue(of node: Cursor) -> Cursor? {
        let children = node.children
        switch node.kind {
        case .compoundAssignOperator:
            return children.first
        case .binaryOperator:
            guard children.count == 2, isLvalue(children[0]) else { return nil }
            return children[0]
        case .unaryOperator:
            guard children.count == 1, isLvalue(children[0]) else { return nil }
            return children[0]
        default:
            return nil
        }
    }

    /// An lvalue that is used as one (no implicit conversion around it).
    private func isLvalue(_ expression: Cursor) -> Bool {
        switch expression.kind {
        case .declRefExpr:
            return variable(expression) != nil
        case .memberRefExpr, .arraySubscriptExpr:
            return true
        case .parenExpr:
            return expression.children.first.map(isLvalue) ?? false
        case .unaryOperator:
            // `*p` is an lvalue; `-x`, `!x`, `&x` are not.
            guard let operand = expression.children.first else { return false }
            return operand.type.isPointer && operand.type.pointee == expression.type.canonical
        default:
            return false
        }
    }

    /// Paths a cursor may write (assignments, increments, addresses taken),
    /// macro bodies' own locals left out.
    func writtenPaths(in cursor: Cursor) -> [ValuePath] {
        var result: [ValuePath] = []
        cursor.walk { node in
            guard let lvalue = writtenLvalue(of: node) else { return }
            if let path = path(of: lvalue) {
                if path.root.map({ locals[$0] != nil || !isMacroLocal($0) }) ?? true { result.append(path) }
            } else {
                result.append(ValuePath(root: nil, rootName: text(lvalue.extent.byteRange)))
            }
        }
        return result
    }

    /// Locals and parameters a cursor may write.
    func writes(in cursor: Cursor) -> Set<Cursor> {
        Set(writtenPaths(in: cursor).compactMap(\.root).filter { locals[$0] != nil })
    }

    /// Locals and parameters a cursor mentions at all.
    func references(in cursor: Cursor) -> Set<Cursor> {
        var result = Set<Cursor>()
        if let declaration = variable(cursor), locals[declaration] != nil { result.insert(declaration) }
        cursor.visitChildren { child in
            if let declaration = variable(child), locals[declaration] != nil { result.insert(declaration) }
            return .recurse
        }
        return result
    }

    /// Every path a cursor reads (variables and member chains, with their
    /// prefixes), macro bodies' own locals left out.
    func readPaths(in cursor: Cursor) -> Set<ValuePath> {
        var result = Set<ValuePath>()
        cursor.walk { node in
            if node.kind == .declRefExpr || node.kind == .memberRefExpr, let path = path(of: node),
               path.root.map({ !isMacroLocal($0) }) ?? false {
                result.insert(path)
            }
        }
        return result
    }

    /// A variable declared by a macro's body inside this function.
    func isMacroLocal(_ declaration: Cursor) -> Bool {
        locals[declaration] == nil && body.extent.byteRange.contains(declaration.extent.start.offset)
            && source.origin(of: declaration).isMacroBody
    }

    /// How an expression updates a variable, by operator family: updates
    /// of one family commute (`x++` and `x += 2`, `x |= a` and `x |= b`).
    enum UpdateFamily: Hashable { case additive, bitwiseOr, bitwiseAnd, other }

    /// Every update of `variable` inside `cursor`, by family, and whether
    /// the variable is also used otherwise (tested, passed, returned,
    /// assigned from, or its address taken).
    func uses(of variable: Cursor, in cursor: Cursor) -> (updates: [UpdateFamily], otherUses: Bool) {
        var updates: [UpdateFamily] = []
        var targets = Set<Cursor>()
        var references: [Cursor] = []
        cursor.walk { node in
            if self.variable(node) == variable { references.append(node) }
            if let lvalue = writtenLvalue(of: node), let path = path(of: lvalue), path.root == variable,
               path.members.isEmpty, !path.dereferenced {
                updates.append(family(of: node))
                var target = lvalue
                while [.parenExpr, .unexposedExpr].contains(target.kind), let child = target.children.first {
                    target = child
                }
                targets.insert(target)
            }
        }
        return (updates, references.contains { !targets.contains($0) })
    }

    private func family(of update: Cursor) -> UpdateFamily {
        switch update.kind {
        case .unaryOperator:
            // `&x` makes a pointer to x; `x++` and `--x` keep x's type.
            guard let operand = update.children.first, update.type.canonical == operand.type.canonical,
                  !update.type.isPointer || operand.type.isPointer else { return .other }
            return .additive
        case .compoundAssignOperator:
            switch operatorSpelling(update) {
            case "+=", "-=": return .additive
            case "|=": return .bitwiseOr
            case "&=": return .bitwiseAnd
            default: return .other
            }
        default:
            return .other
        }
    }

    /// The spelling of a binary operator written in the file (the one token
    /// between its operands' bytes); nil when a macro body made it.
    func operatorSpelling(_ node: Cursor) -> String? {
        let children = node.children
        guard children.count == 2, !source.origin(of: node).isMacroBody else { return nil }
        let (lhsEnd, rhsStart) = (children[0].extent.end.offset, children[1].extent.start.offset)
        guard lhsEnd <= rhsStart else { return nil }
        let tokens = node.translationUnit.tokens(inFile: path, start: lhsEnd, end: rhsStart).filter {
            $0.extent.start.offset >= lhsEnd && $0.extent.end.offset <= rhsStart
        }
        return tokens.count == 1 ? tokens[0].spelling : nil
    }

    /// The text of every value a local is given: its initialiser and the
    /// right-hand side of each plain assignment to it (a compound update
    /// counts as an unknown value).
    func assignedValues(of local: Local) -> [String] {
        var values: [String] = local.initializer.map { [$0] } ?? []
        body.visitChildren { node in
            if let lvalue = writtenLvalue(of: node), variable(lvalue) == local.declaration
                || path(of: lvalue).map({ $0.root == local.declaration && $0.members.isEmpty }) == true {
                let children = node.children
                if node.kind == .binaryOperator, children.count == 2 {
                    values.append(expressionText(children[1]) ?? "?")
                } else {
                    values.append("?")
                }
            }
            return .recurse
        }
        return values
    }

    /// True when the file's code (not its comments or strings) uses or
    /// defines `name`.
    func mentions(_ name: String) -> Bool {
        bytes.withUnsafeBytes { raw in
            TokenScan(names: [name]).hits(in: raw).contains { $0.kind == .use || $0.kind == .definition }
        }
    }

    /// Name of a local or parameter.
    func name(of declaration: Cursor) -> String { locals[declaration]?.name ?? declaration.spelling }
}

extension FunctionBody {
    /// The AST nodes from the body down to the node that is exactly
    /// `range` (or the innermost holding it), outermost first.
    func chain(to range: Range<Int>) -> [Cursor] {
        body.path(to: range)
    }

    /// The expressions written in each argument of an invocation, as the
    /// macro's expansion uses them (an argument used twice appears twice).
    func argumentNodes(of invocation: MacroInvocation) -> [Cursor] {
        guard let expansion = chain(to: invocation.range).last else { return [] }
        var result: [Cursor] = []
        func visit(_ node: Cursor) {
            if case .argument(let owner) = source.origin(of: node), owner == invocation {
                result.append(node)
                return
            }
            node.visitChildren { child in
                visit(child)
                return .continue
            }
        }
        visit(expansion)
        return result
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

    /// Source text of an expression: its bytes when it is written in the
    /// file; for one a macro body made, its path (`&x->lock`) if it is one,
    /// else nil.
    func expressionText(_ expression: Cursor) -> String? {
        let range = expression.extent.byteRange
        switch source.origin(of: expression) {
        case .text, .argument: return text(range)
        case .body(let invocation) where invocation.range == range: return text(range)   // the whole invocation
        case .body: break
        }
        return pathText(expression)
    }

    /// As `expressionText`, but an expression a macro's body made is named
    /// by its path whenever it has one, even when its extent is the whole
    /// invocation: `mtree_lock(mt)` and `mtree_unlock(mt)` both pass
    /// `&mt->ma_lock`, and only that name pairs the lock with its unlock
    /// (the audit's lock keys and call arguments).
    func objectText(_ expression: Cursor) -> String? {
        if case .body(let invocation) = source.origin(of: expression),
           invocation.range == expression.extent.byteRange, let text = pathText(expression, rooted: true) {
            return text
        }
        return expressionText(expression)
    }

    /// `&x->lock` for an expression that is a path or its address;
    /// `rooted`: only a path from a variable.
    private func pathText(_ expression: Cursor, rooted: Bool = false) -> String? {
        var current = expression
        var prefix = ""
        while [.parenExpr, .unexposedExpr].contains(current.kind), let child = current.children.first {
            current = child
        }
        if current.kind == .unaryOperator, let operand = current.children.first, current.type.isPointer,
           current.type.pointee == operand.type.canonical {
            prefix = "&"
            current = operand
        }
        guard let path = path(of: current), !rooted || path.root != nil else { return nil }
        return prefix + path.description
    }

    /// Every call or macro invocation of `names` inside a node, with its
    /// argument texts (macro arguments as written; a call's arguments
    /// likewise, or as paths when a macro body made them).
    func invocations(of names: Set<String>, in node: ControlFlowGraph.Node) -> [(name: String, arguments: [String], offset: Int)] {
        var result: [(String, [String], Int)] = []
        let uses = source.invocations(in: node.range).filter { names.contains($0.name) }
        for use in uses {
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
            let arguments = call.children.dropFirst().map { expressionText($0) ?? "?" }
            result.append((call.spelling, arguments, start))
        }
        return result
    }
}
