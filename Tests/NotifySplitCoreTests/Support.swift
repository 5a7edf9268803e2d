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

/// Runs a scan with the configuration the tool chooses by default (the
/// synthetic one for the fixtures and Debian's trees, which have no .config).
func scanTree(_ path: String, macros: [String] = MacroModel.defaultNames) throws -> Scan {
    let tree = try KernelTree(path: path)
    let configuration = try ConfigurationChoice.decide(tree: tree, arch: nil, config: nil).provider(tree: tree)
    return try Scan.run(tree: tree, arguments: configuration, options: .init(macroNames: macros))
}

/// The fixed identity and date the golden series are written with.
let goldenAuthor = "A U Thor <author@example.org>"
let goldenDate = "Thu, 1 Jan 2026 00:00:00 +0000"

/// Converts a tree with the synthetic configuration and builds its series.
func convertTree(_ path: String, split: SeriesOptions.Split = .function,
                 macros: [String] = MacroModel.defaultNames) throws -> (Conversion, Series) {
    let tree = try KernelTree(path: path)
    let configuration = try ConfigurationChoice.decide(tree: tree, arch: nil, config: nil).provider(tree: tree)
    let conversion = try Conversion.run(tree: tree, arguments: configuration, options: .init(macroNames: macros))
    var series = try SeriesBuilder(conversion: conversion,
                                   options: SeriesOptions(split: split, author: goldenAuthor, date: goldenDate))
        .build()
    series.base = SeriesBase.detect(tree: tree, paths: series.touchedPaths)
    return (conversion, series)
}

/// Runs a command, returning its status and combined output.
@discardableResult
func shell(_ arguments: [String], in directory: String, input: Data? = nil) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A copy of a fixture tree in a fresh temporary directory.
func copyFixture(_ name: String, _ test: XCTestCase) throws -> String {
    let directory = try makeTemporaryDirectory(test)
    try FileManager.default.copyItem(atPath: fixture(name), toPath: directory + "/tree")
    return directory + "/tree"
}

struct ToolRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The built `notifysplit` beside the test bundle (make test builds it first).
var toolBinary: String {
    let directory = Bundle.main.executableURL!.deletingLastPathComponent()
    return directory.appendingPathComponent("notifysplit").path
}

/// Runs the tool; as root, `asUnprivilegedUser` drops to nobody so file
/// permissions bite.
func runTool(_ arguments: [String], asUnprivilegedUser: Bool = false,
             environment: [String: String] = [:]) throws -> ToolRun {
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: toolBinary),
                  "build the tool first (make test does): \(toolBinary)")
    let process = Process()
    if asUnprivilegedUser && geteuid() == 0 {
        // root reads any file; drop to nobody so permissions bite (from a
        // copy of the binary nobody can reach, wherever the checkout is).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", try unprivilegedBinary()] + arguments
    } else {
        process.executableURL = URL(fileURLWithPath: toolBinary)
        process.arguments = arguments
    }
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
               stderr: String(decoding: stderr, as: UTF8.self))
}


/// A copy of the tool in a world-readable temporary directory.
func unprivilegedBinary() throws -> String {
    let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("notifysplit-bin-\(getpid())")
    let copy = directory.appendingPathComponent("notifysplit").path
    if !FileManager.default.fileExists(atPath: copy) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: toolBinary, toPath: copy)
        chmod(directory.path, 0o755)
        chmod(copy, 0o755)
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "notifysplit-bin-\(getpid())") }
    }
    return copy
}

func goldenDirectory(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("Tests/NotifySplitCoreTests/Golden/\(name)").path
}

/// The series and refusals.tsv byte for byte against Golden/NAME
/// (NOTIFYSPLIT_UPDATE_GOLDEN=1 rewrites them; review the diff line by line).
func assertGoldenSeries(_ conversion: Conversion, _ series: Series, _ name: String) throws {
    let directory = goldenDirectory(name)
    let writer = SeriesWriter(series: series, conversion: conversion)
    var files = series.rendered()
    files.append(("refusals.tsv", Array(writer.refusalsTSV.utf8)))
    if ProcessInfo.processInfo.environment["NOTIFYSPLIT_UPDATE_GOLDEN"] == "1" {
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (file, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + file)) }
    }
    let expected = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    XCTAssertEqual(files.map(\.name).sorted(), expected)
    for (file, bytes) in files {
        let golden = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
        XCTAssertEqual(Data(bytes), golden, "\(name)/\(file) differs from the golden file")
    }
}
