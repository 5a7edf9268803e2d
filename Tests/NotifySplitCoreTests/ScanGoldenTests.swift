import Foundation
import NotifySplitCore
import XCTest

/// `scan --format json` on each fixture tree equals the checked-in file
/// under Golden/. Set NOTIFYSPLIT_UPDATE_GOLDEN=1 to rewrite them
/// (`make golden`), then review the diff.
final class ScanGoldenTests: XCTestCase {
    func assertGolden(tree: String, golden: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let report = ScanReport(try scanTree(fixture(tree))).json()
        let path = repositoryRoot.appendingPathComponent("Tests/NotifySplitCoreTests/Golden/\(golden)").path
        if ProcessInfo.processInfo.environment["NOTIFYSPLIT_UPDATE_GOLDEN"] == "1" {
            try report.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(report, expected, "scan of Fixtures/\(tree) differs from \(golden)", file: file, line: line)
    }

    func testSixEraFixtureTree() throws {
        try assertGolden(tree: "tree", golden: "scan-tree.json")
    }

    func testTwoSixEraFixtureTree() throws {
        try assertGolden(tree: "tree-2.6", golden: "scan-tree-2.6.json")
    }

    func testDamagedFixtureTree() throws {
        try assertGolden(tree: "damaged", golden: "scan-damaged.json")
    }
}
