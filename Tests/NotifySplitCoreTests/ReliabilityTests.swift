import Foundation
import FuzzSupport
@testable import NotifySplitCore
import XCTest

/// Nothing lost, nothing half-written: full disks, read-only and
/// unreadable places, files changing underfoot, runs side by side, and
/// byte exactness on generated inputs.
final class ReliabilityTests: XCTestCase {
    let identity = ["--from", "A U Thor <author@example.org>", "-s", "--date", "2026-01-01"]

    /// The tool's temporary entries in `directory` (its TMPDIR in a test).
    func temporaryEntries(_ directory: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("notifysplit-config.") || $0.hasPrefix(".notifysplit-series.") })
    }

    func testDiskFullLeavesNoPartialSeries() throws {
        let parent = try makeTemporaryDirectory(self)
        let result = try runTool(["convert", fixture("tree"), "-o", parent + "/series"] + identity,
                                 environment: ["NOTIFYSPLIT_FAIL_WRITE_AFTER": "3"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "notifysplit: \(parent)/series: cannot write the series (No space left on device)\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), [], "no series, no temporary left")
    }

    func testInPlaceFailingPartwayNamesWhatItWrote() throws {
        let tree = try copyFixture("tree", self)
        let (_, series) = try convertTree(fixture("tree"))
        let result = try runTool(["convert", tree, "--in-place"] + identity,
                                 environment: ["NOTIFYSPLIT_FAIL_WRITE_AFTER": "2"])
        XCTAssertEqual(result.status, 2)
        let written = series.finalFiles.keys.sorted().prefix(2)
        XCTAssertTrue(result.stderr.contains("written before it: " + written.joined(separator: ", ")), result.stderr)
        for (path, final) in series.finalFiles {
            let now = Array(try Data(contentsOf: URL(fileURLWithPath: tree + "/" + path)))
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: fixture("tree/" + path))))
            XCTAssertTrue(now == final || now == original, "\(path) is either old or new")
            XCTAssertEqual(now == final, written.contains(path), path)
        }
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: tree + "/mm")
                        .contains { $0.hasSuffix(".notifysplit-tmp") }, "no temporary left in the tree")
    }

    func testAFileChangedSinceItWasReadIsNotTouched() throws {
        let tree = try copyFixture("tree", self)
        let (conversion, series) = try convertTree(tree)
        try "/* edited meanwhile */\n".write(toFile: tree + "/mm/straight.c", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SeriesWriter(series: series, conversion: conversion).applyInPlace()) { error in
            XCTAssertEqual("\(error)", "mm/straight.c changed on disk since it was read; nothing written")
        }
        let untouched = try Data(contentsOf: URL(fileURLWithPath: tree + "/mm/branch.c"))
        XCTAssertEqual(untouched, try Data(contentsOf: URL(fileURLWithPath: fixture("tree/mm/branch.c"))))
    }

    func testReadOnlyOutputPlaceIsAClearError() throws {
        // The input is a world-readable copy: nobody may not reach the
        // checkout (a 0700 home or mktemp -d directory above it).
        let tree = try copyFixture("tree", self)
        let parent = try makeTemporaryDirectory(self)
        chmod(parent, 0o555)
        defer { chmod(parent, 0o755) }
        let result = try runTool(["convert", tree, "-o", parent + "/series"] + identity,
                                 asUnprivilegedUser: true)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("notifysplit: \(parent): cannot create a temporary directory"),
                      result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), [])
    }

    func testUnreadableDirectoryIsNamedAndTheScanIncomplete() throws {
        let tree = try copyFixture("tree", self)
        chmod(tree + "/mm", 0)
        defer { chmod(tree + "/mm", 0o755) }
        let result = try runTool(["scan", tree], asUnprivilegedUser: true)
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stdout.contains("mm: problem: unreadable: Permission denied"), result.stdout)
    }

    /// Two runs on one tree at once: both succeed, the series are equal,
    /// and neither leaves a temporary file behind.
    func testTwoRunsAtOnceAgreeAndCleanUp() throws {
        // A TMPDIR of this test's own: other processes on the machine (other
        // test runs) come and go in the shared one.
        let temporary = try makeTemporaryDirectory(self)
        let parent = try makeTemporaryDirectory(self)
        let results = ResultsBox()
        let identity = self.identity
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let run = try? runTool(["convert", fixture("tree"), "-o", parent + "/s\(i)"] + identity,
                                   environment: ["TMPDIR": temporary])
            results.set(i, run)
        }
        for i in 0..<2 { XCTAssertEqual(results.get(i)?.status, 0, results.get(i)?.stderr ?? "did not run") }
        let files = try FileManager.default.contentsOfDirectory(atPath: parent + "/s0").sorted()
        XCTAssertEqual(files, try FileManager.default.contentsOfDirectory(atPath: parent + "/s1").sorted())
        for file in files {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: parent + "/s0/" + file)),
                           try Data(contentsOf: URL(fileURLWithPath: parent + "/s1/" + file)), file)
        }
        XCTAssertEqual(try temporaryEntries(temporary), [], "temporary directories are removed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent).sorted(), ["s0", "s1"],
                       "no temporary left beside the series")
    }

    /// A run that stops early — an output place it cannot use, a full
    /// disk, an interruption — removes its generated headers too.
    func testFailingRunsLeaveNoTemporaryDirectory() throws {
        let temporary = try makeTemporaryDirectory(self)
        let environment = ["TMPDIR": temporary]
        let occupied = try makeTemporaryDirectory(self)
        FileManager.default.createFile(atPath: occupied + "/file", contents: Data())
        let refused = try runTool(["convert", fixture("tree"), "-o", occupied] + identity, environment: environment)
        XCTAssertEqual(refused.status, 2, refused.stderr)
        let full = try runTool(["convert", fixture("tree"), "-o", try makeTemporaryDirectory(self) + "/s"] + identity,
                               environment: environment.merging(["NOTIFYSPLIT_FAIL_WRITE_AFTER": "1"]) { $1 })
        XCTAssertEqual(full.status, 2, full.stderr)
        let interrupted = try runTool(["convert", try copyFixture("tree", self), "--in-place"],
                                      environment: environment.merging(["NOTIFYSPLIT_INTERRUPT_AFTER": "1"]) { $1 })
        XCTAssertEqual(interrupted.status, 130, interrupted.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [])
    }

    /// Generated variants of one fixture file — CRLF, trailing white space,
    /// no final newline, form feeds, non-UTF-8 bytes in comments — convert
    /// the same way, and every byte outside the edited ranges survives.
    func testByteExactnessOnGeneratedInputs() throws {
        let original = try fixtureBytes("tree/mm/straight.c")
        var generator = SplitMix(seed: 20261129)
        for variant in 0..<24 {
            let tree = try copyFixture("tree", self)
            var bytes = original
            let junk: [UInt8] = [0xFF, 0xFE, 0x0C, 0xE9, 0x80, 0x20, 0x09]
            var comment = Array("\n/* ".utf8)
            for _ in 0..<(5 + Int(generator.next() % 20)) { comment.append(junk[Int(generator.next() % UInt64(junk.count))]) }
            comment += Array(" */ \t\n\u{0C}\n".utf8)
            bytes.insert(contentsOf: comment, at: bytes.firstIndex(of: UInt8(ascii: "#"))!)
            if variant % 2 == 1 {                                   // CRLF line ends
                bytes = bytes.flatMap { $0 == .newline ? [.carriageReturn, .newline] : [$0] }
            }
            if variant % 3 == 1, bytes.last == .newline {           // no final newline
                bytes.removeLast()
                if bytes.last == .carriageReturn { bytes.removeLast() }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: tree + "/mm/straight.c"))
            let (conversion, series) = try convertTree(tree)
            let file = try XCTUnwrap(conversion.files.first { $0.path == "mm/straight.c" }, "variant \(variant)")
            XCTAssertEqual(conversion.decisions.first { $0.site.path == "mm/straight.c" }?.verdict, .unguarded,
                           "variant \(variant)")
            let final = try XCTUnwrap(series.finalFiles["mm/straight.c"])
            var position = 0, output = 0
            for edit in file.allEdits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                let untouched = edit.range.lowerBound - position
                XCTAssertEqual(final[output..<(output + untouched)], bytes[position..<edit.range.lowerBound],
                               "variant \(variant)")
                output += untouched + edit.replacement.count
                position = edit.range.upperBound
            }
            XCTAssertEqual(Array(final[output...]), Array(bytes[position...]), "variant \(variant)")
            if variant % 2 == 1 {
                XCTAssertFalse(final.indices.contains { final[$0] == .newline && final[$0 - 1] != .carriageReturn },
                               "variant \(variant): CRLF kept in the added lines")
            }
        }
    }
}

private final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: ToolRun] = [:]
    func set(_ i: Int, _ value: ToolRun?) { lock.lock(); values[i] = value; lock.unlock() }
    func get(_ i: Int) -> ToolRun? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

/// The fuzz seed corpus — the fixture tree's functions — goes through
/// the fuzz harness (scan + convert + series consistency + the metamorphic
/// oracle, all of it on each seed, one transformation and one mutation on
/// each of its deterministic token-level mutants), as `make fuzz` does.
final class FuzzCorpusTests: XCTestCase {
    func testSeedCorpusAndMutantsRunClean() throws {
        let harness = try FuzzHarness()
        var generator = SplitMix(seed: 7)
        let directory = fixture("tree/mm")
        let inputs = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertGreaterThan(inputs.count, 10)
        for input in inputs {
            let bytes = try fixtureBytes("tree/mm/" + input)
            harness.depth = .all
            for problem in harness.check(bytes) { XCTFail("\(input): \(problem)") }
            harness.depth = .one
            for n in 0..<4 {
                let mutant = TokenMutator.mutate(bytes, using: &generator)
                for problem in harness.check(mutant) { XCTFail("\(input), mutant \(n): \(problem)") }
            }
        }
        let checked = harness.statistics.filter { $0.key.hasSuffix("sites checked") }.values.reduce(0, +)
        XCTAssertGreaterThan(checked, 100, "the oracle checked too little: \(harness.statistics)")
    }
}

/// Interrupted and oversized inputs.
final class InterruptionAndSizeTests: XCTestCase {
    /// SIGINT between two files of --in-place: those written are new,
    /// the others old, and the message lists both.
    func testInterruptedInPlaceLeavesEveryFileOldOrNew() throws {
        let tree = try copyFixture("tree", self)
        let (_, series) = try convertTree(fixture("tree"))
        let result = try runTool(["convert", tree, "--in-place"],
                                 environment: ["NOTIFYSPLIT_INTERRUPT_AFTER": "3"])
        XCTAssertEqual(result.status, 130, result.stderr)
        let written = Array(series.finalFiles.keys.sorted().prefix(3))
        XCTAssertTrue(result.stderr.hasPrefix("notifysplit: interrupted; written: " + written.joined(separator: ", ")),
                      result.stderr)
        for (path, final) in series.finalFiles {
            let now = Array(try Data(contentsOf: URL(fileURLWithPath: tree + "/" + path)))
            XCTAssertEqual(now == final, written.contains(path), path)
            if !written.contains(path) {
                XCTAssertEqual(now, Array(try Data(contentsOf: URL(fileURLWithPath: fixture("tree/" + path)))), path)
            }
        }
    }

    /// A 50 MB generated .c file: read and lexed once, never parsed (its
    /// only mention is in a comment), and the scan stays correct.
    func testFiftyMegabyteGeneratedFile() throws {
        let tree = try copyFixture("tree", self)
        var text = [UInt8]()
        text.reserveCapacity(50 << 20)
        let line = Array("static const unsigned long generated_table_entry_0000000 = 0x0123456789abcdefUL;\n".utf8)
        while text.count < 50 << 20 { text += line }
        text += Array("/* no call to ptep_clear_flush_notify() here */\n".utf8)
        try Data(text).write(to: URL(fileURLWithPath: tree + "/mm/generated.c"))
        let scan = try scanTree(tree)
        XCTAssertFalse(scan.sites.contains { $0.path == "mm/generated.c" })
        XCTAssertEqual(scan.mentions.filter { $0.path == "mm/generated.c" }.count, 1)
        XCTAssertTrue(scan.isComplete)
    }

    /// A header whose macros are not in a form the model understands: the
    /// sites are refused with that reason, nothing is converted.
    func testMalformedHeaderMacrosAreRefusedNotGuessed() throws {
        let tree = try copyFixture("tree-2.6", self)
        let header = tree + "/include/linux/mmu_notifier.h"
        // Same meaning, other shape: comma expressions instead of ({ ... }).
        let text = """
            #ifndef _LINUX_MMU_NOTIFIER_H
            #define _LINUX_MMU_NOTIFIER_H
            #include <linux/mm.h>
            void mmu_notifier_invalidate_page(struct mm_struct *mm, unsigned long address);
            int mmu_notifier_clear_flush_young(struct mm_struct *mm, unsigned long address);
            #define ptep_clear_flush_notify(v, a, p) \\
            \t(mmu_notifier_invalidate_page((v)->vm_mm, a), ptep_clear_flush(v, a, p))
            #define ptep_clear_flush_young_notify(v, a, p) \\
            \t(ptep_clear_flush_young(v, a, p) | mmu_notifier_clear_flush_young((v)->vm_mm, a))
            #endif

            """
        try text.write(toFile: header, atomically: true, encoding: .utf8)
        let (conversion, series) = try convertTree(tree)
        XCTAssertEqual(conversion.decisions.map(\.verdict), [.refused, .refused])
        for decision in conversion.decisions {
            XCTAssertEqual(decision.rules, [.noNotifierForm], decision.reason)
        }
        XCTAssertTrue(series.patches.isEmpty)
    }
}

/// `--in-place` then `git diff` is exactly the series: reverting the
/// series' patches from the working tree leaves it clean.
final class InPlaceMatchesSeriesTests: XCTestCase {
    func testInPlaceThenGitDiffIsTheSeries() throws {
        let tree = try copyFixture("tree", self)
        let git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "core.autocrlf=false"]
        try shell(git + ["init", "-q"], in: tree)
        try shell(git + ["add", "-A"], in: tree)
        try shell(git + ["commit", "-qm", "base"], in: tree)
        let (_, series) = try convertTree(fixture("tree"))
        let result = try runTool(["convert", tree, "--in-place"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let (_, changed) = try shell(["git", "diff", "--name-only"], in: tree)
        XCTAssertEqual(changed.split(separator: "\n").map(String.init), series.finalFiles.keys.sorted())
        for (name, bytes) in series.rendered().dropFirst().reversed() {
            let (status, output) = try shell(git + ["apply", "-R", "-"], in: tree, input: Data(bytes))
            XCTAssertEqual(status, 0, "\(name): \(output)")
        }
        let (_, status) = try shell(["git", "status", "--porcelain"], in: tree)
        XCTAssertEqual(status, "", "reverting the series restores every byte")
    }
}

/// `--in-place` in a git work tree never writes over uncommitted work in
/// a file it would touch: it names the files and writes nothing, unless
/// `--force`.
final class InPlaceUncommittedChangesTests: XCTestCase {
    let git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "core.autocrlf=false"]

    /// A committed copy of the fixture tree (at the top of its repository,
    /// or in `subdirectory` of it).
    func committedTree(subdirectory: String? = nil) throws -> (repository: String, tree: String) {
        let repository = try makeTemporaryDirectory(self) + "/repo"
        let tree = subdirectory.map { repository + "/" + $0 } ?? repository
        try FileManager.default.createDirectory(atPath: (tree as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture("tree"), toPath: tree)
        try shell(git + ["init", "-q"], in: repository)
        try shell(git + ["add", "-A"], in: repository)
        try shell(git + ["commit", "-qm", "base"], in: repository)
        return (repository, tree)
    }

    func bytes(_ tree: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: tree + "/mm") {
            result[file] = try Data(contentsOf: URL(fileURLWithPath: tree + "/mm/" + file))
        }
        return result
    }

    func testUncommittedFilesItWouldTouchAreNamedAndNothingIsWritten() throws {
        let (repository, tree) = try committedTree()
        let unstaged = try String(contentsOfFile: tree + "/mm/branch.c", encoding: .utf8) + "/* work in progress */\n"
        try unstaged.write(toFile: tree + "/mm/branch.c", atomically: true, encoding: .utf8)
        let staged = try String(contentsOfFile: tree + "/mm/straight.c", encoding: .utf8) + "/* staged */\n"
        try staged.write(toFile: tree + "/mm/straight.c", atomically: true, encoding: .utf8)
        try shell(git + ["add", "mm/straight.c"], in: repository)
        let before = try bytes(tree)
        let result = try runTool(["convert", tree, "--in-place"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr, "notifysplit: mm/branch.c and mm/straight.c have uncommitted changes; commit or "
                       + "stash them first, or use --force to write over them; nothing written\n")
        XCTAssertEqual(try bytes(tree), before, "nothing written")
    }

    func testAnUntrackedFileIsUncommittedToo() throws {
        let (_, tree) = try committedTree(subdirectory: "kernel/linux")
        try shell(git + ["rm", "-q", "--cached", "mm/straight.c"], in: tree)
        let result = try runTool(["convert", tree, "--in-place"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("notifysplit: mm/straight.c has uncommitted changes; commit or stash it "
                                              + "first"), "a tree below the repository's top: \(result.stderr)")
    }

    func testChangesInOtherFilesDoNotStopIt() throws {
        let (_, tree) = try committedTree()
        try "/* notes */\n".write(toFile: tree + "/mm/comment_only.c", atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: tree + "/mm/untracked.txt", contents: Data("x\n".utf8))
        let result = try runTool(["convert", tree, "--in-place"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let (_, changed) = try shell(["git", "diff", "--name-only"], in: tree)
        XCTAssertTrue(changed.contains("mm/straight.c"), changed)
    }

    func testForceWritesOverThem() throws {
        let (_, tree) = try committedTree()
        let edited = try String(contentsOfFile: tree + "/mm/straight.c", encoding: .utf8) + "/* mine */\n"
        try edited.write(toFile: tree + "/mm/straight.c", atomically: true, encoding: .utf8)
        let result = try runTool(["convert", tree, "--in-place", "--force"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let now = try String(contentsOfFile: tree + "/mm/straight.c", encoding: .utf8)
        XCTAssertTrue(now.hasSuffix("/* mine */\n") && now.contains("mmu_notifier_invalidate_range("), now)
    }
}
