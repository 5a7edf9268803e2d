import Foundation
@testable import NotifySplitCore
import XCTest

/// convert on Fixtures/source-model: the analysis sees the code as written
/// — through iterator and statement macros, branch hints, macro-local
/// variables, shadowed names and #if blocks. One case per shape; each
/// fixture function states its expected verdict and why in a comment.
final class SourceModelTests: XCTestCase {
    static let tree = Result { try convertTree(fixture("source-model")) }

    func decision(_ function: String) throws -> SiteDecision {
        let (conversion, _) = try Self.tree.get()
        return try XCTUnwrap(conversion.decisions.first { $0.site.function == function }, function)
    }

    func assertVerdict(_ function: String, _ verdict: Verdict, _ rules: [Finding.Rule] = [],
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let decision = try decision(function)
        XCTAssertEqual(decision.verdict, verdict, "\(function): \(decision.reason)", file: file, line: line)
        XCTAssertEqual(decision.rules, rules, "\(function): \(decision.reason)", file: file, line: line)
    }

    // MARK: Macros that make loops

    func testSameFileMacroLoopWithABypassingGotoNeedsAFlag() throws {
        try assertVerdict("age_after_scan", .guarded)
    }

    func testSameFileMacroLoopWithoutInitAfterTheUnlock() throws {
        try assertVerdict("clear_then_scan", .unguarded)
    }

    func testHeaderIteratorBeforeTheLock() throws {
        try assertVerdict("clear_after_walk", .unguarded)
    }

    func testHeaderIteratorAfterTheUnlock() throws {
        try assertVerdict("clear_before_walk", .unguarded)
    }

    func testCallRepeatedInAHeaderIteratorIsNoRange() throws {
        try assertVerdict("clear_each_vma", .refused, [.rangeNotPossible])
    }

    // MARK: Macros that make statements

    func testReturningMacroBeforeTheLock() throws {
        try assertVerdict("clear_checked", .unguarded)
    }

    func testReturningMacroBetweenOpAndUnlockLeavesWithTheLock() throws {
        try assertVerdict("clear_then_check", .refused, [.returnsLocked])
    }

    // MARK: Reads are reads

    func testBranchHintsAndAssertionsOnlyRead() throws {
        try assertVerdict("clear_hinted", .unguarded)
    }

    func testBranchProfilingLocalsAreTheMacros() throws {
        try assertVerdict("clear_profiled", .unguarded)
    }

    /// set_pte_at_notify() declares ___mm; the notifier names the
    /// function's own mm, and the converted file re-parses.
    func testWriteProtectNotifierNamesTheFunctionsVariables() throws {
        try assertVerdict("write_protect_one", .unguarded)
        let (conversion, _) = try Self.tree.get()
        let plan = try XCTUnwrap(try decision("write_protect_one").plan)
        XCTAssertEqual(plan.notifierCall,
                       "mmu_notifier_invalidate_range(mm, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE)")
        XCTAssertTrue(conversion.validationFailures.isEmpty, "\(conversion.validationFailures)")
    }

    // MARK: Variables by declaration

    func testInnerAddressIsNotTheOneAfterTheUnlock() throws {
        try assertVerdict("clear_inner_address", .refused, [.argumentOutOfScope])
    }

    func testAssigningAShadowingLocalIsNoWriteOfTheArgument() throws {
        try assertVerdict("clear_then_shadow", .unguarded)
    }

    // MARK: #if blocks, every configuration

    func testIfdefBeforeTheLock() throws {
        try assertVerdict("clear_counted", .unguarded)
    }

    func testIfdefElseBetweenOpAndUnlockWithoutAJump() throws {
        try assertVerdict("clear_cached", .unguarded)
    }

    func testIfdefWithAGotoToAnotherUnlockNamesTheConfiguration() throws {
        try assertVerdict("clear_maybe_early", .refused, [.configurationsDiffer])
        let reason = try decision("clear_maybe_early").reason
        XCTAssertTrue(reason.hasPrefix("with `#ifdef CONFIG_FIXTURE_EXTRA` (lines 65, 71) taken"), reason)
    }

    /// Found by the metamorphic fuzz smoke: where the flag is declared may
    /// differ between configurations; the plan does not.
    func testIfdefOpeningTheBodyKeepsTheFlagPlan() throws {
        try assertVerdict("clear_after_opening_block", .guarded)
    }

    func testIfdefsInBothBranchesAfterTheUnlock() throws {
        try assertVerdict("clear_then_report", .unguarded)
    }

    /// Every converted file of the tree re-parses, and every site has a verdict.
    func testTheSeriesValidates() throws {
        let (conversion, series) = try Self.tree.get()
        XCTAssertTrue(conversion.validationFailures.isEmpty, "\(conversion.validationFailures)")
        XCTAssertEqual(conversion.decisions.count, 17)
        XCTAssertFalse(series.rendered().isEmpty)
    }
}
