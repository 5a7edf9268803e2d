import Clang

/// What a branch condition says about the atoms conditional locks depend
/// on: `if (!anon_vma) return;` makes `anon_vma` non-zero on the false
/// edge, so a lock `page_lock_anon_vma()` took when it returned non-NULL is
/// held there. Only plain shapes are read (a variable or call, `!`, `==`
/// and `!=` against NULL or 0, `&&`, `||`, `likely()`); anything else
/// implies nothing.
struct ConditionAtoms {
    let body: FunctionBody
    /// Atoms of calls (trylocks, helpers) by the bytes of the call.
    let callAtoms: [Range<Int>: String]

    static func variableAtom(_ declaration: Cursor) -> String {
        "var:\(declaration.spelling)@\(declaration.extent.start.offset)"
    }

    /// The atom an expression is, if it is one.
    func atom(_ expression: Cursor) -> String? {
        let e = LockExpressions.strip(expression)
        if let atom = callAtoms[body.source.range(of: e)] { return atom }
        switch e.kind {
        case .declRefExpr:
            guard let declaration = e.referenced, declaration.kind == .varDecl || declaration.kind == .parmDecl
            else { return nil }
            return Self.variableAtom(declaration)
        case .memberRefExpr:
            return body.expressionText(e).map { "path:" + LockExpressions.normalize($0) }
        default:
            return nil
        }
    }

    func implications(_ expression: Cursor) -> (then: [Implication], else: [Implication]) {
        let e = LockExpressions.strip(expression)
        if let atom = atom(e) {
            return ([Implication(atom: atom, nonzero: true)], [Implication(atom: atom, nonzero: false)])
        }
        let children = e.children
        switch e.kind {
        case .callExpr where e.spelling == "__builtin_expect" && children.count >= 2:
            return implications(children[1])
        case .unaryOperator where children.count == 1 && isLogicalNot(e):
            let inner = implications(children[0])
            return (inner.else, inner.then)
        case .binaryOperator where children.count == 2:
            switch body.operatorSpelling(e) {
            case "&&":
                return (implications(children[0]).then + implications(children[1]).then, [])
            case "||":
                return ([], implications(children[0]).else + implications(children[1]).else)
            case "==":
                if isNullConstant(children[1]) { let x = implications(children[0]); return (x.else, x.then) }
                if isNullConstant(children[0]) { let x = implications(children[1]); return (x.else, x.then) }
            case "!=":
                if isNullConstant(children[1]) { return implications(children[0]) }
                if isNullConstant(children[0]) { return implications(children[1]) }
            default:
                break
            }
        default:
            break
        }
        // Any other plain expression written here (`new_ptl != old_ptl`):
        // the same test later means the same, until a variable in it changes.
        if let text = plainText(e) {
            let atom = "expr:" + text
            return ([Implication(atom: atom, nonzero: true)], [Implication(atom: atom, nonzero: false)])
        }
        return ([], [])
    }

    /// The text of an expression without calls or assignments, written in
    /// the function's own text.
    private func plainText(_ e: Cursor) -> String? {
        guard case .text = body.source.origin(of: e) else { return nil }
        var pure = true
        e.visitChildren { child in
            if child.kind == .callExpr || child.kind == .compoundAssignOperator || child.kind == .stmtExpr {
                pure = false
                return .break
            }
            return .recurse
        }
        guard pure, e.kind == .binaryOperator || e.kind == .unaryOperator || e.kind == .memberRefExpr else { return nil }
        return LockExpressions.normalize(body.text(e.extent.byteRange), dropAddress: false)
    }

    /// `!x`: on a pointer only `!` gives an int; otherwise the operator's
    /// token (written here), or the macro's definition (`likely()`'s `!!`).
    private func isLogicalNot(_ unary: Cursor) -> Bool {
        guard let operand = unary.children.first, !unary.type.isPointer else { return false }
        if operand.type.isPointer { return operand.type.pointee != unary.type.canonical }
        let start = unary.extent.start.offset
        switch body.source.origin(of: unary) {
        case .text, .argument:
            let tokens = unary.translationUnit.tokens(inFile: body.path, start: start, end: start + 1)
            return tokens.first?.spelling == "!"
        case .body(let invocation):
            let definition = invocation.cursor.referenced?.tokens.map(\.spelling) ?? []
            return definition.contains("!") && !definition.contains("-") && !definition.contains("~")
        }
    }

    /// `0`, `NULL`, `(void *)0`, `false`: an integer literal clang
    /// evaluates to 0, however a macro spelled it.
    func isNullConstant(_ expression: Cursor) -> Bool {
        let e = LockExpressions.strip(expression)
        guard e.kind == .integerLiteral else { return false }
        return e.integerValue == 0
    }
}
