import CClang

/// A position in a source file, as a byte offset plus line and column.
///
/// Offsets are bytes, never characters: kernel sources contain non-UTF-8
/// bytes, and edits are applied to the original bytes.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's name as the translation unit knows it; nil for locations
    /// that are not in a file (builtins, command line).
    public var file: String?
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in bytes.
    public var column: Int
    /// 0-based byte offset into the file.
    public var offset: Int

    public init(file: String?, line: Int, column: Int, offset: Int) {
        self.file = file
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// The location in a file that a (possibly macro) location maps to,
    /// from `clang_getFileLocation`: a token spelled in a macro argument maps
    /// to the argument, a token of a macro body maps to the invocation.
    init(fileLocationOf raw: CXSourceLocation) {
        var file: CXFile?
        var line: UInt32 = 0, column: UInt32 = 0, offset: UInt32 = 0
        clang_getFileLocation(raw, &file, &line, &column, &offset)
        self.init(file: file.map { String(consuming: clang_getFileName($0)) },
                  line: Int(line), column: Int(column), offset: Int(offset))
    }

    /// The location of the outermost macro expansion that produced `raw`.
    init(expansionLocationOf raw: CXSourceLocation) {
        var file: CXFile?
        var line: UInt32 = 0, column: UInt32 = 0, offset: UInt32 = 0
        clang_getExpansionLocation(raw, &file, &line, &column, &offset)
        self.init(file: file.map { String(consuming: clang_getFileName($0)) },
                  line: Int(line), column: Int(column), offset: Int(offset))
    }

    public var description: String {
        "\(file ?? "<none>"):\(line):\(column)"
    }
}
