import Foundation
import NotifySplitCore

/// One fuzz input through scan, convert and the series' own consistency:
/// the input becomes `mm/fuzz.c` of a small tree (the fixture tree's
/// headers); convert must not crash, and any series it produces must apply
/// (in memory, exactly) to give the files convert computed. A violation
/// traps, which the fuzzer reports as a crash.
///
/// The seed corpus is the fixture tree's own functions, `Fixtures/tree/mm`.
public final class FuzzHarness: @unchecked Sendable {
    let tree: KernelTree
    let configuration: SyntheticConfiguration
    let file: String

    public init() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("notifysplit-fuzz-\(getpid())").path
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/tree").path
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root + "/mm", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture + "/Makefile", toPath: root + "/Makefile")
        try FileManager.default.copyItem(atPath: fixture + "/include", toPath: root + "/include")
        file = root + "/mm/fuzz.c"
        FileManager.default.createFile(atPath: file, contents: Data())
        tree = try KernelTree(path: root)
        configuration = try SyntheticConfiguration(tree: tree, architecture: Architecture(name: "x86", source: "fuzz"))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: tree.root)
    }

    public func run(_ input: [UInt8]) {
        guard (try? Data(input).write(to: URL(fileURLWithPath: file))) != nil else { return }
        guard let conversion = try? Conversion.run(tree: tree, arguments: configuration,
                                                   options: .init(workers: 1)) else { return }
        guard let series = try? SeriesBuilder(conversion: conversion, options: SeriesOptions(
            author: "Fuzz <fuzz@example.org>", date: "Thu, 1 Jan 2026 00:00:00 +0000")).build() else {
            fatalError("convert produced edits that do not build a series")
        }
        // Every patch must apply, exactly, to give what convert computed.
        var overlay = TreeOverlay()
        for (name, bytes) in series.rendered() {
            guard let diffs = try? SeriesOverlay.parse(bytes, name: name) else {
                fatalError("\(name) of the series is not a well-formed patch")
            }
            for diff in diffs {
                do { try SeriesOverlay.apply(diff, patch: name, tree: tree, to: &overlay) } catch {
                    fatalError("\(name) does not apply: \(error)")
                }
            }
        }
        for (path, bytes) in series.finalFiles where overlay.files[path] != bytes {
            fatalError("applying the series to \(path) does not give the converted file")
        }
        // Converted files re-parsed without new errors (validated by convert).
        for file in conversion.files where file.validationFailure == nil && !file.functions.isEmpty {
            precondition(file.errorsAfter <= file.errorsBefore, "\(file.path): new errors after conversion")
        }
    }
}
