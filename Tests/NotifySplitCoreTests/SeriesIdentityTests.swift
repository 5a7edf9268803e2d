import Foundation
@testable import NotifySplitCore
import XCTest

/// Who signs a series and when, as git decides it: the author from
/// GIT_AUTHOR_*, the tree's or the global git config, or --from; -s;
/// every date form and SOURCE_DATE_EPOCH.
final class SeriesIdentityTests: XCTestCase {
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

    // MARK: Identity

    func testAuthorFromTheEnvironmentAsGitReadsIt() throws {
        let result = try run(["convert", try tree(), "--stdout"] + date,
                             environment: ["GIT_AUTHOR_NAME": "Env Author", "GIT_AUTHOR_EMAIL": "env@example.org"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Set(header("From", in: result.stdout)), ["Env Author <env@example.org>"])
        XCTAssertFalse(result.stdout.contains("Signed-off-by:"), "no -s: no trailer, as git format-patch")
    }

    func testAuthorFromTheTreesGitConfig() throws {
        let tree = try tree()
        try git(["init", "-q"], in: tree)
        try git(["config", "user.name", "Tree Author"], in: tree)
        try git(["config", "user.email", "tree@example.org"], in: tree)
        let result = try run(["convert", tree, "--stdout", "-s"] + date)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Set(header("From", in: result.stdout)), ["Tree Author <tree@example.org>"])
        XCTAssertEqual(header("Signed-off-by", in: result.stdout).count, 3, "-s signs each patch, not the cover")
        XCTAssertEqual(Set(header("Signed-off-by", in: result.stdout)), ["Tree Author <tree@example.org>"])
        // The environment wins over the config, as in git.
        let env = try run(["convert", tree, "--stdout"] + date, environment: ["GIT_AUTHOR_NAME": "Env Author"])
        XCTAssertEqual(Set(header("From", in: env.stdout)), ["Env Author <tree@example.org>"])
    }

    func testAuthorFromTheGlobalGitConfig() throws {
        let home = try makeTemporaryDirectory(self)
        try "[user]\n\tname = Jérôme Global\n\temail = global@example.org\n"
            .write(toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)
        let result = try run(["convert", try tree(), "--stdout", "-s"] + date, home: home)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Set(header("From", in: result.stdout)), ["=?UTF-8?q?J=C3=A9r=C3=B4me=20Global?= <global@example.org>"])
        XCTAssertEqual(Set(header("Signed-off-by", in: result.stdout)), ["Jérôme Global <global@example.org>"])
        XCTAssertTrue(result.stdout.contains("Content-Type: text/plain; charset=UTF-8\n"))
    }

    func testNoIdentityAnywhereIsAClearError() throws {
        let output = try makeTemporaryDirectory(self) + "/series"
        let result = try run(["convert", try tree(), "-o", output] + date)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "notifysplit: no author identity: set GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, "
                       + "or git config user.name and user.email (in the tree or --global), or give --from "
                       + "'Name <email>'\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
        // A host name git could guess an address from is no identity.
        let guessed = try run(["convert", try tree(), "--stdout"] + date, environment: ["GIT_AUTHOR_NAME": "Only Name"])
        XCTAssertEqual(guessed.status, 2, guessed.stdout)
        // --in-place writes no message and needs no identity.
        XCTAssertEqual(try run(["convert", try tree(), "--in-place"]).status, 0)
    }

    func testFromOverridesAndSignoffUsesIt() throws {
        let result = try run(["convert", try tree(), "--stdout", "--from", "Kirill A. Shutemov <k@example.org>", "-s"]
                             + date, environment: ["GIT_AUTHOR_NAME": "Env", "GIT_AUTHOR_EMAIL": "env@example.org"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Set(header("From", in: result.stdout)), ["\"Kirill A. Shutemov\" <k@example.org>"])
        XCTAssertEqual(Set(header("Signed-off-by", in: result.stdout)), ["Kirill A. Shutemov <k@example.org>"])
        let bad = try run(["convert", try tree(), "--stdout", "--from", "nobody"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--from nobody: not 'Name <email>'"), bad.stderr)
        let old = try run(["convert", try tree(), "--stdout", "--signoff", "A <a@example.org>"])
        XCTAssertEqual(old.status, 2, "--signoff takes no value any more, as git's -s")
    }

    // MARK: Dates

    func testEveryDateFormAndSourceDateEpoch() throws {
        let tree = try tree()
        let author = ["--from", "A U Thor <a@example.org>"]
        for (input, expected) in [("Thu, 1 Jan 2026 10:00:00 +0100", "Thu, 1 Jan 2026 10:00:00 +0100"),
                                  ("1 Jan 2026 10:00:00 +0100", "Thu, 1 Jan 2026 10:00:00 +0100"),
                                  ("2026-01-01T10:00:00+01:00", "Thu, 1 Jan 2026 10:00:00 +0100"),
                                  ("2026-01-01 10:00:00 +0100", "Thu, 1 Jan 2026 10:00:00 +0100"),
                                  ("@1767258000 +0100", "Thu, 1 Jan 2026 10:00:00 +0100")] {
            let result = try run(["convert", tree, "--stdout", "--date", input] + author)
            XCTAssertEqual(result.status, 0, "\(input): \(result.stderr)")
            XCTAssertEqual(Set(header("Date", in: result.stdout)), [expected], input)
        }
        let epoch = try run(["convert", tree, "--stdout"] + author, environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        XCTAssertEqual(Set(header("Date", in: epoch.stdout)), ["Thu, 1 Jan 2026 00:00:00 +0000"])
        let both = try run(["convert", tree, "--stdout", "--date", "2026-02-01"] + author,
                           environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        XCTAssertEqual(Set(header("Date", in: both.stdout)), ["Sun, 1 Feb 2026 00:00:00 +0000"], "--date wins")
        let badEpoch = try run(["convert", tree, "--stdout"] + author, environment: ["SOURCE_DATE_EPOCH": "soon"])
        XCTAssertEqual(badEpoch.status, 2)
        XCTAssertEqual(badEpoch.stderr, "notifysplit: SOURCE_DATE_EPOCH=soon: not a number of seconds since 1970\n")
        let badDate = try run(["convert", tree, "--stdout", "--date", "Fri, 1 Jan 2026 00:00:00 +0000"] + author)
        XCTAssertEqual(badDate.status, 2)
        XCTAssertTrue(badDate.stderr.contains("--date Fri, 1 Jan 2026 00:00:00 +0000: not a date"), badDate.stderr)
    }

    /// Each message is signed by the tool and its version, as git signs
    /// with its own.
    func testTheSignatureNamesTheToolVersion() throws {
        let mbox = try run(["convert", try tree(), "--stdout", "--from", "A <a@example.org>"] + date)
        XCTAssertEqual(mbox.stdout.components(separatedBy: "\n-- \nnotifysplit \(ToolVersion.current)\n\n").count - 1, 4,
                       "the cover letter and three patches")
    }
}
