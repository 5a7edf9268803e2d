import Foundation
@testable import NotifySplitCore
import XCTest

/// The audit's facts kept between runs (`FileFactsCache`): a warm audit
/// reads each file's facts instead of parsing it, and answers as a run
/// without caches does — also after a header behind a cached preamble
/// changed.
final class FileFactsCacheTests: XCTestCase {
    /// A copy of Fixtures/audit and a private cache folder, with the
    /// caches on and the profile's notes (which say where facts came from).
    private func setUp(_ test: XCTestCase) throws -> (tree: String, environment: [String: String]) {
        let tree = try copyFixture("audit", test)
        let environment = ["XDG_CACHE_HOME": try makeTemporaryDirectory(test), "NOTIFYSPLIT_NO_CACHE": "",
                           "NOTIFYSPLIT_PROFILE": "1"]
        return (tree, environment)
    }

    /// Input: Fixtures/audit.
    /// Command: notifysplit audit TREE, three times with one cache folder,
    /// and once with no cache.
    /// Expected: the first run parses every file and keeps its facts; the
    /// second reads every file's facts from the cache (no parse, no
    /// preamble) and prints what the first printed, which is what a run
    /// without caches prints.
    func testAWarmAuditReadsTheFactsAndAnswersAsAColdOne() throws {
        let (tree, environment) = try setUp(self)
        let cold = try runTool(["audit", tree], environment: environment)
        XCTAssertEqual(cold.status, 0, cold.stderr)
        XCTAssertFalse(cold.stderr.contains("from the cache"), cold.stderr)
        XCTAssertFalse(cold.stderr.contains("not kept"), cold.stderr)
        let warm = try runTool(["audit", tree], environment: environment)
        XCTAssertEqual(warm.stdout, cold.stdout)
        XCTAssertTrue(warm.stderr.contains("facts of mm/rmap_mutex.c from the cache"), warm.stderr)
        XCTAssertTrue(warm.stderr.contains("facts of kernel/outside.c from the cache"), warm.stderr)
        XCTAssertFalse(warm.stderr.contains("preamble"), warm.stderr)
        let uncached = try runTool(["audit", tree])
        XCTAssertEqual(uncached.stdout, cold.stdout)
    }

    /// Input: Fixtures/audit, then include/linux/mm.h edited behind the
    /// cache: `struct address_space`'s i_mmap_mutex declared `spinlock_t`
    /// instead of `struct mutex`. mm.h is read by every file's preamble, so
    /// only the preamble's manifest, kept with the facts, can tell.
    /// Command: notifysplit audit TREE (cold, warm), edit, audit TREE.
    /// Expected: the lock's kind is read from its declaration, so the file
    /// walker's call becomes atomic:
    ///     mm/rmap_mutex.c:28:2: unmap_file_one(): mmu_notifier_invalidate_page: not sleepable (1 chain)
    ///         mapping->i_mmap_mutex (spinlock, atomic) taken in rmap_walk_file() by mutex_lock() at …
    /// and the whole output is a run's without caches on the edited tree.
    func testAHeaderChangedBehindTheCacheIsReadAgain() throws {
        let (tree, environment) = try setUp(self)
        _ = try runTool(["audit", tree], environment: environment)
        let before = try runTool(["audit", tree], environment: environment)
        XCTAssertTrue(before.stdout.contains(
            "mm/rmap_mutex.c:28:2: unmap_file_one(): mmu_notifier_invalidate_page: sleepable (1 chain)"),
            before.stdout)

        let header = tree + "/include/linux/mm.h"
        let text = try String(contentsOfFile: header, encoding: .utf8)
        XCTAssertTrue(text.contains("\tstruct mutex i_mmap_mutex;\n"))
        try text.replacingOccurrences(of: "\tstruct mutex i_mmap_mutex;\n", with: "\tspinlock_t i_mmap_mutex;\n")
            .write(toFile: header, atomically: false, encoding: .utf8)

        let after = try runTool(["audit", tree], environment: environment)
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertTrue(after.stdout.contains("""
            mm/rmap_mutex.c:28:2: unmap_file_one(): mmu_notifier_invalidate_page: not sleepable (1 chain)
                mapping->i_mmap_mutex (spinlock, atomic) taken in rmap_walk_file() by mutex_lock() at mm/rmap_mutex.c:38: rmap_walk_file():40 -> unmap_file_one():28
            """), after.stdout)
        XCTAssertFalse(after.stderr.contains("facts of mm/rmap_mutex.c from the cache"), after.stderr)
        let uncached = try runTool(["audit", tree])
        XCTAssertEqual(after.stdout, uncached.stdout)
    }

    /// Input: Fixtures/audit, then mm/rmap_mutex.c edited behind the cache
    /// (rmap_walk_file() takes no lock around its walk).
    /// Command: notifysplit audit TREE (cold), edit, audit TREE.
    /// Expected: the edited file is parsed again and its calls are
    /// sleepable with no chain holding a lock; the others' facts come from
    /// the cache; the output is a run's without caches.
    func testAFileChangedBehindTheCacheIsParsedAgain() throws {
        let (tree, environment) = try setUp(self)
        _ = try runTool(["audit", tree], environment: environment)
        let file = tree + "/mm/rmap_mutex.c"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\tmutex_lock(&mapping->i_mmap_mutex);\n", with: "\n")
            .replacingOccurrences(of: "\tmutex_unlock(&mapping->i_mmap_mutex);\n", with: "\n")
        XCTAssertNotEqual(edited, text)
        try edited.write(toFile: file, atomically: false, encoding: .utf8)

        let after = try runTool(["audit", tree], environment: environment)
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertFalse(after.stdout.contains("mapping->i_mmap_mutex (mutex) taken in rmap_walk_file()"), after.stdout)
        XCTAssertFalse(after.stderr.contains("facts of mm/rmap_mutex.c from the cache"), after.stderr)
        XCTAssertTrue(after.stderr.contains("facts of mm/rmap_spin.c from the cache"), after.stderr)
        let uncached = try runTool(["audit", tree])
        XCTAssertEqual(after.stdout, uncached.stdout)
    }
}
