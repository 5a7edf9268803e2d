import Foundation
import XCTest

/// The `notifysplit` command as a user meets it: exit statuses and the one
/// sentence a bad input gets. (`make test` builds the binary first.)
final class CommandLineTests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: String {
        let directory = Bundle.main.executableURL!.deletingLastPathComponent()
        return directory.appendingPathComponent("notifysplit").path
    }

    func run(_ arguments: [String], asUnprivilegedUser: Bool = false) throws -> Run {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: Self.binary),
                      "build the tool first (make test does): \(Self.binary)")
        let process = Process()
        if asUnprivilegedUser && geteuid() == 0 {
            // root reads any file; drop to nobody so permissions bite.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
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
        XCTAssertTrue(result.stdout.hasSuffix("18 files scanned, 14 candidate files, 13 parsed, 15 sites, 0 parse problems\n"))
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
        XCTAssertTrue(result.stdout.contains("15 sites"))
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
