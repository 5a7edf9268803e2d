import Foundation
@testable import NotifySplitCore
import XCTest

/// convert on Fixtures/: one verdict per shape, the golden series byte for
/// byte, and the series applied with git am and patch -p1.
final class ConvertTests: XCTestCase {
    static let fixtureTree = Result { try convertTree(fixture("tree")) }

    func decision(_ path: String, _ line: Int) throws -> SiteDecision {
        let (conversion, _) = try Self.fixtureTree.get()
        return try XCTUnwrap(conversion.decisions.first { $0.site.path == path && $0.site.line == line })
    }

    // MARK: One case per shape

    func testStraightLineIsConvertedUnguarded() throws {
        XCTAssertEqual(try decision("mm/straight.c", 13).verdict, .unguarded)
        XCTAssertEqual(try decision("mm/latin1.c", 12).verdict, .unguarded)
        XCTAssertEqual(try decision("mm/crlf.c", 13).verdict, .unguarded)
    }

    func testBranchGotoAndElseIfNeedAFlag() throws {
        XCTAssertEqual(try decision("mm/branch.c", 14).verdict, .guarded)
        XCTAssertEqual(try decision("mm/goto_unlock.c", 19).verdict, .guarded)
        XCTAssertEqual(try decision("mm/else_if.c", 16).verdict, .guarded)
        XCTAssertEqual(try decision("mm/young_guarded.c", 17).verdict, .guarded,
                       "a young consumer in one branch runs only under the flag")
    }

    func testTheNotifierFollowsThePageTableUnlockNotAnInnerOne() throws {
        let decision = try decision("mm/nested_lock.c", 14)
        XCTAssertEqual(decision.verdict, .unguarded)
        XCTAssertEqual(decision.plan?.releases.map(\.line), [17], "after pte_unmap_unlock(), not spin_unlock()")
    }

    func testLoopOverPtesIsARange() throws {
        XCTAssertEqual(try decision("mm/pte_loop.c", 18).verdict, .range)
    }

    func testRefusalsSayWhy() throws {
        let expected: [(String, Int, [Finding.Rule])] = [
            ("mm/young_branch.c", 14, [.youngDecidesControlFlow]),
            ("mm/put_page.c", 15, [.pageReferenceDropped]),
            ("mm/put_page.c", 29, [.pageReferenceDropped]),
            ("mm/repoint.c", 16, [.ptePointedElsewhere]),
            ("mm/pvmw.c", 22, [.lockHeldByWalker]),
            ("mm/wrapper.c", 16, [.throughWrapper]),
            ("mm/side_effect_arg.c", 13, [.argumentSideEffect]),
            ("mm/conditional.c", 16, [.conditionallyEvaluated]),
            ("mm/conditional.c", 28, [.configurationsDiffer]),
            ("mm/ifdef_off.c", 13, [.notParsed]),
            ("include/linux/pte_inline.h", 12, [.inHeader]),
        ]
        for (path, line, rules) in expected {
            let decision = try decision(path, line)
            XCTAssertEqual(decision.verdict, .refused, "\(path):\(line)")
            XCTAssertEqual(decision.rules, rules, "\(path):\(line): \(decision.reason)")
            XCTAssertFalse(decision.findings.contains { $0.message.isEmpty }, "\(path):\(line)")
        }
    }

    /// The refusal names the configuration that differs and where the
    /// notifier would go there.
    func testADifferingConfigurationIsNamed() throws {
        XCTAssertEqual(try decision("mm/conditional.c", 28).reason,
                       "with `#ifdef CONFIG_FIXTURE_NEVER_SET` (line 29) taken, the notifier would go after the "
                       + "unlock at line 31 (line 34 here); one edit cannot fit every configuration")
    }

    /// Found by the fuzzer: a declaration that an #include inside the
    /// body brings in has no bytes in this file. Refused, never a crash.
    func testIncludeInsideAFunctionBodyIsRefused() throws {
        let tree = try copyFixture("tree", self)
        try "int included_local = 0;\n".write(toFile: tree + "/include/linux/local_decl.h", atomically: true,
                                               encoding: .utf8)
        try """
            #include <linux/mm.h>
            #include <linux/mmu_notifier.h>

            void f(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
            {
            #include <linux/local_decl.h>
            \tspinlock_t *ptl;
            \tpte_t *pte;

            \tpte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
            \tif (pte_present(*pte))
            \t\tptep_clear_flush_notify(vma, addr, pte);
            \tpte_unmap_unlock(pte, ptl);
            }

            """.write(toFile: tree + "/mm/include_in_body.c", atomically: true, encoding: .utf8)
        let (conversion, _) = try convertTree(tree)
        let decision = try XCTUnwrap(conversion.decisions.first { $0.site.path == "mm/include_in_body.c" })
        XCTAssertEqual(decision.verdict, .refused)
        XCTAssertEqual(decision.rules, [.includeInBody], decision.reason)
        XCTAssertTrue(decision.reason.contains("an #include in its body (line 6)"), decision.reason)
    }

    /// A wrapper's definition still names ptep_clear_flush_notify: it is
    /// not deleted (check calls it in use too); the young macro is.
    func testAWrapperDefinitionKeepsItsMacro() throws {
        let tree = try copyFixture("tree-2.6", self)
        try "#define my_clear(v, a, p) ptep_clear_flush_notify(v, a, p)\n"
            .write(toFile: tree + "/include/linux/my_wrapper.h", atomically: true, encoding: .utf8)
        let (conversion, series) = try convertTree(tree)
        XCTAssertEqual(conversion.decisions.map(\.verdict), [.unguarded, .unguarded])
        XCTAssertEqual(series.deletedMacros, ["ptep_clear_flush_young_notify"])
        let check = try TreeCheck.run(tree: try KernelTree(path: tree), macroNames: MacroModel.defaultNames)
        XCTAssertEqual(check.macros.first { $0.name == "ptep_clear_flush_notify" }?.state, .inUse)
    }

    // MARK: The series

    func testGoldenSeriesForTheFixtureTree() throws {
        let (conversion, series) = try Self.fixtureTree.get()
        try assertGoldenSeries(conversion, series, "series-tree")
    }

    func testGoldenSeriesForTheTwoSixTree() throws {
        let (conversion, series) = try convertTree(fixture("tree-2.6"))
        XCTAssertEqual(conversion.decisions.map(\.verdict), [.unguarded, .unguarded])
        try assertGoldenSeries(conversion, series, "series-tree-2.6")
    }

    /// `index` lines carry git's blob ids (git hash-object agrees).
    func testBlobIdsAreGits() {
        XCTAssertEqual(SHA1.gitBlob(Array("hello\n".utf8)), "ce013625030ba8dba906f756967f9e9ca394464a")
        XCTAssertEqual(SHA1.hex([]), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(SHA1.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000)),
                       "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    func testDeterministic() throws {
        let (_, first) = try convertTree(fixture("tree"))
        let (_, second) = try convertTree(fixture("tree"))
        XCTAssertEqual(first.rendered().map(\.bytes), second.rendered().map(\.bytes))
    }

    /// The series applies with git am and with patch -p1, and both give
    /// exactly the files convert computed.
    func testSeriesAppliesWithGitAmAndPatch() throws {
        let (_, series) = try Self.fixtureTree.get()
        let patches = series.rendered().dropFirst()     // git am takes the patches, not the cover letter
        let mbox = patches.flatMap(\.bytes)

        let am = try copyFixture("tree", self)
        let git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
        XCTAssertEqual(try shell(git + ["init", "-q"], in: am).0, 0)
        try shell(git + ["add", "-A"], in: am)
        try shell(git + ["commit", "-qm", "base"], in: am)
        let (amStatus, amOutput) = try shell(git + ["am", "--keep-cr"], in: am, input: Data(mbox))
        XCTAssertEqual(amStatus, 0, amOutput)
        let (_, log) = try shell(["git", "log", "--format=%s"], in: am)
        XCTAssertEqual(log.split(separator: "\n").count, patches.count + 1)

        let plain = try copyFixture("tree", self)
        for (name, bytes) in patches {
            let (status, output) = try shell(["patch", "-p1", "--binary", "-s"], in: plain, input: Data(bytes))
            XCTAssertEqual(status, 0, "\(name): \(output)")
        }
        for (path, bytes) in series.finalFiles {
            XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: am + "/" + path)) == Data(bytes), "git am: \(path)")
            XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: plain + "/" + path)) == Data(bytes), "patch: \(path)")
        }
    }

    /// Converting the converted tree finds nothing more to convert.
    func testIdempotent() throws {
        let (_, series) = try Self.fixtureTree.get()
        let copy = try copyFixture("tree", self)
        for (path, bytes) in series.finalFiles {
            try Data(bytes).write(to: URL(fileURLWithPath: copy + "/" + path))
        }
        let (again, secondSeries) = try convertTree(copy)
        XCTAssertTrue(secondSeries.patches.isEmpty)
        XCTAssertTrue(again.decisions.allSatisfy { $0.verdict == .refused })
        XCTAssertEqual(again.decisions.count, 11, "only the refused sites are left")
    }

    /// Bytes outside the edited ranges come out identical: the Latin-1 byte
    /// and the CRLF line ends survive.
    func testBytesOutsideEditsAreUnchanged() throws {
        let (conversion, series) = try Self.fixtureTree.get()
        for file in conversion.files where !file.functions.isEmpty {
            let edits = file.allEdits.sorted { $0.range.lowerBound < $1.range.lowerBound }
            let final = try XCTUnwrap(series.finalFiles[file.path])
            let first = edits.first!.range.lowerBound, last = edits.last!.range.upperBound
            XCTAssertEqual(final.prefix(first), file.original.prefix(first), file.path)
            XCTAssertEqual(final.suffix(file.original.count - last), file.original.suffix(file.original.count - last),
                           file.path)
        }
        let latin1 = try XCTUnwrap(series.finalFiles["mm/latin1.c"])
        XCTAssertTrue(latin1.contains(0xE9))
        let crlf = try XCTUnwrap(series.finalFiles["mm/crlf.c"])
        let bareNewlines = crlf.indices.filter { crlf[$0] == .newline && ($0 == 0 || crlf[$0 - 1] != .carriageReturn) }
        XCTAssertEqual(bareNewlines, [], "every line of a CRLF file stays CRLF")
    }

    /// checkpatch.pl from the Debian 6.12 tree: no ERROR. (A CRLF file's
    /// added lines are CRLF like the rest of it; that one check is off for it.)
    func testCheckpatchFindsNoError() throws {
        guard let tree = ProcessInfo.processInfo.environment["NOTIFYSPLIT_TREE_6_12"] else {
            throw XCTSkip("NOTIFYSPLIT_TREE_6_12 is not set; `make test` sets it")
        }
        let (conversion, series) = try Self.fixtureTree.get()
        let (conversion26, series26) = try convertTree(fixture("tree-2.6"))
        let directory = try makeTemporaryDirectory(self)
        for (conversion, series) in [(conversion, series), (conversion26, series26)] {
            for (name, bytes) in series.rendered().dropFirst() {
                let path = directory + "/" + name
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let crlf = conversion.files.contains { file in
                    file.original.contains(.carriageReturn) && bytes.contains(.carriageReturn)
                }
                var arguments = ["perl", tree + "/scripts/checkpatch.pl", "--no-tree", "--terse"]
                if crlf { arguments += ["--ignore", "DOS_LINE_ENDINGS"] }
                let (_, output) = try shell(arguments + [path], in: directory)
                print("[checkpatch] \(name): \(output.split(separator: "\n").last ?? "")")
                XCTAssertFalse(output.contains("ERROR"), "\(name):\n\(output)")
            }
        }
    }
}
