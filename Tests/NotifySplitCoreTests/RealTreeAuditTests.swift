import Foundation
@testable import NotifySplitCore
import XCTest

/// audit on Debian's linux-source-6.1 (NOTIFYSPLIT_TREE_6_1, set by `make
/// test`): every notifier call of the tree is reported, each with an
/// answer, and an atomic one with the chain that makes it so. One caller
/// up (--depth 1) keeps CI short; the default depth of 4 took about a
/// minute on this tree (2026-12-03), following more files.
final class RealTreeAuditTests: XCTestCase {
    func testDebian61ReportsEveryNotifierCallWithAnAtomicChain() throws {
        guard let path = ProcessInfo.processInfo.environment["NOTIFYSPLIT_TREE_6_1"], !path.isEmpty else {
            throw XCTSkip("NOTIFYSPLIT_TREE_6_1 is not set; `make test` fetches the Debian tree and sets it")
        }
        let run = try runTool(["audit", path, "--depth", "1", "--format", "json"])
        XCTAssertTrue(run.status == 0 || run.status == 3, run.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let calls = try XCTUnwrap(report["calls"] as? [[String: Any]])
        for call in calls {
            let sleepable = call["sleepable"]
            XCTAssertTrue(sleepable is Bool || sleepable as? String == "unknown", "\(call)")
        }

        // Every .c file where the token scan, independently, finds a notifier
        // name used in a function has reported calls, or the report names it
        // (not built in this configuration, or not parsed). A use inside an
        // #if branch the configuration leaves out is not a call of this
        // configuration, hence files, not lines.
        let tree = try KernelTree(path: path)
        let names = NotifierNames.learn(headerBytes: try FileBytes(path: tree.absolute(KernelTree.notifierHeader)).bytes)
        let scan = TreeTokenScan.run(tree: tree, names: names.allNames.sorted(), workers: defaultWorkerCount)
        let reportedFiles = Set(calls.compactMap { $0["path"] as? String })
        let named = ((report["notes"] as? [String]) ?? []) + ((report["problems"] as? [String]) ?? [])
        var files = 0
        for (file, hits) in scan.hits where file.hasSuffix(".c")
            && hits.contains(where: { $0.kind == .use && $0.function != nil && names.allNames.contains($0.name) }) {
            files += 1
            XCTAssertTrue(reportedFiles.contains(file) || named.contains { $0.hasPrefix(file) },
                          "\(file) uses a notifier but is not in the report")
        }
        XCTAssertGreaterThan(files, 10)
        // The four uses of the notify macros scan finds, each at its line.
        let macroCalls = Set(calls.filter { names.macros[$0["notifier"] as? String ?? ""] != nil }
            .map { "\($0["path"]!) \($0["function"]!) \($0["notifier"]!)" })
        XCTAssertTrue(macroCalls.isSuperset(of: [
            "kernel/events/uprobes.c __replace_page ptep_clear_flush_notify",
            "mm/memory.c wp_page_copy ptep_clear_flush_notify",
            "mm/migrate_device.c migrate_vma_insert_page ptep_clear_flush_notify",
            "mm/rmap.c folio_referenced_one ptep_clear_flush_young_notify",
        ]), "\(macroCalls)")

        // The young macro left in folio_referenced_one() runs under the page
        // table lock of its page_vma_mapped_walk(): not sleepable.
        let young = try XCTUnwrap(calls.first { $0["function"] as? String == "folio_referenced_one"
            && $0["notifier"] as? String == "ptep_clear_flush_young_notify" })
        XCTAssertEqual(young["sleepable"] as? Bool, false, "\(young)")

        // Some atomic call has a chain through a caller: the lock, its kind,
        // the function that took it, and the frames down to the call.
        let chained = calls.flatMap { call in
            ((call["held"] as? [[String: Any]]) ?? []).filter { held in
                held["atomic"] as? Bool == true && held["paths"] as? String == "all"
                    && ((held["chain"] as? [[String: Any]])?.count ?? 0) >= 2
                    && (held["chain"] as? [[String: Any]])?.last?["line"] as? Int == call["line"] as? Int
            }
        }
        XCTAssertFalse(chained.isEmpty, run.stdout)
        for held in chained {
            XCTAssertNotNil(held["kind"] as? String)
            XCTAssertEqual((held["chain"] as? [[String: Any]])?.first?["function"] as? String,
                           held["taken_in"] as? String)
        }
    }
}
