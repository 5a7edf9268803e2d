import Foundation
@testable import NotifySplitCore
import XCTest

/// `notifysplit audit` on Fixtures/audit-arch: callers in files whose parse
/// stops on a missing header. A header only another architecture's tree
/// provides makes the file another architecture's (a note, exit 0); a
/// header no architecture provides stays a problem (exit 3). Expected
/// output written before running the tool.
final class AuditArchitectureTests: XCTestCase {
    /// Input: Fixtures/audit-arch/built-elsewhere: mm/zap.c's zap_one() is
    /// called by mm/plain.c (no lock), by fs/binfmt_other.c, which includes
    /// <asm/onlyother.h> (only arch/otherarch/include/asm has it), and by
    /// drivers/board/board_zap.c, which includes <mach/board.h> (only
    /// arch/otherarch/mach-board/include/mach has it); zap_one() is also
    /// registered as zap_ops.zap, which drivers/board/board_walk.c (also
    /// needing <mach/board.h>) calls through: noted too.
    /// Command: notifysplit audit Fixtures/audit-arch/built-elsewhere
    func testAFileNeedingAnotherArchitecturesHeaderIsNotedNotAProblem() throws {
        let run = try runTool(["audit", fixture("audit-arch/built-elsewhere")])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "mm/zap.c:15:2: zap_one(): mmu_notifier_invalidate_page: sleepable (1 chain)",
                       run.stdout)
        XCTAssertFalse(run.stdout.contains("problem:"), run.stdout)
        XCTAssertEqual(lines.filter { $0.hasPrefix("note:") }, [
            "note: drivers/board/board_walk.c calls through .zap, where zap_one() is registered, but is not "
                + "followed: another architecture's file: it includes <mach/board.h>, which only machine "
                + "directories of otherarch provide (arch/otherarch/mach-board)",
            "note: drivers/board/board_zap.c uses zap_one() but is not followed: another architecture's file: it "
                + "includes <mach/board.h>, which only machine directories of otherarch provide "
                + "(arch/otherarch/mach-board)",
            "note: fs/binfmt_other.c uses zap_one() but is not followed: another architecture's file: it includes "
                + "<asm/onlyother.h>, which only otherarch provides",
        ], run.stdout)
    }

    /// Input: Fixtures/audit-arch/missing-everywhere: the same tree and one
    /// more caller, drivers/nowhere/nowhere_zap.c, including
    /// <asm/nowhere.h>, which no architecture has.
    /// Command: notifysplit audit Fixtures/audit-arch/missing-everywhere
    func testAHeaderNoArchitectureProvidesStaysAProblem() throws {
        let run = try runTool(["audit", fixture("audit-arch/missing-everywhere")])
        XCTAssertEqual(run.status, 3, run.stdout + run.stderr)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first,
                       "mm/zap.c:14:2: zap_one(): mmu_notifier_invalidate_page: sleepable: unknown (1 chain)",
                       run.stdout)
        XCTAssertEqual(lines.filter { $0.hasPrefix("problem:") }, [
            "problem: drivers/nowhere/nowhere_zap.c: libclang reported a fatal error: "
                + fixture("audit-arch/missing-everywhere") + "/drivers/nowhere/nowhere_zap.c:6:10: error: "
                + "'asm/nowhere.h' file not found",
        ], run.stdout)
        XCTAssertTrue(lines.contains("    unknown: drivers/nowhere/nowhere_zap.c mentions zap_one() but could not be "
                                     + "parsed (libclang reported a fatal error: "
                                     + fixture("audit-arch/missing-everywhere")
                                     + "/drivers/nowhere/nowhere_zap.c:6:10: error: 'asm/nowhere.h' file not found)"),
                      run.stdout)
        XCTAssertEqual(lines.filter { $0.hasPrefix("note:") }.count, 2, run.stdout)
    }

    // MARK: The rule itself

    func testTheMissingHeaderOfLibclangsMessage() {
        XCTAssertEqual(OtherArchitectureHeader.missingHeader(inMessage: "'asm/flat.h' file not found"), "asm/flat.h")
        XCTAssertNil(OtherArchitectureHeader.missingHeader(inMessage: "unknown type name 'pte_t'"))
    }

    /// The configuration's architecture is read from its include
    /// directories; a header it provides, or one found through them, is
    /// never another architecture's.
    func testAHeaderTheConfigurationHasIsNeverAnotherArchitectures() throws {
        let tree = try KernelTree(path: fixture("audit-arch/built-elsewhere"))
        let x86 = ["-I", tree.absolute("arch/x86/include"), "-Iinclude"]
        XCTAssertEqual(OtherArchitectureHeader.find(missing: "asm/onlyother.h", tree: tree, arguments: x86)?
            .architectures, ["otherarch"])
        XCTAssertNil(OtherArchitectureHeader.find(missing: "asm/page.h", tree: tree, arguments: x86))
        XCTAssertNil(OtherArchitectureHeader.find(missing: "asm/nowhere.h", tree: tree, arguments: x86))
        let other = ["-I" + tree.absolute("arch/otherarch/include")]
        XCTAssertNil(OtherArchitectureHeader.find(missing: "asm/onlyother.h", tree: tree, arguments: other))
        // No architecture among the include directories: cannot tell.
        XCTAssertNil(OtherArchitectureHeader.find(missing: "asm/onlyother.h", tree: tree, arguments: ["-Iinclude"]))
        let machine = ["-I" + tree.absolute("arch/otherarch/include"),
                       "-I" + tree.absolute("arch/otherarch/mach-board/include")]
        XCTAssertNil(OtherArchitectureHeader.find(missing: "mach/board.h", tree: tree, arguments: machine))
        XCTAssertEqual(OtherArchitectureHeader.find(missing: "mach/board.h", tree: tree,
                                                    arguments: ["-I" + tree.absolute("arch/otherarch/include")])?
            .sameArchitecture, true)
        XCTAssertNil(OtherArchitectureHeader.find(missing: "mach/nowhere.h", tree: tree, arguments: x86))
    }
}
