import CClang

/// What the audit asks of declarations: linkage, the entity a declaration
/// belongs to, and a type's names as written (typedefs kept), so a lock's
/// kind can be read from its declared type.
extension Cursor {
    /// True for a declaration with `static` storage (a file-local function
    /// or variable).
    public var isStaticStorage: Bool { clang_Cursor_getStorageClass(raw) == CX_SC_Static }

    /// The entity that semantically contains this one (a field's struct, a
    /// function's translation unit).
    public var semanticParent: Cursor? {
        let parent = clang_getCursorSemanticParent(raw)
        return clang_Cursor_isNull(parent) != 0 || clang_isInvalid(parent.kind) != 0
            ? nil : Cursor(parent, in: translationUnit)
    }

    /// libclang's unified symbol resolution: equal for every declaration of
    /// one entity, different for two static functions of one name in two
    /// files.
    public var usr: String { String(consuming: clang_getCursorUSR(raw)) }

    /// The names of this node's type from the one written down to the
    /// canonical one, through typedefs (`spinlock_t`, `struct spinlock`),
    /// qualifiers dropped. With `pointee`, a pointer type is replaced by
    /// what it points to first (`spinlock_t *ptl` gives `spinlock_t`, …).
    public func typeNames(pointee: Bool) -> [String] {
        var type = clang_getCursorType(raw)
        if pointee {
            let canonical = clang_getCanonicalType(type)
            if canonical.kind == CXType_Pointer { type = clang_getPointeeType(type) }
        }
        var names: [String] = []
        for _ in 0..<12 {
            let name = Self.unqualified(String(consuming: clang_getTypeSpelling(type)))
            if !names.contains(name) { names.append(name) }
            if type.kind == CXType_Elaborated {
                type = clang_Type_getNamedType(type)
            } else if type.kind == CXType_Typedef {
                type = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(type))
            } else {
                break
            }
        }
        let canonical = Self.unqualified(String(consuming: clang_getTypeSpelling(clang_getCanonicalType(type))))
        if !names.contains(canonical) { names.append(canonical) }
        return names
    }

    /// True when the node's type is a pointer to a function (a callback
    /// field or parameter).
    public var isFunctionPointer: Bool {
        let canonical = clang_getCanonicalType(clang_getCursorType(raw))
        guard canonical.kind == CXType_Pointer else { return false }
        let pointee = clang_getCanonicalType(clang_getPointeeType(canonical))
        return pointee.kind == CXType_FunctionProto || pointee.kind == CXType_FunctionNoProto
    }

    private static func unqualified(_ spelling: String) -> String {
        var words = spelling.split(separator: " ").map(String.init)
        words.removeAll { $0 == "const" || $0 == "volatile" || $0 == "restrict" }
        return words.joined(separator: " ")
    }
}

extension CursorKind {
    public static let translationUnit = CursorKind(CXCursor_TranslationUnit)
    public static let structDecl = CursorKind(CXCursor_StructDecl)
    public static let unionDecl = CursorKind(CXCursor_UnionDecl)
    public static let fieldDecl = CursorKind(CXCursor_FieldDecl)
    public static let typedefDecl = CursorKind(CXCursor_TypedefDecl)
    public static let memberRef = CursorKind(CXCursor_MemberRef)
    public static let initListExpr = CursorKind(CXCursor_InitListExpr)
    public static let integerLiteral = CursorKind(CXCursor_IntegerLiteral)
}

extension Cursor {
    /// The declaration of this node's type (of what it points to, for a
    /// pointer): the struct whose fields can then be read.
    public var typeDeclaration: Cursor? {
        var type = clang_getCanonicalType(clang_getCursorType(raw))
        if type.kind == CXType_Pointer { type = clang_getCanonicalType(clang_getPointeeType(type)) }
        let declaration = clang_getTypeDeclaration(type)
        return clang_Cursor_isNull(declaration) != 0 || clang_isInvalid(declaration.kind) != 0
            ? nil : Cursor(declaration, in: translationUnit)
    }
}

extension Cursor {
    /// The value of an integer constant expression (`0`, `NULL`'s `0`, an
    /// enumerator), as clang evaluates it; nil for anything else.
    public var integerValue: Int64? {
        guard let result = clang_Cursor_Evaluate(raw) else { return nil }
        defer { clang_EvalResult_dispose(result) }
        guard clang_EvalResult_getKind(result) == CXEval_Int else { return nil }
        return clang_EvalResult_getAsLongLong(result)
    }
}
