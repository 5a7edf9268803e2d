import Clang

/// Every use of a function's name in a file that is not a direct call: how
/// the function can be called without its name being written at the call.
/// A struct initialiser (`.rmap_one = try_to_unmap_one`, or positional) or
/// an assignment to a field registers it for the calls through that field;
/// an argument passes it to a parameter of the callee; anything else is
/// noted and makes the audit say `unknown` for chains through it.
struct AddressTakenFinder {
    let extractor: FactExtractor
    let path: String

    func find() -> [AddressTaken] {
        var result: [AddressTaken] = []
        extractor.unit.cursor.visitChildren { top in
            guard top.isInMainFile, top.kind == .functionDecl || top.kind == .varDecl else { return .continue }
            let registrar = top.kind == .functionDecl && top.isDefinition ? top.spelling : nil
            walk(top, ancestors: [], registrar: registrar, into: &result)
            return .continue
        }
        return result
    }

    private func walk(_ cursor: Cursor, ancestors: [Cursor], registrar: String?, into result: inout [AddressTaken]) {
        if cursor.kind == .declRefExpr, let function = cursor.referenced, function.kind == .functionDecl {
            if let registration = registration(of: cursor, ancestors: ancestors) {
                let at = cursor.location
                result.append(AddressTaken(function: function.spelling,
                                           global: !(function.isStaticStorage && (function.definition?.isInMainFile ?? false)),
                                           registration: registration,
                                           location: AuditLocation(path: path, line: at.line, column: at.column),
                                           registrar: registrar))
            }
            return
        }
        let next = ancestors + [cursor]
        for child in cursor.children { walk(child, ancestors: next, registrar: registrar, into: &result) }
    }

    /// Nil for a direct call (`f(…)`) and for `sizeof`-like uses that take
    /// no address.
    private func registration(of reference: Cursor, ancestors: [Cursor]) -> AddressTaken.Registration? {
        var child = reference
        for parent in ancestors.reversed() {
            switch parent.kind {
            case .parenExpr, .cStyleCastExpr:
                child = parent
                continue
            case .unaryOperator:
                child = parent          // `&f`
                continue
            case .unexposedExpr:
                // A designated initialiser: `.field = f` (a MemberRef, then the value).
                let children = parent.children
                if let designator = children.first, designator.kind == .memberRef,
                   let field = designator.referenced, field.kind == .fieldDecl {
                    // An address kept as a number (a symbol table's value) is no call path.
                    guard field.isFunctionPointer else { return nil }
                    return .field(record: LockExpressions.recordName(ofField: field), field: field.spelling)
                }
                child = parent          // an implicit conversion
                continue
            case .callExpr:
                let children = parent.children
                if children.first == child { return nil }            // the callee: a direct call
                guard let index = children.firstIndex(of: child) else { return .other("used in a call") }
                // The callee's parameter is followed only into a function
                // the call names; a call through a pointer or a cast
                // (`((void (*)(void *))fn)(f)`) has no body to read.
                guard let callee = parent.referenced, callee.kind == .functionDecl else {
                    return .other("passed to a call through a pointer")
                }
                return .argument(callee: callee.spelling, index: index - 1)
            case .initListExpr:
                // Positional: the field of that position.
                guard let index = parent.children.firstIndex(of: child),
                      let structure = parent.typeDeclaration else { return .other("in an initialiser list") }
                let fields = structure.children.filter { $0.kind == .fieldDecl }
                guard index < fields.count else { return .other("in an initialiser list") }
                guard fields[index].isFunctionPointer else { return nil }
                return .field(record: parent.type.canonical, field: fields[index].spelling)
            case .binaryOperator:
                let children = parent.children
                if children.count == 2, children[1] == child, isAssignment(parent) {
                    let target = LockExpressions.strip(children[0])
                    if target.kind == .memberRefExpr, let field = target.referenced, field.kind == .fieldDecl {
                        return .field(record: LockExpressions.recordName(ofField: field), field: field.spelling)
                    }
                    return .other("assigned to \(target.spelling)")
                }
                return .other("compared or combined")
            case .varDecl:
                return .other("stored in '\(parent.spelling)'")
            case .returnStmt:
                return .other("returned")
            default:
                return .other("used as a value (\(parent.kind))")
            }
        }
        return .other("used as a value")
    }

    /// `a = b`: the left operand is used as an lvalue (no conversion).
    private func isAssignment(_ binary: Cursor) -> Bool {
        guard let left = binary.children.first else { return false }
        return [.declRefExpr, .memberRefExpr, .arraySubscriptExpr].contains(left.kind)
            || (left.kind == .unaryOperator && left.children.first?.type.isPointer == true)
    }
}
