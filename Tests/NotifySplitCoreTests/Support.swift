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

/// A fresh temporary directory, removed after the test. It is 0755 whatever
/// the umask, and in a place every user can reach (TMPDIR, or /tmp when
/// TMPDIR is not searchable by others), so a run as nobody can use it.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let directory = try makeWorldReachableDirectory()
    test.addTeardownBlock {
        chmodTree(directory, directories: 0o755, files: nil)   // a test may have made a part unreadable
        try? FileManager.default.removeItem(atPath: directory)
    }
    return directory
}

/// A new 0755 directory (mkdtemp) under the temporary directory when others
/// can reach it, else under /tmp.
func makeWorldReachableDirectory(prefix: String = "notifysplit-test-") throws -> String {
    var base = NSTemporaryDirectory()
    if !reachableByOthers(base) { base = "/tmp" }
    var template = Array((URL(fileURLWithPath: base).appendingPathComponent(prefix + "XXXXXX").path).utf8CString)
    guard let made = mkdtemp(&template) else {
        throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno),
                      userInfo: [NSLocalizedDescriptionKey: "mkdtemp in \(base) failed"])
    }
    let path = String(cString: made)
    chmod(path, 0o755)
    return path
}

/// Whether every directory from / to `path` is searchable by others.
func reachableByOthers(_ path: String) -> Bool {
    var url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
    while true {
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
        if url.path == "/" { return true }
        url = url.deletingLastPathComponent()
    }
}

/// chmod every directory (and, when given, every file) below and at `root`.
func chmodTree(_ root: String, directories: mode_t, files: mode_t?) {
    chmod(root, directories)
    guard let walker = FileManager.default.enumerator(atPath: root) else { return }
    for case let relative as String in walker {
        let path = root + "/" + relative
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        if info.st_mode & S_IFMT == S_IFDIR {
            chmod(path, directories)
        } else if info.st_mode & S_IFMT == S_IFREG, let files {
            chmod(path, files | (info.st_mode & 0o111 != 0 ? 0o111 : 0))
        }
    }
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
    _ = ignoreBrokenPipes
    try process.run()
    // The input is written while the output is read: a child that writes
    // before it has read all its input must not block on a full pipe.
    let writer = stdin.fileHandleForWriting
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
        if let input { input.withUnsafeBytes { writeAll(writer.fileDescriptor, $0) } }
        try? writer.close()
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A child that exits before reading its input gives EPIPE, not a SIGPIPE
/// that would end the whole test process.
let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

/// write(2) until everything is written or the reader is gone.
func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        let n = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return }
        offset += n
    }
}

/// A copy of a fixture tree in a fresh temporary directory, readable by
/// every user whatever the checkout's place and modes (a run as nobody
/// reads its inputs from such a copy, never from the checkout).
func copyFixture(_ name: String, _ test: XCTestCase) throws -> String {
    let directory = try makeTemporaryDirectory(test)
    try FileManager.default.copyItem(atPath: fixture(name), toPath: directory + "/tree")
    chmodTree(directory + "/tree", directories: 0o755, files: 0o644)
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
        // And a TMPDIR nobody can write to, whatever ours is.
        process.environment = ProcessInfo.processInfo.environment
            .merging(["TMPDIR": try UnprivilegedBinary.shared.temporaryDirectory(), "NOTIFYSPLIT_NO_CACHE": "1"]) { $1 }
            .merging(environment) { $1 }
    } else {
        process.executableURL = URL(fileURLWithPath: toolBinary)
        process.arguments = arguments
    }
    // Hermetic: the user's configuration cache is neither read nor
    // written unless a test asks for it.
    let environment = ["NOTIFYSPLIT_NO_CACHE": "1"].merging(environment) { $1 }
    if process.environment == nil {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.environment?.merge(toolSanitizerOptions) { $1 }
    return try collect(process)
}

/// Under make test-asan the tests run with leak checking off (XCTest keeps
/// every test case alive) and the tool with it on:
/// NOTIFYSPLIT_TOOL_ASAN_OPTIONS becomes the tool's ASAN_OPTIONS.
var toolSanitizerOptions: [String: String] {
    ProcessInfo.processInfo.environment["NOTIFYSPLIT_TOOL_ASAN_OPTIONS"].map { ["ASAN_OPTIONS": $0] } ?? [:]
}

/// Runs `process` to its end with stdout and stderr read at once (a full
/// stderr pipe must not block the child while stdout is read).
func collect(_ process: Process) throws -> ToolRun {
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stderr = CollectedData()
    let group = DispatchGroup()
    let handle = err.fileHandleForReading
    DispatchQueue.global().async(group: group) { stderr.data = handle.readDataToEndOfFile() }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ToolRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr.data, as: UTF8.self))
}

/// Written by one reader thread, read after it is joined.
final class CollectedData: @unchecked Sendable { var data = Data() }


/// A copy of the tool in a world-readable temporary directory of this test
/// process (mkdtemp: never a stale copy left by an earlier process), made
/// once, removed at exit.
func unprivilegedBinary() throws -> String {
    try UnprivilegedBinary.shared.path()
}

private final class UnprivilegedBinary: @unchecked Sendable {
    static let shared = UnprivilegedBinary()
    private let lock = NSLock()
    private var copy: String?

    func path() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let copy { return copy }
        let directory = try makeWorldReachableDirectory(prefix: "notifysplit-bin-")
        let made = directory + "/notifysplit"
        try FileManager.default.copyItem(atPath: toolBinary, toPath: made)
        chmod(made, 0o755)
        // A temporary directory for its runs, writable by all like /tmp.
        try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: false)
        chmod(directory + "/tmp", 0o1777)
        UnprivilegedBinary.directory = directory
        atexit { if let directory = UnprivilegedBinary.directory { try? FileManager.default.removeItem(atPath: directory) } }
        copy = made
        return made
    }

    func temporaryDirectory() throws -> String {
        (try path() as NSString).deletingLastPathComponent + "/tmp"
    }

    nonisolated(unsafe) static var directory: String?
}

/// The SARIF 2.1.0 schema: fetched by `make test` before the tests run
/// (NOTIFYSPLIT_SARIF_SCHEMA), so no test downloads anything; a bare
/// `swift test` fetches it here once.
func sarifSchema() throws -> String {
    if let path = ProcessInfo.processInfo.environment["NOTIFYSPLIT_SARIF_SCHEMA"], !path.isEmpty {
        XCTAssertTrue(FileManager.default.isReadableFile(atPath: path), "NOTIFYSPLIT_SARIF_SCHEMA=\(path)")
        return path
    }
    let (status, output) = try shell([repositoryRoot.path + "/scripts/fetch-sarif-schema"], in: repositoryRoot.path)
    XCTAssertEqual(status, 0, output)
    return output.split(separator: "\n").last.map(String.init) ?? ""
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
