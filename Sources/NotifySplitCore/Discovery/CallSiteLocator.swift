import Clang

/// Finds the call sites of one parsed `.c` file: confirms each token-scan
/// use against libclang's preprocessing record, and places it in its
/// function and statement.
struct CallSiteLocator {
    let unit: TranslationUnit
    let path: String            // tree-relative
    let absolutePath: String
    let bytes: [UInt8]

    /// A main-file function definition.
    struct Function {
        var name: String
        var extent: SourceRange
        var cursor: Cursor
    }

    /// Every function defined in the main file, in source order.
    func functions() -> [Function] {
        var result: [Function] = []
        unit.cursor.visitChildren { cursor in
            if cursor.kind == .functionDecl, cursor.isInMainFile, cursor.isDefinition {
                result.append(Function(name: cursor.spelling, extent: cursor.extent, cursor: cursor))
            }
            return .continue
        }
        return result
    }

    /// Builds the site for one use hit of `name`, resolved to `macro`.
    func site(for hit: TokenHit, macro: String, functions: [Function],
              skipped: [Range<Int>], errors: [Diagnostic]) -> CallSite {
        var site = CallSite(path: path, line: hit.line, column: hit.column, macro: macro,
                            via: hit.name == macro ? nil : hit.name, function: hit.function,
                            start: hit.start, end: hit.end, arguments: [], statement: nil,
                            status: .parsed, reason: nil, diagnostics: [])
        guard let cursor = unit.cursor(atOffset: hit.start, inFile: absolutePath),
              cursor.kind == .macroExpansion, cursor.spelling == hit.name else {
            if skipped.contains(where: { $0.contains(hit.start) }) {
                site.status = .notParsedConfiguration
                site.reason = "in an #if branch this configuration does not take"
            } else if !errors.isEmpty {
                // With errors in the file the macro may simply be undefined.
                site.status = .notAnalysable
                site.reason = "\(hit.name) is not expanded here and the file has errors"
                site.diagnostics = errors.prefix(3).map(\.description)
            } else {
                site.status = .notExpanded
                site.reason = "\(hit.name) is not expanded as a macro here"
            }
            return site
        }
        let invocation = cursor.extent
        site.start = invocation.start.offset
        site.end = invocation.end.offset
        site.arguments = Self.arguments(tokens: cursor.tokens, bytes: bytes)
        guard let function = functions.first(where: { $0.extent.contains(offset: hit.start) }) else {
            site.status = .notAnalysable
            site.function = nil
            site.reason = "no function body around the use in the AST (lost to errors or outside a function)"
            site.diagnostics = errors.prefix(3).map(\.description)
            return site
        }
        site.function = function.name
        let damage = ASTIntegrity.damage(in: function, errors: errors, mainFile: absolutePath)
        if !damage.isEmpty {
            site.status = .notAnalysable
            site.reason = "the AST of \(function.name)() is damaged (\(damage.count) problem(s)); "
                + "not guessed"
            site.diagnostics = damage.prefix(3).map { $0 }
        }
        site.statement = StatementFinder.innermostStatement(in: function.cursor,
                                                            around: site.start..<site.end)
        return site
    }

    /// Argument texts of an invocation from its tokens: the source bytes
    /// between the top-level commas inside the outer parentheses.
    static func arguments(tokens: [Token], bytes: [UInt8]) -> [String] {
        argumentRanges(tokens: tokens).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// Byte ranges of an invocation's arguments, first token through last
    /// (file coordinates: the tokens of a `macroExpansion` cursor).
    static func argumentRanges(tokens: [Token]) -> [Range<Int>] {
        guard tokens.count >= 3, tokens[1].spelling == "(" else { return [] }
        var result: [Range<Int>] = []
        var depth = 0
        var argumentStart: Int?
        var argumentEnd = 0
        for token in tokens.dropFirst() {
            switch token.spelling {
            case "(", "[", "{":
                depth += 1
                if depth == 1 { continue }
            case ")", "]", "}":
                depth -= 1
                if depth == 0 {
                    if let s = argumentStart { result.append(s..<argumentEnd) }
                    return result
                }
            case "," where depth == 1:
                if let s = argumentStart { result.append(s..<argumentEnd) }
                argumentStart = nil
                continue
            default: break
            }
            if argumentStart == nil { argumentStart = token.extent.start.offset }
            argumentEnd = token.extent.end.offset
        }
        return result
    }
}
