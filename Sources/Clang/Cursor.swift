import CClang

/// A node of the AST or of the preprocessing record.
///
/// A cursor keeps its translation unit alive, so it can never outlive the
/// data it points into.
public struct Cursor {
    let raw: CXCursor
    public let translationUnit: TranslationUnit

    init(_ raw: CXCursor, in translationUnit: TranslationUnit) {
        self.raw = raw
        self.translationUnit = translationUnit
    }

    public var kind: CursorKind { CursorKind(rawValue: raw.kind.rawValue) }

    /// The name of the entity (function name, macro name, …).
    public var spelling: String { String(consuming: clang_getCursorSpelling(raw)) }

    /// Extent mapped to file bytes with `clang_getFileLocation`.
    public var extent: SourceRange { SourceRange(clang_getCursorExtent(raw)) }

    /// The cursor's own location (for a call, the callee's name).
    public var location: SourceLocation {
        SourceLocation(fileLocationOf: clang_getCursorLocation(raw))
    }

    /// Where the cursor's location was expanded, for nodes from macros.
    public var expansionLocation: SourceLocation {
        SourceLocation(expansionLocationOf: clang_getCursorLocation(raw))
    }

    /// True when the cursor's location lies in the main file of its unit.
    public var isInMainFile: Bool {
        clang_Location_isFromMainFile(clang_getCursorLocation(raw)) != 0
    }

    /// True for a declaration clang marked invalid after an error.
    public var isInvalidDeclaration: Bool { clang_isInvalidDeclaration(raw) != 0 }

    /// True when the expression's type is dependent: in C that only happens
    /// for clang's error-recovery expressions.
    public var hasDependentType: Bool {
        clang_getCursorType(raw).kind == CXType_Dependent
    }

    /// True for a definition (a function with a body, …).
    public var isDefinition: Bool { clang_isCursorDefinition(raw) != 0 }

    /// The entity this cursor refers to (the definition a macro expansion
    /// expands, the declaration a reference names).
    public var referenced: Cursor? {
        let target = clang_getCursorReferenced(raw)
        return clang_Cursor_isNull(target) != 0 ? nil : Cursor(target, in: translationUnit)
    }

    /// The definition of the entity a declaration or reference names (a
    /// function's body), when this translation unit has it.
    public var definition: Cursor? {
        let target = clang_getCursorDefinition(raw)
        return clang_Cursor_isNull(target) != 0 ? nil : Cursor(target, in: translationUnit)
    }

    /// For a `MacroDefinition`: whether it takes arguments.
    public var isFunctionLikeMacro: Bool { clang_Cursor_isMacroFunctionLike(raw) != 0 }

    /// The value of an enumerator (`EnumConstantDecl`), nil for other cursors.
    public var enumConstantValue: Int64? {
        kind == .enumConstantDecl ? clang_getEnumConstantDeclValue(raw) : nil
    }

    /// The direct children, in source order.
    public var children: [Cursor] {
        var result: [Cursor] = []
        visitChildren { child in
            result.append(child)
            return .continue
        }
        return result
    }

    public enum VisitResult { case `break`, `continue`, recurse }

    /// Walks the children with libclang's own visitor (no intermediate array).
    public func visitChildren(_ visitor: (Cursor) -> VisitResult) {
        withoutActuallyEscaping(visitor) { visitor in
            var context = VisitorContext(unit: translationUnit, visitor: visitor)
            withUnsafeMutablePointer(to: &context) { pointer in
                _ = clang_visitChildren(raw, { child, _, data in
                    let context = data!.assumingMemoryBound(to: VisitorContext.self)
                    switch context.pointee.visitor(Cursor(child, in: context.pointee.unit)) {
                    case .break: return CXChildVisit_Break
                    case .continue: return CXChildVisit_Continue
                    case .recurse: return CXChildVisit_Recurse
                    }
                }, pointer)
            }
        }
    }

    /// Calls `body` on this cursor and every descendant, parents first.
    public func walk(_ body: (Cursor) -> Void) {
        body(self)
        visitChildren { child in
            body(child)
            return .recurse
        }
    }

    /// The tokens covered by this cursor's extent.
    public var tokens: [Token] { translationUnit.tokens(in: clang_getCursorExtent(raw)) }
}

private struct VisitorContext {
    let unit: TranslationUnit
    let visitor: (Cursor) -> Cursor.VisitResult
}

extension Cursor: Equatable {
    /// The same node of the same unit, however it was reached.
    /// `clang_equalCursors` also compares the parent libclang remembers for
    /// a statement (one expression reached by a recursive visit and through
    /// `children` compares unequal); identity is the node itself.
    public static func == (a: Cursor, b: Cursor) -> Bool {
        a.raw.kind == b.raw.kind && a.raw.data.2 == b.raw.data.2 && a.identity == b.identity
    }

    /// The pointer naming the node: a statement's or expression's own
    /// (`data[1]`; `data[0]` is its parent declaration), a declaration's
    /// (`data[0]`); both for anything else (references: the entity and
    /// where it is referenced).
    fileprivate var identity: [UnsafeRawPointer?] {
        let kind = raw.kind
        if clang_isStatement(kind) != 0 || clang_isExpression(kind) != 0 { return [raw.data.1] }
        if clang_isDeclaration(kind) != 0 { return [raw.data.0] }
        return [raw.data.0, raw.data.1]
    }
}

/// The kind of a cursor; the cases the tool needs are named, the rest keep
/// their raw value.
public struct CursorKind: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    init(_ kind: CXCursorKind) { rawValue = kind.rawValue }

    public static let functionDecl = CursorKind(CXCursor_FunctionDecl)
    public static let varDecl = CursorKind(CXCursor_VarDecl)
    public static let enumConstantDecl = CursorKind(CXCursor_EnumConstantDecl)
    public static let parmDecl = CursorKind(CXCursor_ParmDecl)
    public static let macroDefinition = CursorKind(CXCursor_MacroDefinition)
    public static let macroExpansion = CursorKind(CXCursor_MacroExpansion)
    public static let inclusionDirective = CursorKind(CXCursor_InclusionDirective)
    public static let compoundStmt = CursorKind(CXCursor_CompoundStmt)
    public static let ifStmt = CursorKind(CXCursor_IfStmt)
    public static let switchStmt = CursorKind(CXCursor_SwitchStmt)
    public static let whileStmt = CursorKind(CXCursor_WhileStmt)
    public static let doStmt = CursorKind(CXCursor_DoStmt)
    public static let forStmt = CursorKind(CXCursor_ForStmt)
    public static let gotoStmt = CursorKind(CXCursor_GotoStmt)
    public static let labelStmt = CursorKind(CXCursor_LabelStmt)
    public static let caseStmt = CursorKind(CXCursor_CaseStmt)
    public static let defaultStmt = CursorKind(CXCursor_DefaultStmt)
    public static let returnStmt = CursorKind(CXCursor_ReturnStmt)
    public static let breakStmt = CursorKind(CXCursor_BreakStmt)
    public static let continueStmt = CursorKind(CXCursor_ContinueStmt)
    public static let declStmt = CursorKind(CXCursor_DeclStmt)
    public static let nullStmt = CursorKind(CXCursor_NullStmt)
    public static let callExpr = CursorKind(CXCursor_CallExpr)
    public static let stmtExpr = CursorKind(CXCursor_StmtExpr)
    public static let binaryOperator = CursorKind(CXCursor_BinaryOperator)
    public static let compoundAssignOperator = CursorKind(CXCursor_CompoundAssignOperator)
    public static let unaryOperator = CursorKind(CXCursor_UnaryOperator)
    public static let declRefExpr = CursorKind(CXCursor_DeclRefExpr)
    public static let memberRefExpr = CursorKind(CXCursor_MemberRefExpr)
    public static let arraySubscriptExpr = CursorKind(CXCursor_ArraySubscriptExpr)
    public static let cStyleCastExpr = CursorKind(CXCursor_CStyleCastExpr)
    public static let parenExpr = CursorKind(CXCursor_ParenExpr)
    public static let unexposedExpr = CursorKind(CXCursor_UnexposedExpr)
    public static let conditionalOperator = CursorKind(CXCursor_ConditionalOperator)

    public var isDeclaration: Bool { clang_isDeclaration(CXCursorKind(rawValue)) != 0 }
    public var isStatement: Bool { clang_isStatement(CXCursorKind(rawValue)) != 0 }
    public var isExpression: Bool { clang_isExpression(CXCursorKind(rawValue)) != 0 }
    public var isPreprocessing: Bool { clang_isPreprocessing(CXCursorKind(rawValue)) != 0 }
    public var isInvalid: Bool { clang_isInvalid(CXCursorKind(rawValue)) != 0 }

    /// libclang's name for the kind, e.g. "IfStmt".
    public var description: String {
        String(consuming: clang_getCursorKindSpelling(CXCursorKind(rawValue)))
    }
}

extension Cursor: Hashable {
    /// Identity of the AST node (a declaration is the same cursor wherever
    /// a reference leads to it), so variables can be keyed by declaration.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(raw.kind.rawValue)
        hasher.combine(identity)
    }
}

extension Cursor {
    /// The node's type (for expressions and declarations).
    public var type: ClangType { ClangType(clang_getCursorType(raw)) }
}

/// A type as libclang reports it, compared by its canonical spelling.
public struct ClangType: Hashable, Sendable {
    /// The canonical type's spelling (`unsigned long`, `struct page *`).
    public let canonical: String
    /// For a pointer type, the canonical spelling of what it points to.
    public let pointee: String?
    public let isPointer: Bool

    init(_ raw: CXType) {
        let canonicalType = clang_getCanonicalType(raw)
        canonical = String(consuming: clang_getTypeSpelling(canonicalType))
        isPointer = canonicalType.kind == CXType_Pointer
        pointee = isPointer
            ? String(consuming: clang_getTypeSpelling(clang_getCanonicalType(clang_getPointeeType(canonicalType))))
            : nil
    }
}
