import Clang

/// Names a lock expression of a function the way the audit pairs and
/// reports locks: its normalised text, the kind its declared type gives,
/// the lock object it is (a struct's field or a global) and its root.
enum LockExpressions {
    /// `&(anon_vma->lock)` → `anon_vma->lock`; white space removed.
    static func normalize(_ text: String, dropAddress: Bool = true) -> String {
        var result = text.filter { !$0.isWhitespace }
        while true {
            if dropAddress, result.hasPrefix("&") { result.removeFirst(); continue }
            if result.hasPrefix("("), result.hasSuffix(")"), enclosesAll(result) {
                result = String(result.dropFirst().dropLast())
                continue
            }
            return result
        }
    }

    private static func enclosesAll(_ text: String) -> Bool {
        var depth = 0
        for (i, c) in text.enumerated() {
            if c == "(" { depth += 1 } else if c == ")" {
                depth -= 1
                if depth == 0 && i != text.count - 1 { return false }
            }
        }
        return true
    }

    /// Through parentheses, implicit conversions and casts.
    static func strip(_ cursor: Cursor) -> Cursor {
        var current = cursor
        while [.parenExpr, .unexposedExpr, .cStyleCastExpr].contains(current.kind) {
            let expressions = current.children.filter { $0.kind.isExpression }
            guard expressions.count == 1 else { break }
            current = expressions[0]
        }
        return current
    }

    /// `&x` → `x` (the operand of an address-of), else the expression.
    static func addressee(_ cursor: Cursor) -> (Cursor, Bool) {
        let stripped = strip(cursor)
        if stripped.kind == .unaryOperator, let operand = stripped.children.first, stripped.type.isPointer,
           stripped.type.pointee == operand.type.canonical {
            return (strip(operand), true)
        }
        return (stripped, false)
    }

    /// The record a field belongs to, as `struct anon_vma`.
    static func recordName(ofField field: Cursor) -> String {
        guard let parent = field.semanticParent else { return "?" }
        return parent.type.canonical
    }

    /// The variable or parameter at the root of `a->b.c`, `*p`, `p[i]`.
    static func rootDeclaration(_ cursor: Cursor) -> Cursor? {
        var current = strip(cursor)
        for _ in 0..<32 {
            switch current.kind {
            case .declRefExpr:
                return current.referenced
            case .memberRefExpr, .arraySubscriptExpr, .unaryOperator:
                guard let first = current.children.first else { return nil }
                current = strip(first)
            default:
                return nil
            }
        }
        return nil
    }

    /// The lock a function names with `expression` (written as `text`).
    static func lock(expression: Cursor?, text: String, in body: FunctionBody, parameters: [String],
                     treePath: (String?) -> String?) -> (LockRef, unnamed: Bool) {
        var key = normalize(text)
        guard let expression else {
            return (LockRef(key: key, kind: nil, typeName: nil, identity: nil, declaredAt: nil, root: .local), false)
        }
        let (object, _) = addressee(expression)
        if let written = body.objectText(object) { key = normalize(written) }
        let names = object.typeNames(pointee: true)
        let kind = LockKind.of(typeNames: names)
        var identity: String?
        var declaredAt: AuditLocation?
        if object.kind == .memberRefExpr, let field = object.referenced, field.kind == .fieldDecl,
           LockKind.of(typeNames: field.typeNames(pointee: false)) != nil {
            identity = "\(recordName(ofField: field)).\(field.spelling)"
            declaredAt = location(field, treePath: treePath)
        } else if object.kind == .declRefExpr, let variable = object.referenced, variable.kind == .varDecl,
                  variable.semanticParent?.kind == .translationUnit,
                  LockKind.of(typeNames: variable.typeNames(pointee: false)) != nil {
            identity = variable.spelling
            declaredAt = location(variable, treePath: treePath)
        }
        var root = LockRef.Root.local
        var unnamed = false
        if var declaration = rootDeclaration(object) {
            // A macro's own local the macro also stores through an
            // argument (`*(ptlp) = __ptl; spin_lock(__ptl);`): the lock is
            // what the caller named there.
            if body.isMacroLocal(declaration), let stored = storedThrough(declaration, near: object, in: body) {
                key = stored.key
                if let storedRoot = stored.root { declaration = storedRoot }
            }
            if declaration.kind == .parmDecl, let index = parameters.firstIndex(of: declaration.spelling),
               key.hasPrefix(declaration.spelling) {
                root = .parameter(index, rest: String(key.dropFirst(declaration.spelling.count)))
            } else if declaration.kind == .varDecl, declaration.semanticParent?.kind == .translationUnit {
                root = .global
            } else if body.isMacroLocal(declaration) {
                unnamed = true
            }
        }
        return (LockRef(key: key, kind: kind, typeName: names.first, identity: identity, declaredAt: declaredAt,
                        root: root), unnamed)
    }

    /// `*(&ptl) = __ptl` in the expansion holding `object`: `ptl`.
    static func storedThrough(_ local: Cursor, near object: Cursor,
                              in body: FunctionBody) -> (key: String, root: Cursor?)? {
        guard case .body(let invocation) = body.source.origin(of: object),
              let expansion = body.chain(to: invocation.range).last else { return nil }
        var found: (String, Cursor?)?
        func visit(_ cursor: Cursor) {
            guard found == nil else { return }
            if cursor.kind == .binaryOperator, let lvalue = body.writtenLvalue(of: cursor),
               let value = cursor.children.last, cursor.children.count == 2 {
                let source = strip(value)
                if source.kind == .declRefExpr, source.referenced == local {
                    let target = strip(lvalue)
                    if target.kind == .unaryOperator, let pointer = target.children.first.map(strip),
                       pointer.type.isPointer, pointer.type.pointee == target.type.canonical {
                        let (addressed, isAddress) = addressee(pointer)
                        if isAddress, let text = body.expressionText(addressed) {
                            found = (normalize(text), rootDeclaration(addressed))
                        } else if !isAddress, let text = body.expressionText(pointer) {
                            found = ("*" + normalize(text), rootDeclaration(pointer))
                        }
                    }
                    return
                }
            }
            cursor.visitChildren { child in
                visit(child)
                return found == nil ? .continue : .break
            }
        }
        visit(expansion)
        return found
    }

    static func location(_ cursor: Cursor, treePath: (String?) -> String?) -> AuditLocation? {
        let at = cursor.location
        guard let path = treePath(at.file) else { return nil }
        return AuditLocation(path: path, line: at.line, column: at.column)
    }

    /// The root of a key for renaming: `vmf->ptl` against parameter names.
    static func root(ofKey key: String, parameters: [String]) -> LockRef.Root? {
        let name = String(key.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        guard !name.isEmpty, let index = parameters.firstIndex(of: name) else { return nil }
        return .parameter(index, rest: String(key.dropFirst(name.count)))
    }

    /// A lock expression of the caller renamed into the callee's terms, when
    /// it is reached through an argument: `vmf->ptl` with argument `vmf` →
    /// `param->ptl`; `pvmw.ptl` with argument `&pvmw` → `param->ptl`.
    static func rename(_ key: String, arguments: [String], parameters: [String]) -> String? {
        for (index, argument) in arguments.enumerated() where index < parameters.count {
            let parameter = parameters[index]
            let plain = normalize(argument, dropAddress: false)
            if plain.hasPrefix("&") {
                let base = normalize(String(plain.dropFirst()))
                if key.hasPrefix(base + ".") { return parameter + "->" + key.dropFirst(base.count + 1) }
                if key == base { return parameter }
            } else if !plain.isEmpty {
                if key == plain { return parameter }
                if key.hasPrefix(plain + "->") || key.hasPrefix(plain + ".") {
                    return parameter + key.dropFirst(plain.count)
                }
            }
        }
        return nil
    }

    /// The reverse: a callee's parameter-rooted key in the caller's terms.
    static func substitute(parameter index: Int, rest: String, arguments: [String]) -> String? {
        guard index < arguments.count else { return nil }
        let argument = normalize(arguments[index], dropAddress: false)
        if argument.hasPrefix("&") {
            let base = normalize(String(argument.dropFirst()))
            if rest.hasPrefix("->") { return base + "." + rest.dropFirst(2) }
            return rest.isEmpty ? base : "(*&\(base))" + rest
        }
        if argument.contains(where: { " +-?:,".contains($0) }) { return "(\(argument))" + rest }
        return argument + rest
    }
}
