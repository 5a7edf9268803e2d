import CClang
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed source file and everything it includes.
///
/// Owns its `CXTranslationUnit` (disposed once, in `deinit`) and keeps its
/// `Index` alive for as long as it lives. Cursors keep the unit alive in turn.
public final class TranslationUnit {
    /// Parse options (a subset of `CXTranslationUnit_Flags`).
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Record every macro expansion and definition (needed to find
        /// macro invocations and to map them to source ranges).
        public static let detailedPreprocessingRecord = Options(
            rawValue: CXTranslationUnit_DetailedPreprocessingRecord.rawValue)
        /// Keep parsing after a fatal error such as a missing include.
        public static let keepGoing = Options(rawValue: CXTranslationUnit_KeepGoing.rawValue)
        /// Drop warnings from headers (errors are still reported).
        public static let ignoreNonErrorsFromIncludedFiles = Options(
            rawValue: CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles.rawValue)
        /// The file is a prefix of a source (a header to precompile): do
        /// not finish what it leaves open.
        public static let incomplete = Options(rawValue: CXTranslationUnit_Incomplete.rawValue)
        /// Keep what `save(to:)` needs to write the unit as an AST file.
        public static let forSerialization = Options(rawValue: CXTranslationUnit_ForSerialization.rawValue)
        /// Keep state needed by `reparse(unsavedFiles:)`.
        public static let editingOptions = Options(
            rawValue: clang_defaultEditingTranslationUnitOptions())
    }

    /// The contents of a file that libclang reads instead of the disk.
    public struct UnsavedFile: Sendable {
        public var path: String
        public var contents: [UInt8]
        public init(path: String, contents: [UInt8]) {
            self.path = path
            self.contents = contents
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var path: String
        public var code: Int
        public var description: String {
            let reason: String
            switch code {
            case Int(CXError_Crashed.rawValue): reason = "libclang crashed"
            case Int(CXError_InvalidArguments.rawValue): reason = "invalid arguments"
            case Int(CXError_ASTReadError.rawValue): reason = "AST read error"
            default: reason = "libclang error \(code)"
            }
            return "cannot parse \(path): \(reason)"
        }
    }

    let raw: CXTranslationUnit
    public let index: Index
    public let path: String
    /// The precompiled preamble the unit was parsed with, if any.
    public let preamble: PrecompiledPreamble?

    /// An AST file made from the first bytes of a source file (its leading
    /// directives), and those bytes: a unit parsed with it reads the AST
    /// file instead of parsing them, as clang's own preamble does.
    public struct PrecompiledPreamble: Sendable {
        public var astFile: String
        public var bytes: [UInt8]
        public init(astFile: String, bytes: [UInt8]) {
            self.astFile = astFile
            self.bytes = bytes
        }

        /// `contents` with the preamble's bytes turned into blanks (line
        /// ends kept, so every offset, line and column stays where it was);
        /// nil when `contents` does not start with the preamble.
        func masking(_ contents: [UInt8]) -> [UInt8]? {
            guard contents.count >= bytes.count, contents.starts(with: bytes) else { return nil }
            var masked = contents
            for i in 0..<bytes.count where masked[i] != UInt8(ascii: "\n") { masked[i] = UInt8(ascii: " ") }
            return masked
        }
    }

    /// The main file's contents do not start with the preamble the unit
    /// was parsed with.
    public struct PreambleMismatch: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path) no longer starts with the preamble it was parsed with" }
    }

    /// Parses `path` with compiler `arguments` (no compiler name in front).
    ///
    /// With a `preamble`, `-include-pch` is added and the main file (its
    /// unsaved contents, else the file on disk) is read with the preamble's
    /// bytes blanked; `arguments` must be those the AST file was made with,
    /// less the `-include`s it already holds.
    public init(index: Index, path: String, arguments: [String],
                unsavedFiles: [UnsavedFile] = [], options: Options,
                preamble: PrecompiledPreamble? = nil) throws {
        var arguments = arguments
        var unsavedFiles = unsavedFiles
        if let preamble {
            unsavedFiles = try Self.masked(unsavedFiles, path: path, preamble: preamble)
            arguments += ["-include-pch", preamble.astFile]
        }
        var unit: CXTranslationUnit?
        let code = Self.withUnsaved(unsavedFiles) { unsaved, count in
            withCStrings(arguments) { argv in
                clang_parseTranslationUnit2(index.raw, path, argv, Int32(arguments.count),
                                            unsaved, count, options.rawValue, &unit)
            }
        }
        guard code == CXError_Success, let unit else {
            throw ParseError(path: path, code: Int(code.rawValue))
        }
        self.raw = unit
        self.index = index
        self.path = path
        self.preamble = preamble
        LiveCount.translationUnits.adjust(+1)
    }

    /// `files` with the main file's contents (from `files`, else from disk)
    /// masked by `preamble`.
    private static func masked(_ files: [UnsavedFile], path: String,
                               preamble: PrecompiledPreamble) throws -> [UnsavedFile] {
        var files = files
        let index = files.firstIndex { $0.path == path }
        let contents: [UInt8]
        if let index {
            contents = files[index].contents
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ParseError(path: path, code: Int(CXError_Failure.rawValue))
            }
            contents = [UInt8](data)
        }
        guard let masked = preamble.masking(contents) else { throw PreambleMismatch(path: path) }
        if let index { files[index].contents = masked } else { files.append(UnsavedFile(path: path, contents: masked)) }
        return files
    }

    deinit {
        clang_disposeTranslationUnit(raw)
        LiveCount.translationUnits.adjust(-1)
    }

    /// How many translation units are alive (for leak tests).
    public static var liveCount: Int { LiveCount.translationUnits.value }

    /// Re-parses with new contents for some files, reusing what libclang
    /// kept (much cheaper than a fresh parse of the same file).
    /// A unit parsed with a preamble masks it again (and throws
    /// `PreambleMismatch` when the new contents do not start with it).
    public func reparse(unsavedFiles: [UnsavedFile]) throws {
        var unsavedFiles = unsavedFiles
        if let preamble { unsavedFiles = try Self.masked(unsavedFiles, path: path, preamble: preamble) }
        let code = Self.withUnsaved(unsavedFiles) { unsaved, count in
            clang_reparseTranslationUnit(raw, count, unsaved,
                                         clang_defaultReparseOptions(raw))
        }
        guard code == 0 else { throw ParseError(path: path, code: Int(code)) }
    }

    public struct SaveError: Error, CustomStringConvertible {
        public var path: String
        public var code: Int
        public var description: String { "cannot save an AST file to \(path): libclang error \(code)" }
    }

    /// Writes the unit as an AST file, usable with `-include-pch` (parse
    /// it with `.incomplete` and `.forSerialization` for that).
    public func save(to path: String) throws {
        let code = clang_saveTranslationUnit(raw, path, clang_defaultSaveOptions(raw))
        guard code == 0 else { throw SaveError(path: path, code: Int(code)) }
    }

    /// The translation unit's root cursor.
    public var cursor: Cursor { Cursor(clang_getTranslationUnitCursor(raw), in: self) }

    /// Every diagnostic, in the order libclang reports them.
    public var diagnostics: [Diagnostic] {
        let count = clang_getNumDiagnostics(raw)
        return (0..<count).map { Diagnostic(consuming: clang_getDiagnostic(raw, $0)) }
    }

    /// The file handle libclang uses for `path`, if the unit includes it.
    public func file(_ path: String) -> CXFile? {
        clang_getFile(raw, path)
    }

    /// The cursor at a byte offset of a file of this unit: for an offset
    /// inside a macro invocation this is the `macroExpansion` cursor.
    public func cursor(atOffset offset: Int, inFile path: String) -> Cursor? {
        guard let file = file(path) else { return nil }
        let location = clang_getLocationForOffset(raw, file, UInt32(offset))
        let found = clang_getCursor(raw, location)
        if clang_Cursor_isNull(found) != 0 { return nil }
        return Cursor(found, in: self)
    }

    /// Byte ranges of a file that the preprocessor skipped (`#if` branches
    /// not taken under this configuration).
    public func skippedRanges(inFile path: String) -> [Range<Int>] {
        guard let file = file(path), let list = clang_getSkippedRanges(raw, file) else { return [] }
        defer { clang_disposeSourceRangeList(list) }
        return (0..<Int(list.pointee.count)).map { i in
            SourceRange(list.pointee.ranges[i]).byteRange
        }
    }

    /// One file the preprocessor read: the main file (no `includedFrom`),
    /// every `#include`d file and every `-include`d one.
    public struct Inclusion: Hashable, Sendable {
        /// The file's name as libclang opened it.
        public var path: String
        /// Where the directive that included it sits: the including file
        /// and the byte offset of the file name in the directive (nil for
        /// the main file; a file forced with `-include` names no file).
        public var includedFrom: (file: String?, offset: Int)? {
            includer.map { ($0.file, $0.offset) }
        }
        var includer: Includer?

        struct Includer: Hashable, Sendable {
            var file: String?
            var offset: Int
        }

        public init(path: String, includedFrom: (file: String?, offset: Int)?) {
            self.path = path
            self.includer = includedFrom.map { Includer(file: $0.file, offset: $0.offset) }
        }
    }

    /// Every file the unit read, as `clang_getInclusions` reports them
    /// (each once per inclusion, so a header without a guard may repeat).
    public func inclusions() -> [Inclusion] {
        final class Collector { var found: [Inclusion] = [] }
        let collector = Collector()
        clang_getInclusions(raw, { file, stack, depth, context in
            guard let file, let context else { return }
            let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
            let path = String(consuming: clang_getFileName(file))
            var includedFrom: (file: String?, offset: Int)?
            if depth > 0, let stack {
                let location = SourceLocation(fileLocationOf: stack[0])
                includedFrom = (location.file, location.offset)
            }
            collector.found.append(Inclusion(path: path, includedFrom: includedFrom))
        }, Unmanaged.passUnretained(collector).toOpaque())
        return collector.found
    }

    /// Source range `[start, end)` of a file, in bytes.
    func rawRange(file path: String, start: Int, end: Int) -> CXSourceRange? {
        guard let file = file(path) else { return nil }
        return clang_getRange(clang_getLocationForOffset(raw, file, UInt32(start)),
                              clang_getLocationForOffset(raw, file, UInt32(end)))
    }

    /// The tokens libclang lexes in `[start, end)` of a file of this unit.
    public func tokens(inFile path: String, start: Int, end: Int) -> [Token] {
        guard let range = rawRange(file: path, start: start, end: end) else { return [] }
        return tokens(in: range)
    }

    func tokens(in range: CXSourceRange) -> [Token] {
        var buffer: UnsafeMutablePointer<CXToken>?
        var count: UInt32 = 0
        clang_tokenize(raw, range, &buffer, &count)
        guard let buffer else { return [] }
        defer { clang_disposeTokens(raw, buffer, count) }
        return (0..<Int(count)).map { i in
            let token = buffer[i]
            return Token(kind: Token.Kind(clang_getTokenKind(token)),
                         spelling: String(consuming: clang_getTokenSpelling(raw, token)),
                         extent: SourceRange(clang_getTokenExtent(raw, token)))
        }
    }

    private static func withUnsaved<R>(
        _ files: [UnsavedFile],
        _ body: (UnsafeMutablePointer<CXUnsavedFile>?, UInt32) -> R
    ) -> R {
        if files.isEmpty { return body(nil, 0) }
        // Keep the C copies alive for the duration of the call.
        let names = files.map { strdup($0.path)! }
        let datas: [UnsafeMutablePointer<CChar>] = files.map { file in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(file.contents.count, 1))
            file.contents.withUnsafeBufferPointer { bytes in
                if let base = bytes.baseAddress {
                    UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: bytes.count)
                }
            }
            return buffer
        }
        defer {
            names.forEach { free($0) }
            datas.forEach { $0.deallocate() }
        }
        var unsaved = files.indices.map { i in
            CXUnsavedFile(Filename: names[i], Contents: datas[i],
                          Length: UInt(files[i].contents.count))
        }
        return unsaved.withUnsafeMutableBufferPointer { body($0.baseAddress, UInt32(files.count)) }
    }
}

/// Calls `body` with a C `argv` for `strings`, valid only during the call.
func withCStrings<R>(_ strings: [String],
                     _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies = strings.map { UnsafePointer<CChar>(strdup($0)!) }
    defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
    let argv: [UnsafePointer<CChar>?] = copies
    return argv.withUnsafeBufferPointer { body($0.baseAddress) }
}
