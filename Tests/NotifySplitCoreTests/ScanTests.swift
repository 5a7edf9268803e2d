import Foundation
import NotifySplitCore
import XCTest

/// One case per call-site shape of Fixtures/tree: what scan must know of it.
final class ScanTests: XCTestCase {
    static let scan = Result { try scanTree(fixture("tree")) }

    func site(_ path: String, _ line: Int) throws -> CallSite {
        let scan = try Self.scan.get()
        return try XCTUnwrap(scan.sites.first { $0.path == path && $0.line == line },
                             "no site at \(path):\(line)")
    }

    func text(_ site: CallSite) throws -> String {
        let bytes = try fixtureBytes("tree/" + site.path)
        return String(decoding: bytes[site.start..<site.end], as: UTF8.self)
    }

    func testStraightLineAssignment() throws {
        let site = try site("mm/straight.c", 13)
        XCTAssertEqual(site.status, .parsed)
        XCTAssertEqual(site.function, "zap_one_pte")
        XCTAssertEqual(try text(site), "ptep_clear_flush_notify(vma, addr, pte)")
        XCTAssertEqual(site.arguments, ["vma", "addr", "pte"])
        XCTAssertEqual(site.statement?.kind, "BinaryOperator")
    }

    func testElseIfConditionStatementIsTheInnerIf() throws {
        let site = try site("mm/else_if.c", 16)
        XCTAssertEqual(site.macro, "ptep_clear_flush_young_notify")
        XCTAssertEqual(site.statement?.kind, "IfStmt")
        XCTAssertEqual(site.statement?.line, 16)
    }

    func testMultiLineInvocationRangeAndArguments() throws {
        let site = try site("mm/pvmw.c", 22)
        XCTAssertEqual(site.arguments, ["vma", "address", "pvmw.pte"])
        XCTAssertTrue(try text(site).hasSuffix("pvmw.pte)"))
    }

    func testWrapperUseIsAttributedToTheMacro() throws {
        let scan = try Self.scan.get()
        XCTAssertEqual(scan.wrappers.map(\.name), ["clear_pte_notify"])
        let site = try site("mm/wrapper.c", 16)
        XCTAssertEqual(site.macro, "ptep_clear_flush_notify")
        XCTAssertEqual(site.via, "clear_pte_notify")
        XCTAssertEqual(site.status, .parsed)
    }

    func testUseUnderOffIfdefIsReportedNotParsed() throws {
        let site = try site("mm/ifdef_off.c", 13)
        XCTAssertEqual(site.status, .notParsedConfiguration)
        XCTAssertEqual(site.function, "maybe_clear")
    }

    func testHeaderInlineIsReported() throws {
        let site = try site("include/linux/pte_inline.h", 12)
        XCTAssertEqual(site.status, .header)
        XCTAssertEqual(site.function, "clear_pte_locked")
    }

    func testCommentAndStringMentionsAreNotUses() throws {
        let scan = try Self.scan.get()
        XCTAssertFalse(scan.sites.contains { $0.path == "mm/comment_only.c" })
        XCTAssertEqual(scan.mentions.filter { $0.path == "mm/comment_only.c" }.map(\.line), [6, 13])
    }

    /// Offsets count bytes: CRLF and a Latin-1 byte before the call.
    func testCRLFAndNonUTF8Files() throws {
        XCTAssertEqual(try text(try site("mm/crlf.c", 13)), "ptep_clear_flush_young_notify(vma, addr, pte)")
        XCTAssertEqual(try text(try site("mm/latin1.c", 12)), "ptep_clear_flush_notify(vma, addr, pte)")
    }

    func testEveryFixtureShapeIsFoundAndTheScanIsComplete() throws {
        let scan = try Self.scan.get()
        XCTAssertTrue(scan.isComplete)
        XCTAssertEqual(scan.summary.sites, 20)
        XCTAssertEqual(scan.summary.filesParsed, 17)
        XCTAssertEqual(Set(scan.sites.map(\.path)).count, 18)
    }

    func testDamagedFunctionIsNotAnalysableAndTheScanIncomplete() throws {
        let scan = try scanTree(fixture("damaged"))
        XCTAssertFalse(scan.isComplete)
        let broken = try XCTUnwrap(scan.sites.first { $0.function == "broken_unmap" })
        XCTAssertEqual(broken.status, .notAnalysable)
        XCTAssertTrue(broken.diagnostics.first?.contains("undeclared_unlock_helper") ?? false)
        let intact = try XCTUnwrap(scan.sites.first { $0.function == "intact_unmap" })
        XCTAssertEqual(intact.status, .parsed)
        XCTAssertEqual(scan.problems.map(\.path), ["mm/broken.c"])
    }

    /// Fixtures/damaged/mm/header_errors.c: two header bodies with an
    /// error; only the one no code of the file reaches is set aside.
    func testAnErrorInAHeaderFunctionTheFileNeverUsesIsSetAside() throws {
        let scan = try scanTree(fixture("damaged"))
        let file = try XCTUnwrap(scan.files.first { $0.path == "mm/header_errors.c" })
        XCTAssertEqual(file.errors, 2)
        XCTAssertEqual(file.errorsInUnusedFunctions, [
            "include/linux/assertions.h:13:2: array size is negative (in offset_unused(), which this file never uses)",
        ])
        XCTAssertEqual(scan.sites.first { $0.function == "clear_one" }?.status, .parsed)
    }

    func testSiblingMacroThroughMacroOption() throws {
        let scan = try scanTree(fixture("tree"), macros: MacroModel.defaultNames + ["pmdp_huge_clear_flush_notify"])
        XCTAssertEqual(scan.model["pmdp_huge_clear_flush_notify"]?.definitions, [])
        XCTAssertEqual(scan.sites.count, 20)
    }
}

/// Compile arguments from a compile_commands.json, read through libclang.
final class CompilationDatabaseScanTests: XCTestCase {
    func testSitesFollowTheDatabase() throws {
        let directory = try makeTemporaryDirectory(self)
        let root = fixture("tree")
        let commands: [[String: Any]] = [
            // Built with working include paths: parsed.
            ["directory": root, "file": "mm/straight.c",
             "arguments": ["clang", "-nostdinc", "-Iinclude", "-DCONFIG_MMU_NOTIFIER=1", "-c", "-o",
                           "mm/straight.o", "mm/straight.c"]],
            // Built without them: the includes fail, the file is not analysable.
            ["directory": root, "file": "mm/branch.c",
             "arguments": ["clang", "-nostdinc", "-c", "mm/branch.c"]],
            // A file the tree does not have: ignored.
            ["directory": root, "file": "mm/gone.c", "arguments": ["clang", "-c", "mm/gone.c"]],
        ]
        let data = try JSONSerialization.data(withJSONObject: commands)
        try data.write(to: URL(fileURLWithPath: directory + "/compile_commands.json"))
        let tree = try KernelTree(path: root)
        let configuration = try CompilationDatabaseConfiguration(tree: tree, directory: directory)
        let scan = try Scan.run(tree: tree, arguments: configuration, options: .init())
        let byPath = Dictionary(grouping: scan.sites, by: \.path)
        XCTAssertEqual(byPath["mm/straight.c"]?.map(\.status), [.parsed])
        XCTAssertEqual(byPath["mm/straight.c"]?.first?.function, "zap_one_pte")
        XCTAssertEqual(byPath["mm/branch.c"]?.map(\.status), [.notAnalysable])
        XCTAssertEqual(byPath["mm/else_if.c"]?.map(\.status), [.notParsedConfiguration],
                       "a file the database does not build is not parsed")
        XCTAssertFalse(scan.isComplete)
        XCTAssertEqual(scan.problems.map(\.path), ["mm/branch.c"])
    }

    func testMalformedDatabaseIsAUsageError() throws {
        let directory = try makeTemporaryDirectory(self)
        try "[{\"directory\": ".write(toFile: directory + "/compile_commands.json", atomically: true, encoding: .utf8)
        let tree = try KernelTree(path: fixture("tree"))
        XCTAssertThrowsError(try CompilationDatabaseConfiguration(tree: tree, directory: directory)) { error in
            XCTAssertEqual((error as? NotifySplitError)?.description,
                           "\(directory)/compile_commands.json: not a JSON array of compile commands")
        }
    }
}

/// Compile arguments from a kbuild output directory, and wrappers of wrappers.
final class ScanConfigurationTests: XCTestCase {
    func testKbuildOutputDirectorySuppliesTheGeneratedHeaders() throws {
        let output = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: output + "/include/generated",
                                                withIntermediateDirectories: true)
        try "#define CONFIG_MMU_NOTIFIER 1\n".write(toFile: output + "/include/generated/autoconf.h",
                                                    atomically: true, encoding: .utf8)
        let tree = try KernelTree(path: fixture("tree"))
        let configuration = try KbuildOutputConfiguration(
            tree: tree, architecture: Architecture(name: "x86", source: "test"), outputDirectory: output)
        let scan = try Scan.run(tree: tree, arguments: configuration, options: .init())
        XCTAssertTrue(scan.isComplete)
        XCTAssertEqual(scan.sites.filter { $0.status == .parsed }.count, 18)
        XCTAssertThrowsError(try KbuildOutputConfiguration(
            tree: tree, architecture: Architecture(name: "x86", source: "test"),
            outputDirectory: output + "/include"))
    }

    func testWrapperOfAWrapperIsFollowed() throws {
        let directory = try makeTemporaryDirectory(self)
        let tree = directory + "/tree"
        try FileManager.default.copyItem(atPath: fixture("tree"), toPath: tree)
        try """
            #include <linux/mm.h>
            #include <linux/mmu_notifier.h>
            #include <linux/inner.h>
            #define outer_clear(v, a, p) inner_clear(v, a, p)

            void twice_wrapped(struct vm_area_struct *vma, pte_t *pte, unsigned long a)
            {
            \touter_clear(vma, a, pte);
            }

            """.write(toFile: tree + "/mm/outer.c", atomically: true, encoding: .utf8)
        try """
            #define inner_clear(v, a, p) ptep_clear_flush_notify(v, a, p)

            """.write(toFile: tree + "/include/linux/inner.h", atomically: true, encoding: .utf8)
        let scan = try scanTree(tree)
        let site = try XCTUnwrap(scan.sites.first { $0.path == "mm/outer.c" })
        XCTAssertEqual(site.macro, "ptep_clear_flush_notify")
        XCTAssertEqual(site.via, "outer_clear")
        XCTAssertEqual(site.status, .parsed)
        XCTAssertEqual(site.function, "twice_wrapped")
        XCTAssertEqual(Set(scan.wrappers.map(\.name)), ["clear_pte_notify", "inner_clear", "outer_clear"])
    }
}
