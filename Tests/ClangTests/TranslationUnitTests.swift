import Clang
import Foundation
import XCTest

/// The wrapper over libclang: byte offsets, macro expansions, diagnostics,
/// disposal. Sources are given as unsaved files, so nothing touches disk.
final class TranslationUnitTests: XCTestCase {
    let path = "/notifysplit-test/virtual.c"

    func parse(_ bytes: [UInt8], arguments: [String] = ["-std=gnu11"]) throws -> TranslationUnit {
        try TranslationUnit(index: Index(), path: path, arguments: arguments,
                            unsavedFiles: [.init(path: path, contents: bytes)],
                            options: [.detailedPreprocessingRecord, .keepGoing])
    }

    /// `/* é \xff */` before the invocation: offsets must count bytes.
    func testMacroExpansionOffsetsCountBytesAcrossMultiByteAndInvalidUTF8() throws {
        var source = Array("#define TWICE(x) ((x) + (x))\n/* caf".utf8)
        source += [0xC3, 0xA9, 0x20, 0xFF, 0xFE]            // "é", then invalid UTF-8
        source += Array(" */\nint f(int a)\n{\n\treturn TWICE(a);\n}\n".utf8)
        let unit = try parse(source)
        let invocation = Array("TWICE(a)".utf8)
        let offset = source.indices.first { Array(source[$0..<min($0 + invocation.count, source.count)]) == invocation }!
        let cursor = try XCTUnwrap(unit.cursor(atOffset: offset + 2, inFile: path))
        XCTAssertEqual(cursor.kind, .macroExpansion)
        XCTAssertEqual(cursor.spelling, "TWICE")
        XCTAssertEqual(cursor.extent.start.offset, offset)
        XCTAssertEqual(cursor.extent.end.offset, offset + invocation.count)
        XCTAssertEqual(cursor.extent.start.line, 5)
        XCTAssertEqual(cursor.extent.start.column, 9)           // after "\treturn "
        XCTAssertTrue(unit.diagnostics.filter(\.isError).isEmpty)
    }

    /// A `do { } while (0)` from a macro reaches the AST with the
    /// invocation's extent, which is how unlock macros are matched.
    func testStatementFromMacroCarriesInvocationExtent() throws {
        let text = """
            void unlock(int *l);
            #define UNLOCK(l) do { unlock(l); } while (0)
            void g(int *l)
            {
            \tUNLOCK(l);
            }

            """
        let source = Array(text.utf8)
        let unit = try parse(source)
        var doStatement: Cursor?
        unit.cursor.visitChildren { cursor in
            if cursor.kind == .doStmt { doStatement = cursor; return .break }
            return cursor.isInMainFile ? .recurse : .continue
        }
        let extent = try XCTUnwrap(doStatement).extent
        XCTAssertEqual(String(decoding: source[extent.byteRange], as: UTF8.self), "UNLOCK(l)")
    }

    /// One node is one cursor, whether reached by a recursive walk or
    /// through `children` (libclang keeps a different parent in each).
    func testANodeReachedTwoWaysIsOneCursor() throws {
        let unit = try parse(Array("int f(int a)\n{\n\ta++;\n\treturn a;\n}\n".utf8))
        var walked: [Cursor] = []
        unit.cursor.walk { if $0.kind == .declRefExpr { walked.append($0) } }
        var direct: [Cursor] = []
        func descend(_ cursor: Cursor) {
            for child in cursor.children {
                if child.kind == .declRefExpr { direct.append(child) }
                descend(child)
            }
        }
        descend(unit.cursor)
        XCTAssertEqual(walked.count, 2)
        XCTAssertEqual(walked, direct)
        XCTAssertEqual(Set(walked), Set(direct))
        XCTAssertNotEqual(walked[0], walked[1], "two references are two nodes")
        XCTAssertEqual(walked[0].referenced, walked[1].referenced, "to one declaration")
    }

    func testDiagnosticsAreCopiedWithLocations() throws {
        let unit = try parse(Array("int f(void)\n{\n\treturn missing;\n}\n".utf8))
        let errors = unit.diagnostics.filter(\.isError)
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors.first?.location.line, 3)
        XCTAssertTrue(errors.first?.message.contains("missing") ?? false)
    }

    func testSkippedRangesCoverInactiveBranches() throws {
        let text = "#ifdef NEVER\nint hidden;\n#endif\nint shown;\n"
        let unit = try parse(Array(text.utf8))
        let skipped = unit.skippedRanges(inFile: path)
        XCTAssertEqual(skipped.count, 1)
        let hidden = text.utf8.count - "hidden;\n#endif\nint shown;\n".utf8.count
        XCTAssertTrue(skipped[0].contains(hidden))
    }

    func testTokensCarryByteExtents() throws {
        let source = Array("int x = 1;\n".utf8)
        let unit = try parse(source)
        let tokens = unit.tokens(inFile: path, start: 0, end: source.count)
        XCTAssertEqual(tokens.map(\.spelling), ["int", "x", "=", "1", ";"])
        XCTAssertEqual(tokens[1].extent.byteRange, 4..<5)
        XCTAssertEqual(tokens[1].kind, .identifier)
    }

    /// Every index and unit is disposed once it is no longer referenced,
    /// also when cursors outlived the local variable.
    func testEveryOwnerIsDisposed() throws {
        let before = (Index.liveCount, TranslationUnit.liveCount)
        var kept: [Cursor] = []
        for _ in 0..<5 {
            let unit = try parse(Array("int a;\n".utf8))
            kept.append(unit.cursor)
        }
        XCTAssertEqual(TranslationUnit.liveCount, before.1 + 5, "cursors keep their unit alive")
        kept.removeAll()
        XCTAssertEqual(Index.liveCount, before.0)
        XCTAssertEqual(TranslationUnit.liveCount, before.1)
    }

    func testParseErrorForUnreadableInput() {
        XCTAssertThrowsError(try TranslationUnit(index: Index(), path: "/nonexistent/x.c",
                                                 arguments: [], options: []))
    }
}
