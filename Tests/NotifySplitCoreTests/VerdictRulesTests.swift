import Foundation
@testable import NotifySplitCore
import XCTest

/// convert on Fixtures/verdict-rules (a 2.6-era tree): the verdict rules,
/// one function per rule, each with its expected verdict and why stated in
/// the fixture; the series is checked in under Golden/series-verdict-rules.
final class VerdictRulesTests: XCTestCase {
    static let tree = Result { try convertTree(fixture("verdict-rules")) }

    func assertVerdict(_ function: String, _ verdict: Verdict, _ rules: [Finding.Rule] = [],
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let (conversion, _) = try Self.tree.get()
        let decision = try XCTUnwrap(conversion.decisions.first { $0.site.function == function }, function)
        XCTAssertEqual(decision.verdict, verdict, "\(function): \(decision.reason)", file: file, line: line)
        XCTAssertEqual(decision.rules, rules, "\(function): \(decision.reason)", file: file, line: line)
    }

    // MARK: Commuting updates of the young result's consumer

    /// The design's own example converts to the exact young form, flagged.
    func testTheDesignsExampleConvertsWithAFlag() throws {
        try assertVerdict("page_referenced_one", .guarded)
    }

    func testACountReadBeforeTheUnlockKeepsTheConsumer() throws {
        try assertVerdict("referenced_then_counted", .refused, [.youngConsumerBlocked, .unknownCallee])
    }

    func testAYoungResultInsideAConditionDecides() throws {
        try assertVerdict("unmap_unless_young", .refused, [.youngDecidesControlFlow, .conditionallyEvaluated])
    }

    func testTheYoungResultSeenThroughLikely() throws {
        try assertVerdict("referenced_likely", .unguarded)
    }

    // MARK: What the pte is set to

    func testSwapMigrationAndFileEntriesAreNoRepoint() throws {
        try assertVerdict("unmap_to_swap", .unguarded)
        try assertVerdict("unmap_to_migration", .unguarded)
        try assertVerdict("unmap_to_file_offset", .unguarded)
    }

    func testTheClearedValueRestoredIsNoRepoint() throws {
        try assertVerdict("clear_and_restore", .unguarded)
    }

    func testTheValueAPlainClearReturnedWrittenBackIsNoRepoint() throws {
        try assertVerdict("age_and_rewrite", .unguarded)
    }

    func testANewPageWithTheOldProtectionIsARepoint() throws {
        try assertVerdict("replace_with_copy", .refused, [.ptePointedElsewhere])
    }

    // MARK: Callees judged by their bodies

    func testACalleeThatDropsAReference() throws {
        try assertVerdict("unmap_and_forget", .refused, [.pageReferenceDropped])
        let (conversion, _) = try Self.tree.get()
        let reason = try XCTUnwrap(conversion.decisions.first { $0.site.function == "unmap_and_forget" }).reason
        XCTAssertTrue(reason.contains("(forget_page() → put_page())"), reason)
    }

    func testACalleeThatOnlyMarksDirty() throws {
        try assertVerdict("unmap_and_note", .unguarded)
    }

    func testACallTheToolCannotSeeIsNamed() throws {
        try assertVerdict("unmap_and_hand_over", .refused, [.unknownCallee])
    }

    // MARK: Callees defined in another file of the tree

    func testACalleeElsewhereThatOnlyCounts() throws {
        try assertVerdict("unmap_and_account", .unguarded)
    }

    func testACalleeElsewhereThatDropsAReference() throws {
        try assertVerdict("unmap_and_release", .refused, [.pageReferenceDropped])
        try assertReason("unmap_and_release",
                         contains: "release_unmapped() (defined in mm/page_helpers.c) at line 52 drops a page "
                            + "reference (release_unmapped() → put_page())")
    }

    func testACalleeElsewhereDropsThroughAStaticHelperOfItsFile() throws {
        try assertVerdict("unmap_and_retire", .refused, [.pageReferenceDropped])
        try assertReason("unmap_and_retire", contains: "(retire_unmapped() → retire() → page_cache_release())")
    }

    func testACalleeElsewhereThatWritesAPte() throws {
        try assertVerdict("unmap_and_reinstall", .refused, [.ptePointedElsewhere])
        try assertReason("unmap_and_reinstall", contains: "(reinstall_pte() → set_pte_at())")
    }

    func testACalleeElsewhereCallingWhatNoFileDefines() throws {
        try assertVerdict("unmap_and_queue", .refused, [.unknownCallee])
        try assertReason("unmap_and_queue", contains: "it calls queue_unmapped() → driver_take_page(), which the "
                            + "tool cannot read")
    }

    func testALinkTimeAssertionInADeadBranchIsNoCall() throws {
        try assertVerdict("unmap_and_count", .unguarded)
    }

    func testACalleeElsewhereIsNotReadForASiteRefusedAlready() throws {
        try assertVerdict("unmap_put_and_account", .refused, [.pageReferenceDropped, .unknownCallee])
        try assertReason("unmap_put_and_account", contains: "as the site is refused for the reasons above, the "
                            + "tool did not read it elsewhere in the tree")
    }

    func testABuiltinConstantPConditionIsNotFolded() throws {
        try assertVerdict("unmap_and_settle", .refused, [.pageReferenceDropped])
        try assertReason("unmap_and_settle", contains: "(settle_pages() → put_page())")
    }

    func assertReason(_ function: String, contains text: String,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let (conversion, _) = try Self.tree.get()
        let reason = try XCTUnwrap(conversion.decisions.first { $0.site.function == function }, function).reason
        XCTAssertTrue(reason.contains(text), reason, file: file, line: line)
    }

    // MARK: The page-table lock

    func testAPteLoopWithoutInitIsARange() throws {
        try assertVerdict("clear_range", .range)
    }

    /// The loop moves its own address and the bounds are clamped before
    /// the lock: their values there are kept in new locals.
    func testALoopWithBoundsSetBeforeTheLockKeepsThemForTheRange() throws {
        try assertVerdict("unmap_cluster", .range)
        let (conversion, _) = try Self.tree.get()
        let plan = try XCTUnwrap(conversion.decisions.first { $0.site.function == "unmap_cluster" }?.plan?.range)
        XCTAssertEqual(plan.captures.map(\.name), ["mmun_start", "mmun_end"])
        XCTAssertEqual(plan.startCall, "mmu_notifier_invalidate_range_start(mm, mmun_start, mmun_end)")
    }

    func testALockReturnedByPmdLock() throws {
        try assertVerdict("clear_under_pmd_lock", .unguarded)
    }

    func testAnUnlockSplitInTwoStatements() throws {
        try assertVerdict("clear_split_unlock", .unguarded)
    }

    // MARK: The series

    func testGoldenSeries() throws {
        let (conversion, series) = try Self.tree.get()
        try assertGoldenSeries(conversion, series, "series-verdict-rules")
        XCTAssertTrue(conversion.validationFailures.isEmpty, "\(conversion.validationFailures)")
    }
}
