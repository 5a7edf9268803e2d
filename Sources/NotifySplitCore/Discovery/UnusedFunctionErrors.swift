import Clang

/// Parse errors that cannot reach the analysis: inside the body of a
/// header function the file never uses — no call or reference from the
/// file's own code, directly or through other header functions. An error
/// in a body removes nothing outside it (the function's declaration
/// stands), so it is reported beside the count, not hidden. Seen on 3.0.x:
/// clang rejects `BUILD_BUG_ON(!__builtin_constant_p(offset))` in the body
/// of rcupdate.h's `__kfree_rcu()`, which gcc only checks after inlining.
enum UnusedFunctionErrors {
    /// One line per such error, paths relative to `tree`.
    static func find(in unit: TranslationUnit, mainFile: String, errors: [Diagnostic],
                     tree: KernelTree) -> [String] {
        let inHeaders = errors.filter { $0.location.file != nil && $0.location.file != mainFile }
        guard !inHeaders.isEmpty else { return [] }
        var definitions: [String: Cursor] = [:]
        var mainDeclarations: [Cursor] = []
        for child in unit.cursor.children {
            if child.isInMainFile {
                mainDeclarations.append(child)
            } else if child.kind == .functionDecl, child.isDefinition {
                definitions[child.spelling] = child
            }
        }
        var contained: [(error: Diagnostic, function: String)] = []
        for error in inHeaders {
            guard let function = definitions.values.first(where: { function in
                guard let body = function.children.last, body.kind == .compoundStmt else { return false }
                return body.extent.file == error.location.file && body.extent.contains(offset: error.location.offset)
            }) else { continue }
            contained.append((error, function.spelling))
        }
        guard !contained.isEmpty else { return [] }
        let used = reachedFunctions(from: mainDeclarations, definitions: definitions)
        return contained.filter { !used.contains($0.function) }.map { entry in
            let at = entry.error.location
            return "\(tree.relative(at.file ?? "")):\(at.line):\(at.column): \(entry.error.message) (in "
                + "\(entry.function)(), which this file never uses)"
        }
    }

    /// Names of the functions the file's code refers to, followed through
    /// the bodies of header functions.
    private static func reachedFunctions(from roots: [Cursor], definitions: [String: Cursor]) -> Set<String> {
        var reached = Set<String>()
        var pending = roots
        while let next = pending.popLast() {
            next.visitChildren { child in
                if child.kind == .declRefExpr, let target = child.referenced, target.kind == .functionDecl {
                    let name = target.spelling
                    if reached.insert(name).inserted, let body = definitions[name] { pending.append(body) }
                }
                return .recurse
            }
        }
        return reached
    }
}
