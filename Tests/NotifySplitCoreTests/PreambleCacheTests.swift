import Clang
import Foundation
@testable import NotifySplitCore
import XCTest

/// The preamble cache: a file is parsed against the AST file of its
/// `#include` block, made once and reused while every header it read is
/// unchanged; anything it cannot vouch for is parsed whole (nil here).
final class PreambleCacheTests: XCTestCase {
    /// A two-header tree: mm/example.c includes <linux/helper.h> and the
    /// quoted "internal.h" beside it.
    private func makeTree() throws -> String {
        let root = try makeTemporaryDirectory(self)
        try write(root, "include/linux/helper.h", """
            #ifndef _LINUX_HELPER_H
            #define _LINUX_HELPER_H
            #define HELPER_VALUE 1
            static inline int helper(void) { return HELPER_VALUE; }
            #endif

            """)
        try write(root, "mm/internal.h", "static inline int internal(void) { return 2; }\n")
        try write(root, "mm/example.c", """
            // SPDX-License-Identifier: GPL-2.0
            #include <linux/helper.h>
            #include "internal.h"

            int example(void)
            {
            \treturn helper() + internal() + HELPER_VALUE;
            }

            """)
        return root
    }

    private func write(_ root: String, _ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    private func arguments(_ root: String) -> [String] {
        // As kbuild: an undeclared function is an error.
        ["-nostdinc", "-Werror=implicit-function-declaration", "-I", root + "/override", "-I", root + "/include"]
    }

    /// One run's parse: a new cache on the folder (a run takes the headers
    /// not to change while it runs, and keeps their hashes).
    private func parse(_ cache: PreambleCache, _ root: String,
                       unsaved: [TranslationUnit.UnsavedFile] = []) -> TranslationUnit? {
        PreambleCache(directory: cache.directory, objtree: nil, limit: cache.limit).parse(path: root + "/mm/example.c", arguments: arguments(root), unsavedFiles: unsaved,
                    options: FileParser.options)
    }

    /// The main file's function definitions and, in `example`, the names
    /// its calls and macro expansions resolve to.
    private func outline(_ unit: TranslationUnit) -> [String] {
        var lines: [String] = []
        unit.cursor.visitChildren { cursor in
            if cursor.isInMainFile, cursor.kind == .functionDecl, cursor.isDefinition {
                lines.append("\(cursor.spelling) \(cursor.extent.start.line):\(cursor.extent.start.column)")
                cursor.walk { inner in
                    if inner.kind == .callExpr { lines.append("  calls \(inner.spelling)") }
                }
            }
            if cursor.isInMainFile, cursor.kind == .macroExpansion { lines.append("  expands \(cursor.spelling)") }
            return .continue
        }
        return lines
    }

    private func entries(_ directory: String, _ suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            $0.hasSuffix(suffix) && !$0.hasPrefix(".")
        }
    }

    func testTheFileParsedAgainstItsPreambleReadsAsAWholeParse() throws {
        let root = try makeTree()
        let cache = PreambleCache(directory: try makeTemporaryDirectory(self) + "/preamble", objtree: nil)
        let whole = try TranslationUnit(index: Index(), path: root + "/mm/example.c", arguments: arguments(root),
                                        options: FileParser.options)
        let first = try XCTUnwrap(parse(cache, root), "made and used")
        XCTAssertNotNil(first.preamble)
        XCTAssertEqual(entries(cache.directory, ".pch").count, 1)
        let second = try XCTUnwrap(parse(cache, root), "reused")
        XCTAssertEqual(second.preamble?.astFile, first.preamble?.astFile)
        let expected = ["  expands HELPER_VALUE", "example 5:1", "  calls helper", "  calls internal"]
        XCTAssertEqual(outline(whole), expected)
        XCTAssertEqual(outline(first), expected)
        XCTAssertEqual(outline(second), expected)
    }

    func testAChangedHeaderIsReadAgain() throws {
        let root = try makeTree()
        let cache = PreambleCache(directory: try makeTemporaryDirectory(self) + "/preamble", objtree: nil)
        XCTAssertNotNil(parse(cache, root))
        // helper() renamed: example() now calls an undeclared function,
        // an error — which a stale preamble would hide.
        try write(root, "include/linux/helper.h", """
            #define HELPER_VALUE 1
            static inline int helper2(void) { return HELPER_VALUE; }

            """)
        XCTAssertNil(parse(cache, root), "an error: parsed whole by the caller")
        try write(root, "include/linux/helper.h", """
            #define HELPER_VALUE 1
            static inline int helper(void) { return HELPER_VALUE; }

            """)
        XCTAssertNotNil(parse(cache, root))
    }

    func testAHeaderAppearingEarlierInTheSearchIsReadAgain() throws {
        let root = try makeTree()
        let cache = PreambleCache(directory: try makeTemporaryDirectory(self) + "/preamble", objtree: nil)
        XCTAssertNotNil(parse(cache, root))
        // override/ comes first in the search: its helper.h is found now.
        try write(root, "override/linux/helper.h", "#define HELPER_VALUE 3\n")
        XCTAssertNil(parse(cache, root), "helper() is undeclared with the new header")
    }

    func testAPreambleWithAnErrorIsNeverUsed() throws {
        let root = try makeTree()
        try write(root, "mm/internal.h", "static inline int internal(void) { return missing; }\n")
        let cache = PreambleCache(directory: try makeTemporaryDirectory(self) + "/preamble", objtree: nil)
        XCTAssertNil(parse(cache, root))
        XCTAssertNil(parse(cache, root))
        XCTAssertEqual(entries(cache.directory, ".pch"), [], "no AST file kept")
        XCTAssertEqual(entries(cache.directory, ".entry").count, 1, "an entry says not to try again")
        // Mended, it is made.
        try write(root, "mm/internal.h", "static inline int internal(void) { return 2; }\n")
        XCTAssertNotNil(parse(cache, root))
    }

    func testAReparseKeepsThePreambleMasked() throws {
        let root = try makeTree()
        let cache = PreambleCache(directory: try makeTemporaryDirectory(self) + "/preamble", objtree: nil)
        let unit = try XCTUnwrap(parse(cache, root))
        let path = root + "/mm/example.c"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "return helper()", with: "return 2 * helper()")
        try unit.reparse(unsavedFiles: [.init(path: path, contents: Array(text.utf8))])
        XCTAssertEqual(unit.diagnostics.filter(\.isError).map(\.message), [])
        XCTAssertEqual(outline(unit), ["  expands HELPER_VALUE", "example 5:1", "  calls helper", "  calls internal"])
        let changed = text.replacingOccurrences(of: "#include \"internal.h\"", with: "#include \"other.h\"")
        XCTAssertThrowsError(try unit.reparse(unsavedFiles: [.init(path: path, contents: Array(changed.utf8))])) {
            XCTAssertTrue($0 is TranslationUnit.PreambleMismatch, "\($0)")
        }
    }

    func testTheOldestPreamblesGoPastTheLimit() throws {
        let root = try makeTree()
        let directory = try makeTemporaryDirectory(self) + "/preamble"
        let cache = PreambleCache(directory: directory, objtree: nil, limit: 1)
        let first = try XCTUnwrap(parse(cache, root)?.preamble?.astFile)
        // Another preamble: the first AST file goes, the one just made stays.
        let path = root + "/mm/example.c"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "#include \"internal.h\"\n", with: "#include \"internal.h\"\n#define LOCAL 1\n")
            .write(toFile: path, atomically: false, encoding: .utf8)
        let second = try XCTUnwrap(parse(cache, root)?.preamble?.astFile)
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(entries(directory, ".pch"), [(second as NSString).lastPathComponent])
        XCTAssertNil(PreambleCache(directory: directory, objtree: nil, limit: 0)
            .parse(path: root + "/mm/example.c", arguments: arguments(root), unsavedFiles: [],
                   options: FileParser.options), "a limit of 0 turns it off")
    }

    func testUnsavedContentsOfAFileThePreambleReadsAreParsedWhole() throws {
        let root = try makeTree()
        let cache = PreambleCache(directory: try makeTemporaryDirectory(self) + "/preamble", objtree: nil)
        let emptied = TranslationUnit.UnsavedFile(path: root + "/mm/internal.h", contents: Array("\n".utf8))
        XCTAssertNil(parse(cache, root, unsaved: [emptied]), "made from the disk, not usable with this")
        XCTAssertNil(parse(cache, root, unsaved: [emptied]), "found, not usable with this")
        // A header where the preprocessor would find helper.h first.
        let shadow = TranslationUnit.UnsavedFile(path: root + "/override/linux/helper.h", contents: Array("\n".utf8))
        XCTAssertNil(parse(cache, root, unsaved: [shadow]))
        // Another file of a series, which the preamble does not read.
        let other = TranslationUnit.UnsavedFile(path: root + "/mm/other.c", contents: Array("int other;\n".utf8))
        let unit = try XCTUnwrap(parse(cache, root, unsaved: [other]))
        XCTAssertEqual(outline(unit), ["  expands HELPER_VALUE", "example 5:1", "  calls helper", "  calls internal"])
    }

    func testTheForcedIncludesAreInTheAstFile() {
        XCTAssertEqual(PreambleCache.withoutForcedIncludes(["-I", "a", "-include", "k.h", "-includex.h",
                                                            "-include-pch", "p.pch", "-D", "X"]),
                       ["-I", "a", "-include-pch", "p.pch", "-D", "X"])
    }

    func testTheUserCacheFollowsTheConfigurationCache() {
        XCTAssertEqual(PreambleCache.user(environment: ["HOME": "/h"])?.directory, "/h/.cache/notifysplit/preamble")
        XCTAssertEqual(PreambleCache.user(environment: ["HOME": "/h", "NOTIFYSPLIT_PREAMBLE_CACHE_MB": "5"])?.limit,
                       5 << 20)
        XCTAssertNil(PreambleCache.user(environment: ["HOME": "/h", "NOTIFYSPLIT_NO_CACHE": "1"]))
    }

    /// The command line: a series written with the cache cold and warm is
    /// the series written without it, byte for byte.
    func testConvertWritesTheSameSeriesWithTheCache() throws {
        let home = try makeTemporaryDirectory(self)
        let convert = ["convert", fixture("tree"), "--stdout", "-s", "--from", "A <a@example.org>",
                       "--date", "2026-01-01"]
        let plain = try runTool(convert + ["--no-cache"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let environment = ["XDG_CACHE_HOME": home, "NOTIFYSPLIT_NO_CACHE": ""]
        let cold = try runTool(convert, environment: environment)
        XCTAssertFalse(entries(home + "/notifysplit/preamble", ".pch").isEmpty, cold.stderr)
        let warm = try runTool(convert, environment: environment)
        XCTAssertEqual(cold.stdout, plain.stdout)
        XCTAssertEqual(warm.stdout, plain.stdout)
    }

    func testAnEntryReadsBackAsWritten() {
        let entry = PreambleEntry(identity: "notifysplit 1; build-id ab; clang 14", folder: "/t/my tree/mm",
                                  arguments: "0123", unusable: false,
                                  manifest: [("/t/my tree/include/a.h", "ff00"), ("@objtree/include/b.h", "absent")],
                                  absent: ["/t/my tree/arch/x86/include/a.h"])
        XCTAssertEqual(entry.text, """
            notifysplit preamble 1
            identity notifysplit 1; build-id ab; clang 14
            folder /t/my tree/mm
            arguments 0123
            recorded
            file ff00 /t/my tree/include/a.h
            file absent @objtree/include/b.h
            absent /t/my tree/arch/x86/include/a.h

            """)
        XCTAssertEqual(PreambleEntry(text: entry.text), entry)
        var unusable = entry
        unusable.unusable = true
        unusable.manifest = nil
        XCTAssertEqual(PreambleEntry(text: unusable.text), unusable)
        XCTAssertNil(PreambleEntry(text: String(entry.text.dropLast(9))), "a torn entry is none")
    }
}
