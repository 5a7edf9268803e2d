import Foundation
@testable import NotifySplitCore
import XCTest

/// The conventions users reach for without reading the help: --version,
/// exit statuses, check --only, the choices --split offers.
final class CommandLineConventionTests: XCTestCase {
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

    // MARK: The command line's conventions

    func testVersionInOnePlaceEverywhere() throws {
        let result = try run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, ToolVersion.current + "\n")
        let sarif = try run(["check", fixture("tree"), "--format", "sarif"])
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let driver = ((log["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        XCTAssertEqual(driver?["version"] as? String, ToolVersion.current)
        let json = try run(["check", fixture("tree"), "--format", "json"])
        XCTAssertTrue(json.stdout.contains("\"tool_version\" : \"\(ToolVersion.current)\""))
        let convert = try run(["convert", try tree(), "--in-place", "--format", "json"])
        XCTAssertTrue(convert.stdout.contains("\"tool_version\" : \"\(ToolVersion.current)\""), convert.stdout)
    }

    func testInternalErrorsExitSeventyWithOneLine() throws {
        for hook in ["error", "crash"] {
            let result = try run(["scan", fixture("tree")], environment: ["NOTIFYSPLIT_TEST_INTERNAL_ERROR": hook])
            XCTAssertEqual(result.status, 70, hook)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("notifysplit: internal error: "), result.stderr)
            XCTAssertTrue(result.stderr.contains("please report it"), result.stderr)
            XCTAssertEqual(result.stdout, "")
        }
        let help = try run(["--help"])
        func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        XCTAssertTrue(words(help.stdout).contains("70 internal error (a bug in notifysplit"), help.stdout)
        for command in ["convert", "check"] {
            let commandHelp = try run([command, "--help"])
            XCTAssertTrue(words(commandHelp.stdout).contains("70 internal error (a bug: please report it)"),
                          commandHelp.stdout)
        }
    }

    func testSplitSiteIsGone() throws {
        let result = try run(["convert", try tree(), "--stdout", "--split", "site"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("'site' is invalid for '--split"), result.stderr)
    }

    /// One macro done (converted by hand), the other not: --only gates
    /// exactly the one named.
    func testCheckOnlyGatesTheMacrosNamed() throws {
        let tree = try tree()
        let path = tree + "/mm/rmap.c"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "pteval = ptep_clear_flush_notify(", with: "pteval = ptep_clear_flush(")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let done = try run(["check", tree, "--only", "ptep_clear_flush_notify"])
        XCTAssertEqual(done.status, 0, done.stdout)
        XCTAssertFalse(done.stdout.contains("ptep_clear_flush_young_notify"), "only the macro named is checked")
        XCTAssertEqual(try run(["check", tree, "--only", "ptep_clear_flush_young_notify"]).status, 1)
        XCTAssertEqual(try run(["check", tree, "--only", "ptep_clear_flush_notify", "--only",
                                "ptep_clear_flush_young_notify"]).status, 1)
        XCTAssertEqual(try run(["check", tree]).status, 1)
        let both = try run(["check", tree, "--only", "ptep_clear_flush_notify", "--macro", "pmdp_huge_clear_flush_notify"])
        XCTAssertEqual(both.status, 2)
        XCTAssertEqual(try run(["check", tree, "--only", "not-a-name"]).status, 2)
    }
}
