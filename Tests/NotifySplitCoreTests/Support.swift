import Foundation
import NotifySplitCore
import XCTest

/// The repository's top directory (tests read `Fixtures/` from it).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func fixture(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent("Fixtures/" + relative).path
}

func fixtureBytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: fixture(relative))))
}

/// A fresh temporary directory, removed after the test.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("notifysplit-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// Runs a scan with the synthetic configuration.
func scanTree(_ path: String, macros: [String] = MacroModel.defaultNames) throws -> Scan {
    let tree = try KernelTree(path: path)
    let configuration = try SyntheticConfiguration(
        tree: tree, architecture: Architecture.choose(explicit: "x86", tree: tree))
    return try Scan.run(tree: tree, arguments: configuration, options: .init(macroNames: macros))
}
