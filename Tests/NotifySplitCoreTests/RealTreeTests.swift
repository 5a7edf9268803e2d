import Foundation
import NotifySplitCore
import XCTest

/// Whole-tree scans of Debian's linux-source-6.1 and -6.12, unpacked and
/// cached outside the checkout by `make test` (scripts/fetch-kernel-tree),
/// which passes their paths in NOTIFYSPLIT_TREE_6_1 / NOTIFYSPLIT_TREE_6_12.
final class RealTreeTests: XCTestCase {
    func treePath(_ variable: String) throws -> String {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else {
            throw XCTSkip("\(variable) is not set; `make test` fetches the Debian tree and sets it")
        }
        return path
    }

    /// The test log gets each parsed file's diagnostics summary.
    func logDiagnostics(_ scan: Scan, _ name: String) {
        for (path, errors) in scan.errorCounts.sorted(by: { $0.key < $1.key }) {
            print("[\(name)] parsed \(path): \(errors) error(s)")
        }
    }

    func siteList(_ scan: Scan) -> [String] {
        scan.sites.map { "\($0.path) \($0.function ?? "?") \($0.macro) \($0.status.rawValue)" }
    }

    func testDebian61HasExactlyFourUses() throws {
        let scan = try scanTree(try treePath("NOTIFYSPLIT_TREE_6_1"))
        logDiagnostics(scan, "6.1")
        XCTAssertEqual(siteList(scan), [
            "kernel/events/uprobes.c __replace_page ptep_clear_flush_notify parsed",
            "mm/memory.c wp_page_copy ptep_clear_flush_notify parsed",
            "mm/migrate_device.c migrate_vma_insert_page ptep_clear_flush_notify parsed",
            "mm/rmap.c folio_referenced_one ptep_clear_flush_young_notify parsed",
        ])
        XCTAssertEqual(Set(scan.mentions.map(\.path)), ["mm/memory.c", "mm/migrate_device.c"])
        XCTAssertTrue(scan.isComplete)
        XCTAssertEqual(scan.errorCounts.values.reduce(0, +), 0, "synthetic configuration parses with 0 errors")
        XCTAssertTrue(scan.model.macros.allSatisfy(\.hasNotifierDefinition))
        XCTAssertEqual(scan.model["ptep_clear_flush_notify"]?.notifier?.function, "mmu_notifier_invalidate_range")
        let young = try XCTUnwrap(scan.sites.first { $0.path == "mm/rmap.c" })
        XCTAssertEqual(young.statement?.kind, "IfStmt")
        XCTAssertEqual(young.arguments, ["vma", "address", "pvmw.pte"])
    }

    func testDebian612HasOneUseAndOnlyTheStubOfFlushNotify() throws {
        let scan = try scanTree(try treePath("NOTIFYSPLIT_TREE_6_12"))
        logDiagnostics(scan, "6.12")
        XCTAssertEqual(siteList(scan), [
            "mm/rmap.c folio_referenced_one ptep_clear_flush_young_notify parsed",
        ])
        XCTAssertTrue(scan.isComplete)
        XCTAssertEqual(scan.errorCounts.values.reduce(0, +), 0)
        let flush = try XCTUnwrap(scan.model["ptep_clear_flush_notify"])
        XCTAssertFalse(flush.hasNotifierDefinition)
        XCTAssertEqual(flush.definitions.map(\.form), [.stub])
        XCTAssertEqual(flush.definitions.first?.conditions, ["!CONFIG_MMU_NOTIFIER"])
        XCTAssertTrue(scan.model["ptep_clear_flush_young_notify"]?.hasNotifierDefinition ?? false)
    }

    /// The huge-page siblings, named with --macro, are used in 6.1's
    /// mm/huge_memory.c.
    func testDebian61SiblingsThroughMacroOption() throws {
        let siblings = ["pmdp_huge_clear_flush_notify", "pudp_huge_clear_flush_notify"]
        let scan = try scanTree(try treePath("NOTIFYSPLIT_TREE_6_1"), macros: siblings)
        XCTAssertEqual(Set(scan.sites.map(\.path)), ["mm/huge_memory.c"])
        XCTAssertEqual(Set(scan.sites.map(\.macro)), Set(siblings))
        XCTAssertTrue(scan.sites.allSatisfy { $0.status == .parsed })
        XCTAssertEqual(scan.model["pmdp_huge_clear_flush_notify"]?.notifier?.function,
                       "mmu_notifier_invalidate_range")
    }
}

/// convert on the Debian trees: every verdict follows the rules, the
/// series applies, and validation passes.
final class RealTreeConvertTests: XCTestCase {
    func treePath(_ variable: String) throws -> String {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else {
            throw XCTSkip("\(variable) is not set; `make test` fetches the Debian tree and sets it")
        }
        return path
    }

    /// 6.1: the three flush sites re-point the pte to a new page under the
    /// lock (set_pte_at_notify with a value built by mk_pte()), and the
    /// young site's lock belongs to page_vma_mapped_walk(): all refused.
    func testDebian61EveryVerdictIsARefusalWithItsReason() throws {
        let (conversion, series) = try convertTree(try treePath("NOTIFYSPLIT_TREE_6_1"))
        let reasons = Dictionary(uniqueKeysWithValues: conversion.decisions.map { ($0.site.function ?? "", $0) })
        for function in ["__replace_page", "wp_page_copy", "migrate_vma_insert_page"] {
            let decision = try XCTUnwrap(reasons[function])
            XCTAssertEqual(decision.verdict, .refused)
            let repoint = try XCTUnwrap(decision.findings.first { $0.rule == .ptePointedElsewhere }, decision.reason)
            XCTAssertTrue(repoint.message.hasPrefix("set_pte_at_notify() at line "), repoint.message)
            XCTAssertTrue(repoint.message.hasSuffix("(Documentation/mm/mmu_notifier.rst)"), repoint.message)
        }
        let young = try XCTUnwrap(reasons["folio_referenced_one"])
        XCTAssertEqual(young.verdict, .refused)
        XCTAssertEqual(young.rules, [.lockHeldByWalker], young.reason)
        XCTAssertTrue(series.patches.isEmpty, "nothing to convert and both macros still used")
    }

    /// 6.12: the young site is refused; ptep_clear_flush_notify's leftover
    /// #else stub has no user and is deleted by the only patch, which applies.
    func testDebian612DeletesTheUnusedStub() throws {
        let path = try treePath("NOTIFYSPLIT_TREE_6_12")
        let (conversion, series) = try convertTree(path)
        XCTAssertEqual(conversion.decisions.map(\.verdict), [.refused])
        XCTAssertEqual(series.deletedMacros, ["ptep_clear_flush_notify"])
        XCTAssertEqual(series.patches.count, 1)
        let patch = try XCTUnwrap(series.rendered().last)
        let text = String(decoding: patch.bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("\n-#define\tptep_clear_flush_notify ptep_clear_flush\n"), text)
        XCTAssertEqual(series.patches[0].diffs.map { $0.deletions }, [1])
        let (status, output) = try shell(["patch", "-p1", "--dry-run"], in: path, input: Data(patch.bytes))
        XCTAssertEqual(status, 0, output)
    }
}

/// check on the Debian trees.
final class RealTreeCheckTests: XCTestCase {
    func tree(_ variable: String) throws -> KernelTree {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else {
            throw XCTSkip("\(variable) is not set; `make test` fetches the Debian tree and sets it")
        }
        return try KernelTree(path: path)
    }

    let siblings = ["pmdp_huge_clear_flush_notify", "pudp_huge_clear_flush_notify"]

    func testDebian61UsesRemainOutsideMMToo() throws {
        let check = try TreeCheck.run(tree: try tree("NOTIFYSPLIT_TREE_6_1"), macroNames: MacroModel.defaultNames)
        let flush = try XCTUnwrap(check.macros.first { $0.name == "ptep_clear_flush_notify" })
        XCTAssertEqual(flush.state, .inUse)
        XCTAssertEqual(Set(flush.uses.map(\.path)), ["kernel/events/uprobes.c", "mm/memory.c", "mm/migrate_device.c"])
        XCTAssertEqual(flush.uses.first { $0.path == "kernel/events/uprobes.c" }?.function, "__replace_page")
        XCTAssertEqual(CheckReport(check).exit_status, 1)
        let report = CheckReport(check)
        let directory = try makeTemporaryDirectory(self)
        try report.json().write(toFile: directory + "/r.json", atomically: true, encoding: .utf8)
        let (status, output) = try shell([repositoryRoot.path + "/scripts/validate-json",
                                          repositoryRoot.path + "/schemas/check-report.schema.json",
                                          directory + "/r.json"], in: directory)
        XCTAssertEqual(status, 0, output)
        try report.sarif().write(toFile: directory + "/r.sarif", atomically: true, encoding: .utf8)
        let (sarifStatus, sarifOutput) = try shell([repositoryRoot.path + "/scripts/validate-json", try sarifSchema(),
                                                    directory + "/r.sarif"], in: directory)
        XCTAssertEqual(sarifStatus, 0, sarifOutput)
        let huge = try TreeCheck.run(tree: try tree("NOTIFYSPLIT_TREE_6_1"), macroNames: siblings)
        XCTAssertEqual(huge.macros.map(\.state), [.inUse, .inUse])
        XCTAssertEqual(Set(huge.macros.flatMap(\.uses).map(\.path)), ["mm/huge_memory.c"])
    }

    func testDebian612FlushNotifyIsDeletableAndYoungStillUsed() throws {
        let kernel = try tree("NOTIFYSPLIT_TREE_6_12")
        let check = try TreeCheck.run(tree: kernel, macroNames: MacroModel.defaultNames)
        let flush = try XCTUnwrap(check.macros.first { $0.name == "ptep_clear_flush_notify" })
        XCTAssertEqual(flush.state, .deletable)
        XCTAssertEqual(flush.definitions.map(\.form), ["stub"])
        let young = try XCTUnwrap(check.macros.first { $0.name == "ptep_clear_flush_young_notify" })
        XCTAssertEqual(young.state, .inUse)
        XCTAssertEqual(young.uses.map(\.path), ["mm/rmap.c"])
        let only = try TreeCheck.run(tree: kernel, macroNames: ["ptep_clear_flush_notify"])
        XCTAssertEqual(CheckReport(only).exit_status, 0, "the gate passes for the macro that is done")
        let huge = try TreeCheck.run(tree: kernel, macroNames: siblings)
        XCTAssertEqual(huge.macros.map(\.state), [.deletable, .deletable])
        XCTAssertEqual(huge.macros.flatMap(\.definitions).map(\.form), ["stub", "stub"])
    }

    func testDebian612FixPatchApplies() throws {
        let kernel = try tree("NOTIFYSPLIT_TREE_6_12")
        let output = try makeTemporaryDirectory(self) + "/fix"
        let result = try runTool(["check", kernel.root] + siblings.flatMap { ["--macro", $0] }
                                 + ["--fix", "-o", output, "--from", "A U Thor <author@example.org>", "-s"])
        XCTAssertEqual(result.status, 1, "ptep_clear_flush_young_notify is still used")
        let patches = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("0001") }
        XCTAssertEqual(patches.count, 1)
        let patch = try Data(contentsOf: URL(fileURLWithPath: output + "/" + patches[0]))
        let text = String(decoding: patch, as: UTF8.self)
        for name in ["ptep_clear_flush_notify", "pmdp_huge_clear_flush_notify", "pudp_huge_clear_flush_notify"] {
            XCTAssertTrue(text.contains("\n-#define") && text.contains("\(name) "), name)
        }
        XCTAssertFalse(text.contains("-#define ptep_clear_flush_young_notify"), "still used: kept")
        let (status, output2) = try shell(["patch", "-p1", "--dry-run"], in: kernel.root, input: patch)
        XCTAssertEqual(status, 0, output2)
    }
}
