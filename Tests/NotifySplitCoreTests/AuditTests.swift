import Foundation
@testable import NotifySplitCore
import XCTest

/// `notifysplit audit` on Fixtures/audit: one caller-chain shape per file,
/// each with its expected answer and why stated in the fixture above the
/// function. Each case shows the input (the fixture file), the command and
/// the expected output for that call side by side, as a Coccinelle test
/// does; the output is the tool's text, read line by line.
final class AuditTests: XCTestCase {
    static func audit(_ arguments: [String] = []) throws -> ToolRun {
        try runTool(["audit", fixture("audit")] + arguments)
    }

    static let defaultRun = Result { try audit() }

    /// The lines the text output gives for the call at `expected`'s first
    /// `path:line:column`: its line and the indented lines under it.
    func assertCall(_ expected: String, in run: ToolRun? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let output = try run ?? Self.defaultRun.get()
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        let head = try XCTUnwrap(expected.split(separator: " ").first, file: file, line: line)
        var block: [Substring] = []
        for text in output.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if block.isEmpty {
                if text.hasPrefix(head) { block.append(text) }
            } else if text.hasPrefix("    ") {
                block.append(text)
            } else {
                break
            }
        }
        XCTAssertEqual(block.joined(separator: "\n"), expected, output.stdout, file: file, line: line)
    }

    // MARK: A spinlock walker: through rmap_one, and directly

    /// Input: mm/rmap_spin.c, unmap_anon_one() registered as `.rmap_one` by
    /// unmap_anon(), called by rmap_walk_anon() under anon_vma->lock.
    /// Command: notifysplit audit Fixtures/audit
    func testASpinlockWalkerThroughRmapOne() throws {
        try assertCall("""
            mm/rmap_spin.c:27:2: unmap_anon_one(): mmu_notifier_invalidate_page: not sleepable (1 chain)
                anon_vma->lock (spinlock, atomic) taken in rmap_walk_anon() by spin_lock() at mm/rmap_spin.c:37: rmap_walk_anon():39 -> unmap_anon_one():27
            """)
    }

    /// Input: mm/rmap_spin.c, referenced_anon() calls referenced_anon_one()
    /// under anon_vma->lock.
    /// Command: notifysplit audit Fixtures/audit
    func testASpinlockWalkerCallingDirectly() throws {
        try assertCall("""
            mm/rmap_spin.c:72:11: referenced_anon_one(): mmu_notifier_clear_flush_young: not sleepable (1 chain)
                anon_vma->lock (spinlock, atomic) taken in referenced_anon() by spin_lock() at mm/rmap_spin.c:82: referenced_anon():84 -> referenced_anon_one():72
            """)
    }

    // MARK: The same with a mutex and an rwsem

    /// Input: mm/rmap_mutex.c; rmap_walk_anon() of rmap_spin.c also calls
    /// `.rmap_one` under a spinlock, but only for unmap_anon()'s walk.
    /// Command: notifysplit audit Fixtures/audit
    func testAMutexWalkerIsSleepable() throws {
        try assertCall("""
            mm/rmap_mutex.c:28:2: unmap_file_one(): mmu_notifier_invalidate_page: sleepable (1 chain)
                mapping->i_mmap_mutex (mutex) taken in rmap_walk_file() by mutex_lock() at mm/rmap_mutex.c:38: rmap_walk_file():40 -> unmap_file_one():28
            """)
        try assertCall("""
            mm/rmap_mutex.c:72:11: referenced_file_one(): mmu_notifier_clear_flush_young: sleepable (1 chain)
                mapping->i_mmap_mutex (mutex) taken in referenced_file() by mutex_lock() at mm/rmap_mutex.c:82: referenced_file():84 -> referenced_file_one():72
            """)
    }

    /// Input: mm/rmap_rwsem.c.
    /// Command: notifysplit audit Fixtures/audit
    func testAnRwsemWalkerIsSleepable() throws {
        try assertCall("""
            mm/rmap_rwsem.c:29:2: unmap_shared_one(): mmu_notifier_invalidate_page: sleepable (1 chain)
                file->i_mmap_rwsem (rwsem) taken in rmap_walk_shared() by down_read() at mm/rmap_rwsem.c:39: rmap_walk_shared():41 -> unmap_shared_one():29
            """)
        try assertCall("""
            mm/rmap_rwsem.c:74:11: referenced_shared_one(): mmu_notifier_clear_flush_young: sleepable (1 chain)
                file->i_mmap_rwsem (rwsem) taken in referenced_shared() by down_read() at mm/rmap_rwsem.c:84: referenced_shared():86 -> referenced_shared_one():74
            """)
    }

    // MARK: Contexts, depth, several ways, recursion, other directories

    /// Input: mm/rcu_walk.c.
    /// Command: notifysplit audit Fixtures/audit
    func testAnRCUReadSection() throws {
        try assertCall("""
            mm/rcu_walk.c:22:2: rcu_one(): mmu_notifier_invalidate_page: not sleepable (1 chain)
                rcu_read_lock() (rcu, atomic) taken in rcu_walk() by rcu_read_lock() at mm/rcu_walk.c:29: rcu_walk():31 -> rcu_one():22
            """)
    }

    /// Input: mm/nested.c, the lock three callers up.
    /// Command: notifysplit audit Fixtures/audit
    func testALockThreeFramesUp() throws {
        try assertCall("""
            mm/nested.c:27:2: nest_zap(): mmu_notifier_invalidate_page: not sleepable (1 chain)
                nest_lock (spinlock, atomic) taken in nest_outer() by spin_lock() at mm/nested.c:42: nest_outer():43 -> nest_middle():37 -> nest_inner():32 -> nest_zap():27
            """)
    }

    /// Input: mm/nested.c.
    /// Command: notifysplit audit Fixtures/audit --depth 2
    /// A chain cut at the depth cannot say sleepable.
    func testAChainCutAtTheDepthIsUnknown() throws {
        try assertCall("""
            mm/nested.c:27:2: nest_zap(): mmu_notifier_invalidate_page: sleepable: unknown (1 chain; cut at depth 2 above nest_middle())
                unknown: the callers of nest_middle() are beyond the depth of 2
            """, in: try Self.audit(["--depth", "2"]))
    }

    /// Input: mm/both.c, one function called under a mutex and under a
    /// spinlock.
    /// Command: notifysplit audit Fixtures/audit
    func testACallReachedBothWays() throws {
        try assertCall("""
            mm/both.c:22:2: both_zap(): mmu_notifier_invalidate_page: not sleepable (2 chains)
                page->anon_vma->lock (spinlock, atomic) taken in both_atomic() by spin_lock() at mm/both.c:34: both_atomic():35 -> both_zap():22
                page->mapping->i_mmap_mutex (mutex) taken in both_sleeping() by mutex_lock() at mm/both.c:27: both_sleeping():28 -> both_zap():22
            """)
    }

    /// Input: mm/recursion.c, the recursive call made under the node's lock.
    /// Command: notifysplit audit Fixtures/audit
    func testRecursion() throws {
        try assertCall("""
            mm/recursion.c:31:2: node_zap(): mmu_notifier_invalidate_page: not sleepable (3 chains)
                n->lock (spinlock, atomic) taken in walk_node() by spin_lock() at mm/recursion.c:38: walk_node():39 -> walk_node():36 -> node_zap():31
            """)
    }

    /// Input: mm/exported.c, called from kernel/outside.c.
    /// Command: notifysplit audit Fixtures/audit
    func testACallerOutsideMm() throws {
        try assertCall("""
            mm/exported.c:21:2: exported_zap(): mmu_notifier_invalidate_page: not sleepable (1 chain)
                s->lock (spinlock, atomic) taken in outside_zap() by spin_lock() at kernel/outside.c:15: outside_zap():16 -> exported_zap():21
            """)
    }

    /// Input: mm/macro.c, a notify macro under its own page-table lock.
    /// Command: notifysplit audit Fixtures/audit
    func testAMacroUnderItsOwnLock() throws {
        try assertCall("""
            mm/macro.c:23:2: macro_zap(): ptep_clear_flush_notify (mmu_notifier_invalidate_page): not sleepable (1 chain)
                ptl (spinlock, atomic) taken in macro_zap() by pte_offset_map_lock() at mm/macro.c:21: macro_zap():23
                page->mapping->i_mmap_mutex (mutex) taken in macro_walk() by mutex_lock() at mm/macro.c:29: macro_walk():30 -> macro_zap():23
            """)
    }

    /// Input: mm/convert_spin.c, a notify macro whose caller holds a spinlock.
    /// Command: notifysplit audit Fixtures/audit
    func testAMacroUnderItsLockAndACallersSpinlock() throws {
        try assertCall("""
            mm/convert_spin.c:24:2: spin_zap(): ptep_clear_flush_notify (mmu_notifier_invalidate_page): not sleepable (1 chain)
                ptl (spinlock, atomic) taken in spin_zap() by pte_offset_map_lock() at mm/convert_spin.c:22: spin_zap():24
                page->anon_vma->lock (spinlock, atomic) taken in spin_walk() by spin_lock() at mm/convert_spin.c:30: spin_walk():31 -> spin_zap():24
            """)
    }

    // MARK: A header inline on the chain, with the preamble cache

    /// Input: Fixtures/audit-header-inline: walk_zap() (mm/walk_zap.c) is
    /// called by walk_locked(), a static inline of include/linux/walk.h
    /// holding a spinlock, used only in mm/walk_user.c, whose walk_user()
    /// is called by walk_top() of mm/walk_top.c.
    /// Command: notifysplit audit Fixtures/audit-header-inline, twice with
    /// one preamble cache (the second run warm), the facts kept by the
    /// first run removed before the second (else no file is parsed).
    /// The inline's body is read in mm/walk_user.c, designated to give it,
    /// which is parsed whole; mm/walk_top.c, parsed after the inline was
    /// asked for but not for it, is parsed against its cached preamble.
    func testAHeaderInlineIsReadFromItsFileAndTheOthersUseThePreambleCache() throws {
        let home = try makeTemporaryDirectory(self)
        let environment = ["XDG_CACHE_HOME": home, "NOTIFYSPLIT_NO_CACHE": "", "NOTIFYSPLIT_PROFILE": "1"]
        let expected = """
            mm/walk_zap.c:18:2: walk_zap(): mmu_notifier_invalidate_page: not sleepable (1 chain)
                vma->vm_mm->page_table_lock (spinlock, atomic) taken in walk_locked() by spin_lock() at include/linux/walk.h:17: walk_locked():18 -> walk_zap():18
            """
        let cold = try runTool(["audit", fixture("audit-header-inline")], environment: environment)
        try assertCall(expected, in: cold)
        try FileManager.default.removeItem(atPath: home + "/notifysplit/facts")
        let warm = try runTool(["audit", fixture("audit-header-inline")], environment: environment)
        try assertCall(expected, in: warm)
        XCTAssertTrue(warm.stderr.contains("parse against the preamble walk_top.c"), warm.stderr)
        XCTAssertTrue(warm.stderr.contains("parse against the preamble walk_zap.c"), warm.stderr)
        XCTAssertFalse(warm.stderr.contains("parse against the preamble walk_user.c"), warm.stderr)
        // With the facts kept, a third run parses nothing and answers the same.
        let kept = try runTool(["audit", fixture("audit-header-inline")], environment: environment)
        XCTAssertEqual(kept.stdout, warm.stdout)
        XCTAssertTrue(kept.stderr.contains("facts of mm/walk_user.c from the cache"), kept.stderr)
        XCTAssertFalse(kept.stderr.contains("preamble"), kept.stderr)
    }

    // MARK: A lock taken and dropped through macros on a parameter

    /// Input: mm/lock_macro.c and include/linux/maple_tree.h: exit_tree()
    /// calls tree_clear(), a header inline whose mtree_lock(mt) and
    /// mtree_unlock(mt) pass &(mt)->ma_lock to inlines, then tree_zap().
    /// Command: notifysplit audit Fixtures/audit
    /// The lock is named mt->ma_lock at both macros, so the unlock pairs
    /// with the lock and nothing is held at the call (before, each was named
    /// by its invocation's text and the lock looked held on some paths).
    func testALockTakenAndDroppedByMacrosOnAParameter() throws {
        try assertCall("""
            mm/lock_macro.c:18:2: tree_zap(): mmu_notifier_invalidate_page: sleepable (1 chain)
            """)
    }

    // MARK: The summary and the lock inventory

    /// Command: notifysplit audit Fixtures/audit
    func testTheLocksThatKeepCallsAtomicWithTheirSites() throws {
        let output = try Self.defaultRun.get().stdout
        XCTAssertTrue(output.contains("""
              page->anon_vma->lock (spinlock, struct anon_vma.lock, declared at include/linux/mm.h:30): 4 calls, taken in both_atomic() (spin_lock()), spin_walk() (spin_lock()), rmap_walk_anon() (spin_lock()), referenced_anon() (spin_lock())
                  keeps atomic: mm/both.c:22 both_zap()
                  keeps atomic: mm/convert_spin.c:24 spin_zap()
                  keeps atomic: mm/rmap_spin.c:27 unmap_anon_one()
                  keeps atomic: mm/rmap_spin.c:72 referenced_anon_one()
                  8 sites in the tree:
                    mm/both.c:34:2: lock spin_lock(page->anon_vma->lock) in both_atomic()
                    mm/both.c:36:2: unlock spin_unlock(page->anon_vma->lock) in both_atomic()
                    mm/convert_spin.c:30:2: lock spin_lock(page->anon_vma->lock) in spin_walk()
                    mm/convert_spin.c:32:2: unlock spin_unlock(page->anon_vma->lock) in spin_walk()
                    mm/rmap_spin.c:37:2: lock spin_lock(anon_vma->lock) in rmap_walk_anon()
                    mm/rmap_spin.c:43:2: unlock spin_unlock(anon_vma->lock) in rmap_walk_anon()
                    mm/rmap_spin.c:82:2: lock spin_lock(anon_vma->lock) in referenced_anon()
                    mm/rmap_spin.c:86:2: unlock spin_unlock(anon_vma->lock) in referenced_anon()

            """), output)
        // Sleeping locks keep nothing atomic: they are no entry of the summary.
        let summary = try XCTUnwrap(output.components(separatedBy: "Locks that keep notifier calls atomic:\n").last)
        XCTAssertFalse(summary.contains("i_mmap_mutex"), summary)
        XCTAssertFalse(summary.contains("i_mmap_rwsem"), summary)
        XCTAssertEqual(summary.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }.count, 7,
                       summary)
        XCTAssertTrue(output.hasSuffix("""
            audit: 14 notifier call(s): 9 not sleepable, 5 sleepable, 0 unknown; callers followed 4 deep; \
            12 file(s) parsed of 17 scanned

            """), output)
    }

    /// Input: tools/testing/selftests/mm/notifier_user.c, a user-space
    /// program naming a notifier function. Not kernel code: noted, not
    /// parsed, no problem (exit status 0), no call listed.
    /// Command: notifysplit audit Fixtures/audit
    func testAUserSpaceProgramUnderToolsIsNotAudited() throws {
        let run = try Self.defaultRun.get()
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("tools/testing/selftests/mm/notifier_user.c is not audited: a user-space "
                                          + "program under tools/, not kernel code"), run.stdout)
        XCTAssertFalse(run.stdout.contains("tools/testing/selftests/mm/notifier_user.c:"), run.stdout)
    }

    // MARK: JSON

    /// `sleepable` is JSON true, false or the string "unknown".
    func testJSONSleepableValues() throws {
        let run = try Self.audit(["--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let calls = try XCTUnwrap(object["calls"] as? [[String: Any]])
        func sleepable(_ function: String) -> Any? { calls.first { $0["function"] as? String == function }?["sleepable"] }
        XCTAssertEqual(sleepable("unmap_anon_one") as? Bool, false)
        XCTAssertEqual(sleepable("unmap_file_one") as? Bool, true)
        let cut = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(try Self.audit(["--format", "json", "--depth", "2"]).stdout.utf8)) as? [String: Any])
        let nest = (cut["calls"] as? [[String: Any]])?.first { $0["function"] as? String == "nest_zap" }
        XCTAssertEqual(nest?["sleepable"] as? String, "unknown")
    }

    func validate(_ text: String) throws -> (Int32, String) {
        let directory = try makeTemporaryDirectory(self)
        try text.write(toFile: directory + "/report.json", atomically: true, encoding: .utf8)
        return try shell([repositoryRoot.path + "/scripts/validate-json",
                          repositoryRoot.path + "/schemas/audit-report.schema.json", directory + "/report.json"],
                         in: directory)
    }

    func testJSONFollowsItsDocumentedSchema() throws {
        for arguments in [["--format", "json"], ["--format", "json", "--depth", "2"]] {
            let run = try Self.audit(arguments)
            let (status, output) = try validate(run.stdout)
            XCTAssertEqual(status, 0, "\(arguments): \(output)")
        }
        // The check can fail: a call whose sleepable is neither a boolean nor
        // "unknown" does not validate.
        let report = try Self.audit(["--format", "json"]).stdout
        let broken = report.replacingOccurrences(of: "\"sleepable\" : false", with: "\"sleepable\" : \"no\"")
        XCTAssertNotEqual(broken, report)
        XCTAssertNotEqual(try validate(broken).0, 0)
    }

    // MARK: convert uses the audit

    /// Input: mm/convert_spin.c (spin_zap() called under anon_vma->lock)
    /// and mm/macro.c (macro_zap() called under a mutex).
    /// Command: notifysplit convert Fixtures/audit -o DIR
    func testConvertSaysWhichConvertedCallsAreStillAtomic() throws {
        let output = try makeTemporaryDirectory(self) + "/series"
        let run = try runTool(["convert", fixture("audit"), "-o", output, "-s", "--from", goldenAuthor,
                               "--date", goldenDate])
        XCTAssertEqual(run.status, 0, run.stderr)
        func read(_ name: String) throws -> String {
            try String(contentsOfFile: output + "/" + name, encoding: .utf8)
        }
        let still = try read("0001-mm-convert_spin-notify-secondary-MMUs-after-the-PTL.patch")
        XCTAssertTrue(still.contains("""

            After this change the notifier call in spin_zap() still runs in atomic
            context: page->anon_vma->lock (spinlock, taken in spin_walk()) is held
            there (notifysplit audit, callers followed 2 deep).

            """), still)
        let free = try read("0002-mm-macro-notify-secondary-MMUs-after-the-PTL-unlock.patch")
        XCTAssertFalse(free.contains("atomic"), free)
        let cover = try read("0000-cover-letter.patch")
        XCTAssertTrue(cover.contains("""
            Still in atomic context after this series (notifysplit audit, callers
            followed 2 deep): the notifier call of each function below runs with
            these locks held, each on the paths through the function that takes it.

            - mm/convert_spin.c, spin_zap(): page->anon_vma->lock (spinlock, taken
              in spin_walk())

            """), cover)
        XCTAssertFalse(cover.contains("macro_zap(): "), cover)
        for name in try FileManager.default.contentsOfDirectory(atPath: output) where name.hasSuffix(".patch") {
            let text = try read(name)
            // No claim that a notifier may now sleep, in any message.
            XCTAssertFalse(text.contains("may now sleep") || text.contains("can now sleep")
                           || text.contains("may sleep now"), name)
            // Kernel style: message lines within 75 columns.
            let message = text.components(separatedBy: "\n---\n").first ?? ""
            for line in message.split(separator: "\n") where !line.hasPrefix("Subject:") && !line.hasPrefix(" ") {
                XCTAssertLessThanOrEqual(line.count, 75, "\(name): \(line)")
            }
        }
        // --audit-depth 0 leaves the audit out: no paragraph.
        let plain = try makeTemporaryDirectory(self) + "/series"
        XCTAssertEqual(try runTool(["convert", fixture("audit"), "-o", plain, "--from", goldenAuthor, "--date", goldenDate,
                                    "--audit-depth", "0"]).status, 0)
        XCTAssertFalse(try String(contentsOfFile: plain + "/0000-cover-letter.patch", encoding: .utf8)
            .contains("atomic context"))
    }
}
