import Clang

/// Decides whether libclang's AST of a function can be trusted.
///
/// With errors, clang drops whole statements from the AST or replaces
/// expressions by recovery nodes, exactly where a notifier might have to go.
/// A function with any error inside it, an invalid declaration or a
/// recovery expression is reported as damaged.
enum ASTIntegrity {
    static func damage(in function: CallSiteLocator.Function, errors: [Diagnostic],
                       mainFile: String) -> [String] {
        var problems: [String] = []
        for error in errors where error.location.file == mainFile
            && function.extent.contains(offset: error.location.offset) {
            problems.append(error.description)
        }
        function.cursor.visitChildren { cursor in
            if cursor.kind.isDeclaration, cursor.isInvalidDeclaration {
                problems.append("\(cursor.location): invalid declaration of '\(cursor.spelling)'")
            } else if cursor.kind.isExpression, cursor.hasDependentType {
                problems.append("\(cursor.location): expression clang could not type (error recovery)")
            } else if cursor.kind.isInvalid {
                problems.append("\(cursor.location): invalid AST node")
            }
            return .recurse
        }
        return problems
    }
}
