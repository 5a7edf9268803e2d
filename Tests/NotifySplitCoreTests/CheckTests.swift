import Foundation
@testable import NotifySplitCore
import XCTest

/// `check`, the CI gate: one case per shape, the series in memory, every
/// output format validated against its schema, bad input.
final class CheckTests: XCTestCase {
    func macro(_ check: TreeCheck, _ name: String) throws -> TreeCheck.MacroResult {
        try XCTUnwrap(check.macros.first { $0.name == name })
    }

    func check(_ tree: String, macros: [String] = MacroModel.defaultNames,
               series: String? = nil) throws -> TreeCheck {
        let kernel = try KernelTree(path: tree)
        let overlay = try series.map { try SeriesOverlay.load(directory: $0, tree: kernel) } ?? TreeOverlay()
        return try TreeCheck.run(tree: kernel, macroNames: macros, overlay: overlay, series: series)
    }

    func testEveryKindOfUseCounts() throws {
        let result = try macro(try check(fixture("tree")), "ptep_clear_flush_notify")
        XCTAssertEqual(result.state, .inUse)
        let places = Set(result.uses.map { "\($0.path):\($0.line)" })
        XCTAssertTrue(places.contains("mm/wrapper.c:16"), "a use through a wrapper macro")
        XCTAssertTrue(places.contains("mm/wrapper.c:7"), "the wrapper's own definition")
        XCTAssertTrue(places.contains("mm/ifdef_off.c:13"), "a use under an #ifdef that is off")
        XCTAssertTrue(places.contains("include/linux/pte_inline.h:12"), "a use in a header inline")
        XCTAssertEqual(result.uses.first { $0.path == "mm/wrapper.c" && $0.line == 16 }?.via, "clear_pte_notify")
        XCTAssertFalse(places.contains { $0.hasPrefix("mm/comment_only.c") }, "comments and strings are not uses")
        XCTAssertEqual(result.mentions.filter { $0.path == "mm/comment_only.c" }.map(\.kind), ["comment"])
        XCTAssertEqual(result.definitions.map(\.form), ["notifier", "stub"])
        XCTAssertEqual(result.definitions.map(\.firstLine), [43, 82])
    }

    func testADefinitionNobodyUsesIsDeletable() throws {
        let check = try check(fixture("tree"), macros: ["ptep_clear_young_notify"])
        XCTAssertEqual(try macro(check, "ptep_clear_young_notify").state, .deletable)
        XCTAssertTrue(check.isComplete)
        XCTAssertEqual(CheckReport(check).exit_status, 0)
    }

    func testAMacroTheTreeNeverHadIsGone() throws {
        let check = try check(fixture("tree"), macros: ["pudp_huge_clear_flush_notify"])
        XCTAssertEqual(try macro(check, "pudp_huge_clear_flush_notify").state, .gone)
        XCTAssertEqual(CheckReport(check).exit_status, 0)
    }

    /// The 2.6 fixture's series converts both sites and deletes both macros.
    func testSeriesAppliedInMemoryCompletesTheConversion() throws {
        let (conversion, series) = try convertTree(fixture("tree-2.6"))
        let directory = try makeTemporaryDirectory(self) + "/series"
        try SeriesWriter(series: series, conversion: conversion).write(to: directory, force: false)
        let before = try check(fixture("tree-2.6"))
        XCTAssertEqual(CheckReport(before).exit_status, 1)
        let after = try check(fixture("tree-2.6"), series: directory)
        XCTAssertEqual(after.macros.map(\.state), [.gone, .gone])
        XCTAssertEqual(CheckReport(after).exit_status, 0)
        let untouched = try String(contentsOfFile: fixture("tree-2.6/mm/rmap.c"), encoding: .utf8)
        XCTAssertTrue(untouched.contains("ptep_clear_flush_notify(vma, address, pte)"), "the tree is not written")
    }

    func testSeriesOnTheFixtureTreeLeavesTheRefusedUses() throws {
        let (conversion, series) = try ConvertTests.fixtureTree.get()
        let directory = try makeTemporaryDirectory(self) + "/series"
        try SeriesWriter(series: series, conversion: conversion).write(to: directory, force: false)
        let after = try check(fixture("tree"), series: directory)
        let refused = conversion.decisions.filter { $0.verdict == .refused }.count
        let remaining = after.macros.flatMap(\.uses).filter { !$0.inWrapperDefinition }.count
        XCTAssertEqual(remaining, refused)
        XCTAssertEqual(CheckReport(after).exit_status, 1)
    }

    func testBadSeriesIsAUsageErrorAndTheTreeIsUntouched() throws {
        let tree = try KernelTree(path: fixture("tree-2.6"))
        let empty = try makeTemporaryDirectory(self)
        XCTAssertThrowsError(try SeriesOverlay.load(directory: empty, tree: tree)) { error in
            XCTAssertEqual("\(error)", "\(empty): no .patch files in the series directory")
        }
        let (conversion, series) = try convertTree(fixture("tree-2.6"))
        let directory = try makeTemporaryDirectory(self) + "/series"
        try SeriesWriter(series: series, conversion: conversion).write(to: directory, force: false)
        let first = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: directory)
            .sorted().first { $0.hasPrefix("0001") })
        var text = try String(contentsOfFile: directory + "/" + first, encoding: .utf8)
        text = text.replacingOccurrences(of: " \tspinlock_t *ptl;\n", with: " \tspinlock_t *lock;\n")
        try text.write(toFile: directory + "/" + first, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SeriesOverlay.load(directory: directory, tree: tree)) { error in
            XCTAssertEqual("\(error)", "\(first) does not apply to mm/rmap.c at line 8")
        }
        text = text.replacingOccurrences(of: "@@ -8,", with: "@@ -x,")
        try text.write(toFile: directory + "/" + first, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SeriesOverlay.load(directory: directory, tree: tree)) { error in
            XCTAssertTrue("\(error)".contains("malformed patch (bad hunk header)"), "\(error)")
        }
        XCTAssertThrowsError(try SeriesOverlay.load(directory: fixture("tree-2.6/Makefile"), tree: tree))
    }

    // MARK: Formats

    func validate(_ text: String, schema: String) throws -> (Int32, String) {
        let directory = try makeTemporaryDirectory(self)
        try text.write(toFile: directory + "/report.json", atomically: true, encoding: .utf8)
        return try shell([repositoryRoot.path + "/scripts/validate-json", schema, directory + "/report.json"],
                         in: directory)
    }

    func testJSONFollowsItsDocumentedSchema() throws {
        let schema = repositoryRoot.path + "/schemas/check-report.schema.json"
        for tree in ["tree", "tree-2.6", "damaged"] {
            let report = CheckReport(try check(fixture(tree))).json()
            let (status, output) = try validate(report, schema: schema)
            XCTAssertEqual(status, 0, "\(tree): \(output)")
        }
        // The check can fail: a report missing a field does not validate.
        let broken = CheckReport(try check(fixture("tree"))).json().replacingOccurrences(of: "\"exit_status\"", with: "\"status\"")
        XCTAssertNotEqual(try validate(broken, schema: schema).0, 0)
    }

    func testSARIFFollowsTheSARIF210Schema() throws {
        let schema = try sarifSchema()
        let report = CheckReport(try check(fixture("tree"), macros: MacroModel.defaultNames + ["ptep_clear_young_notify"]))
        let (status, output) = try validate(report.sarif(), schema: schema)
        XCTAssertEqual(status, 0, output)
        XCTAssertNotEqual(try validate(report.sarif().replacingOccurrences(of: "\"2.1.0\"", with: "\"9\""),
                                       schema: schema).0, 0, "the SARIF check can fail")
    }

    func testGitHubAnnotationsAndCompilerLines() throws {
        let report = CheckReport(try check(fixture("tree")))
        XCTAssertTrue(report.github().contains(
            "::error file=mm/straight.c,line=13,col=10,title=notify macro in use::ptep_clear_flush_notify still used in zap_one_pte()\n"))
        XCTAssertTrue(report.text().contains("mm/straight.c:13:10: error: ptep_clear_flush_notify still used in zap_one_pte()\n"))
        XCTAssertTrue(report.text().contains(
            "include/linux/mmu_notifier.h:82: note: ptep_clear_flush_notify defined here (#else stub, line 82, under !CONFIG_MMU_NOTIFIER)\n"))
    }
}

/// `notifysplit check` exit statuses as CI sees them.
final class CheckCommandLineTests: XCTestCase {
    func testExitStatuses() throws {
        XCTAssertEqual(try runTool(["check", fixture("tree")]).status, 1)
        XCTAssertEqual(try runTool(["check", fixture("tree"), "--macro", "ptep_clear_young_notify",
                                    "--format", "json"]).status, 1)
        let only = try runTool(["check", fixture("tree"), "--format", "github"])
        XCTAssertTrue(only.stdout.hasPrefix("::error file="))
        let missing = try runTool(["check", fixture("tree"), "--series", "/nonexistent"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "notifysplit: /nonexistent: --series needs a directory of .patch files\n")
        XCTAssertEqual(try runTool(["check", "/nonexistent"]).status, 2)
    }

    func testUnreadableFileMakesTheAnswerUnknown() throws {
        let tree = try copyFixture("tree-2.6", self)
        chmod(tree + "/mm/rmap.c", 0)
        let result = try runTool(["check", tree], asUnprivilegedUser: true)
        XCTAssertEqual(result.status, 3, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("mm/rmap.c: error: cannot read: cannot open"))
        XCTAssertTrue(result.stdout.contains("ptep_clear_flush_notify: unknown"))
    }

    func testFixWritesTheDeletionPatch() throws {
        let output = try makeTemporaryDirectory(self) + "/fix"
        let result = try runTool(["check", fixture("tree"), "--macro", "ptep_clear_young_notify", "--fix", "-o", output,
                                  "--from", "A U Thor <author@example.org>", "-s", "--date", "2026-01-01"])
        XCTAssertEqual(result.status, 1, "the default macros are still used")
        let files = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        XCTAssertEqual(files, ["0000-cover-letter.patch", "0001-mm-mmu_notifier-remove-ptep_clear_young_notify.patch",
                               "refusals.tsv"])
        let patch = try String(contentsOfFile: output + "/" + files[1], encoding: .utf8)
        XCTAssertTrue(patch.contains("-#define ptep_clear_young_notify ptep_test_and_clear_young\n"))
        XCTAssertTrue(patch.contains("- * ptep_clear_young_notify() tests and clears the young bit"), "its comment goes too")
        let tree = try copyFixture("tree", self)
        let (status, text) = try shell(["patch", "-p1", "-s"], in: tree, input: Data(patch.utf8))
        XCTAssertEqual(status, 0, text)
        XCTAssertEqual(try runTool(["check", tree, "--macro", "ptep_clear_young_notify"]).status, 1)
        let after = try runTool(["check", tree, "--macro", "ptep_clear_young_notify", "--format", "json"])
        XCTAssertTrue(after.stdout.contains("\"state\" : \"gone\""))
    }
}

/// Malformed patches are usage errors, never crashes.
final class SeriesParsingTests: XCTestCase {
    func testOddHunkHeadersAreMalformed() {
        for header in ["@@ - +1 @@", "@@ -1, +1 @@", "@@ -1,2 +1, @@", "@@ -x +1 @@", "@@ @@", "@@ -1,-3 +1 @@"] {
            let patch = "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n\(header)\n-a\n+b\n"
            XCTAssertThrowsError(try SeriesOverlay.parse(Array(patch.utf8), name: "p.patch"), header) { error in
                XCTAssertTrue("\(error)".contains("malformed patch"), "\(header): \(error)")
            }
        }
        let truncated = "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,3 +1,3 @@\n a\n"
        XCTAssertThrowsError(try SeriesOverlay.parse(Array(truncated.utf8), name: "p.patch"))
    }
}
