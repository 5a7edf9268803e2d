import Foundation
import XCTest

/// The `notifysplit` command as a user meets it: exit statuses and the one
/// sentence a bad input gets. (`make test` builds the binary first.)
final class CommandLineTests: XCTestCase {
    func run(_ arguments: [String], asUnprivilegedUser: Bool = false) throws -> ToolRun {
        try runTool(arguments, asUnprivilegedUser: asUnprivilegedUser)
    }

    /// A copy of Fixtures/tree in a fresh temporary directory.
    func copyOfFixtureTree() throws -> String {
        let directory = try makeTemporaryDirectory(self)
        try FileManager.default.copyItem(atPath: fixture("tree"), toPath: directory + "/tree")
        chmod(directory, 0o755)
        return directory + "/tree"
    }

    func testScanOfFixtureTreeIsCompleteAndCompilerStyle() throws {
        let result = try run(["scan", fixture("tree")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("mm/straight.c:13:10: ptep_clear_flush_notify in zap_one_pte\n"))
        XCTAssertTrue(result.stdout.hasSuffix("22 files scanned, 18 candidate files, 17 parsed, 20 sites, 0 parse problems\n"))
        XCTAssertEqual(result.stderr, "", "no progress line when stderr is not a terminal")
    }

    func testDamagedTreeExitsThree() throws {
        let result = try run(["scan", fixture("damaged")])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stdout.contains("[not-analysable]"))
    }

    func testBadInputGetsOneSentenceAndStatusTwo() throws {
        let directory = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory + "/empty", withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: directory + "/file.c", contents: Data("int x;\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: directory + "/loop", withDestinationPath: "loop")
        let noHeader = directory + "/noheader"
        try FileManager.default.createDirectory(atPath: noHeader, withIntermediateDirectories: false)
        try "VERSION = 6\nPATCHLEVEL = 12\n".write(toFile: noHeader + "/Makefile", atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            (directory + "/missing", "no such file or directory"),
            (directory + "/file.c", "not a directory; give the top directory of a kernel tree"),
            (directory + "/empty", "not a kernel tree (no readable top-level Makefile)"),
            (noHeader, "kernel 6.12.0 has no include/linux/mmu_notifier.h; nothing to convert"),
            (directory + "/loop", "a symbolic link that does not resolve (dangling or a loop)"),
        ]
        for (path, message) in cases {
            let result = try run(["scan", path])
            XCTAssertEqual(result.status, 2, path)
            XCTAssertEqual(result.stderr, "notifysplit: \(path): \(message)\n")
            XCTAssertEqual(result.stdout, "")
        }
        let usage = try run(["scan"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("Missing expected argument '<tree>'"))
    }

    func testSymlinkLoopInsideTheTreeIsNotFollowed() throws {
        let tree = try copyOfFixtureTree()
        try FileManager.default.createSymbolicLink(atPath: tree + "/mm/loop", withDestinationPath: "../mm")
        let result = try run(["scan", tree])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("20 sites"))
    }

    func testUnreadableFileMakesTheScanIncompleteAndIsNamed() throws {
        let tree = try copyOfFixtureTree()
        XCTAssertEqual(chmod(tree + "/mm/branch.c", 0), 0)
        let result = try run(["scan", tree], asUnprivilegedUser: true)
        XCTAssertEqual(result.status, 3, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("mm/branch.c: problem: unreadable: cannot open "),
                      result.stdout)
        XCTAssertTrue(result.stdout.contains("Permission denied"))
    }

    func testBinaryFileWithNULBytesIsHarmless() throws {
        let tree = try copyOfFixtureTree()
        var bytes = [UInt8](repeating: 0, count: 4096)
        bytes += Array("ptep_clear_flush_notify".utf8) + [0, 0xFF, 0xFE]
        FileManager.default.createFile(atPath: tree + "/mm/blob.c", contents: Data(bytes))
        let result = try run(["scan", tree])
        // Not C at all: the name is reported, never silently dropped, and
        // the scan says it is incomplete.
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stdout.contains("mm/blob.c:1:4097: ptep_clear_flush_notify in <no function> "
                                             + "[not-analysable]: ptep_clear_flush_notify is not expanded here "
                                             + "and the file has errors\n"),
                      result.stdout)
        XCTAssertTrue(result.stdout.contains("mm/straight.c:13:10: ptep_clear_flush_notify in zap_one_pte\n"),
                      "the other files are still analysed")
    }
}

/// `notifysplit convert` as a user runs it.
final class ConvertCommandLineTests: XCTestCase {
    func run(_ arguments: [String]) throws -> ToolRun {
        try runTool(arguments)
    }

    let identity = ["--from", "A U Thor <author@example.org>", "-s", "--date", "2026-01-01"]

    func testWritesTheSeriesAndSaysWhatItDid() throws {
        let output = try makeTemporaryDirectory(self) + "/series"
        let result = try run(["convert", fixture("tree"), "-o", output] + identity)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("mm/straight.c:13:10: ptep_clear_flush_notify in zap_one_pte: convert (patch 8)\n"))
        XCTAssertTrue(result.stdout.hasSuffix("20 sites: 9 converted, 11 refused; 9 patch(es)\n"), result.stdout)
        let files = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        XCTAssertEqual(files.first, "0000-cover-letter.patch")
        XCTAssertEqual(files.count, 11)
        XCTAssertTrue(files.contains("refusals.tsv"))
        let golden = repositoryRoot.appendingPathComponent("Tests/NotifySplitCoreTests/Golden/series-tree").path
        for file in files {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output + "/" + file)),
                           try Data(contentsOf: URL(fileURLWithPath: golden + "/" + file)), file)
        }
    }

    func testRefusesANonEmptyOutputDirectoryUnlessForced() throws {
        let output = try makeTemporaryDirectory(self)
        FileManager.default.createFile(atPath: output + "/keep", contents: Data("x".utf8))
        let refused = try run(["convert", fixture("tree"), "-o", output] + identity)
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(refused.stderr, "notifysplit: \(output): exists and is not empty (use --force to replace it)\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/keep"))
        let forced = try run(["convert", fixture("tree"), "-o", output, "--force"] + identity)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + "/keep"))
    }

    func testRefusesAnOutputDirectoryInsideTheTree() throws {
        let tree = try copyFixture("tree", self)
        let result = try run(["convert", tree, "-o", tree + "/out"] + identity)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.hasSuffix("the output directory is inside the tree; write the series elsewhere\n"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: tree + "/out"))
    }

    func testInPlaceWritesExactlyTheSeries() throws {
        let tree = try copyFixture("tree", self)
        chmod(tree + "/mm/straight.c", 0o640)
        let result = try run(["convert", tree, "--in-place"] + identity)
        XCTAssertEqual(result.status, 0, result.stderr)
        let (_, series) = try convertTree(fixture("tree"))
        for (path, bytes) in series.finalFiles {
            XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: tree + "/" + path)) == Data(bytes), path)
        }
        var info = stat()
        stat(tree + "/mm/straight.c", &info)
        XCTAssertEqual(info.st_mode & 0o777, 0o640, "the file's mode is kept")
        let again = try run(["convert", tree, "--stdout"] + identity)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("Subject: [PATCH] mm: notify"), again.stdout)
        XCTAssertFalse(again.stdout.contains("[PATCH 1/"), "nothing left to convert")
    }

    func testNeedsExactlyOneTarget() throws {
        let result = try run(["convert", fixture("tree")])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("give exactly one of -o DIR, --stdout, --in-place"))
    }
}
