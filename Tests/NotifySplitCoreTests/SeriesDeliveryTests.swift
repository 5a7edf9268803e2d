import Foundation
@testable import NotifySplitCore
import XCTest

/// What a series needs to be sent and applied: patches git itself would
/// write byte for byte.
final class SeriesDeliveryTests: XCTestCase {
    func run(_ arguments: [String], home: String? = nil, environment: [String: String] = [:]) throws -> ToolRun {
        try runIsolated(arguments, self, home: home, environment: environment)
    }

    func git(_ arguments: [String], in directory: String, home: String? = nil) throws {
        try runGit(arguments, in: directory, home: home)
    }

    func header(_ name: String, in mbox: String) -> [String] { headerValues(name, in: mbox) }

    /// A copy of the 2.6 fixture tree outside any git repository.
    func tree() throws -> String { try copyFixture("tree-2.6", self) }

    let date = ["--date", "2026-01-01"]

    // MARK: git as the oracle

    /// The patches are what git itself writes: applied with git am and
    /// written again with git format-patch (zero commit, 12-digit ids as
    /// the kernel configures core.abbrev, the same signature), every patch
    /// comes out byte for byte — CRLF and Latin-1 files, a non-ASCII
    /// author, folded subjects and Cc: lines included.
    func testGitFormatPatchWritesTheSameBytes() throws {
        for (name, extra) in [("tree", [] as [String]), ("tree-2.6", ["--from", "Jérôme Glisse <j@example.org>"])] {
            let source = try copyFixture(name, self)
            let output = try makeTemporaryDirectory(self) + "/series"
            let result = try run(["convert", source, "-o", output, "-s", "--date", "2026-01-01 10:00:00 +0100",
                                  "--from", "A U Thor <author@example.org>"] + extra)
            XCTAssertEqual(result.status, 0, result.stderr)
            let patches = try FileManager.default.contentsOfDirectory(atPath: output).filter {
                $0.hasSuffix(".patch") && $0 != "0000-cover-letter.patch"
            }.sorted()
            XCTAssertFalse(patches.isEmpty)
            let home = try makeTemporaryDirectory(self)
            try git(["init", "-q"], in: source, home: home)
            try git(["add", "-A"], in: source, home: home)
            try git(["-c", "user.name=B", "-c", "user.email=b@example.org", "commit", "-qm", "base"], in: source,
                    home: home)
            for patch in patches {
                try git(["-c", "user.name=B", "-c", "user.email=b@example.org", "am", "-q", "--keep-cr",
                         output + "/" + patch], in: source, home: home)
            }
            let again = try makeTemporaryDirectory(self)
            try git(["format-patch", "-q", "--zero-commit", "--abbrev=12", "--signature=notifysplit \(ToolVersion.current)",
                     "-o", again, "HEAD~\(patches.count)"], in: source, home: home)
            let written = try FileManager.default.contentsOfDirectory(atPath: again).sorted()
            XCTAssertEqual(written, patches, name)
            for patch in patches {
                let ours = try Data(contentsOf: URL(fileURLWithPath: output + "/" + patch))
                let gits = try Data(contentsOf: URL(fileURLWithPath: again + "/" + patch))
                XCTAssertTrue(ours == gits, "\(name)/\(patch):\n\(String(decoding: gits, as: UTF8.self))")
            }
        }
    }
}
