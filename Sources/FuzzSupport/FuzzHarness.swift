import Foundation
import NotifySplitCore

/// One fuzz input through scan, convert, the series' own consistency and
/// the metamorphic oracle: the input becomes `mm/fuzz.c` of a small tree
/// (the fixture tree's headers); convert must not crash, any series it
/// produces must apply (in memory, exactly) to give the files convert
/// computed, and — when the input parses clean — transformations that keep
/// its meaning must keep every verdict and plan, and mutations that change
/// it between the op and the unlock must turn a conversion into a refusal
/// or a flag. `run` traps on a violation, which the fuzzer reports as a
/// crash; `check` returns them (the tests).
///
/// The seed corpus is the fixture tree's own functions, `Fixtures/tree/mm`.
public final class FuzzHarness: @unchecked Sendable {
    /// How much of the oracle each input gets.
    public enum OracleDepth: Sendable {
        /// None: only crashes and series consistency.
        case off
        /// One meaning-keeping transformation and one converse mutation,
        /// chosen from the input's bytes (the fuzzer: every input is
        /// checked, at a few conversions' cost).
        case one
        /// Every transformation and mutation (the tests, replays).
        case all
    }

    let tree: KernelTree
    let configuration: SyntheticConfiguration
    let file: String
    var oracle: MetamorphicOracle
    public var depth: OracleDepth
    /// Counts, for the fuzzer's final report.
    public private(set) var statistics: [String: Int] = [:]
    /// The first few refusals whose rules changed under a meaning-keeping
    /// transformation (a reason, not a conversion: reported, not trapped).
    public private(set) var reasonDifferences: [String] = []

    public init(depth: OracleDepth = .all) throws {
        self.depth = depth
        var template = Array((URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("notifysplit-fuzz-XXXXXX").path).utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "mkdtemp failed"])
        }
        let root = String(cString: made)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/tree").path
        try FileManager.default.createDirectory(atPath: root + "/mm", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture + "/Makefile", toPath: root + "/Makefile")
        try FileManager.default.copyItem(atPath: fixture + "/include", toPath: root + "/include")
        file = root + "/mm/fuzz.c"
        try Data().write(to: URL(fileURLWithPath: file))
        let tree = try KernelTree(path: root)
        let configuration = try SyntheticConfiguration(tree: tree, architecture: Architecture(name: "x86", source: "fuzz"))
        self.tree = tree
        self.configuration = configuration
        oracle = MetamorphicOracle(root: root, files: ["mm/fuzz.c"], context: TransformContext.of(tree: root)) {
            try Conversion.run(tree: tree, arguments: configuration, options: .init(workers: 1))
        }
        oracle.strictRefusalReasons = false
    }

    deinit {
        try? FileManager.default.removeItem(atPath: tree.root)
    }

    /// Traps on the first problem.
    public func run(_ input: [UInt8]) {
        if let problem = check(input).first { fatalError(problem) }
    }

    /// Every problem with one input, each in a paragraph.
    public func check(_ input: [UInt8]) -> [String] {
        guard (try? Data(input).write(to: URL(fileURLWithPath: file))) != nil else { return [] }
        guard let conversion = try? Conversion.run(tree: tree, arguments: configuration,
                                                   options: .init(workers: 1)) else { return [] }
        guard let series = try? SeriesBuilder(conversion: conversion, options: SeriesOptions(
            author: "Fuzz <fuzz@example.org>", date: "Thu, 1 Jan 2026 00:00:00 +0000")).build() else {
            return ["convert produced edits that do not build a series"]
        }
        var problems: [String] = []
        // Every patch must apply, exactly, to give what convert computed.
        var overlay = TreeOverlay()
        for (name, bytes) in series.rendered() {
            guard let diffs = try? SeriesOverlay.parse(bytes, name: name) else {
                return ["\(name) of the series is not a well-formed patch"]
            }
            for diff in diffs {
                do { try SeriesOverlay.apply(diff, patch: name, tree: tree, to: &overlay) } catch {
                    return ["\(name) does not apply: \(error)"]
                }
            }
        }
        for (path, bytes) in series.finalFiles where overlay.files[path] != bytes {
            problems.append("applying the series to \(path) does not give the converted file")
        }
        // Converted files re-parsed without new errors (validated by convert).
        for file in conversion.files where file.validationFailure == nil && !file.functions.isEmpty
            && file.errorsAfter > file.errorsBefore {
            problems.append("\(file.path): new errors after conversion")
        }
        guard problems.isEmpty else { return problems }
        return checkOracle(input, conversion)
    }

    /// The oracle, on an input that parses clean and has a parsed site.
    func checkOracle(_ input: [UInt8], _ conversion: Conversion) -> [String] {
        guard depth != .off, conversion.scan.errorCounts["mm/fuzz.c", default: 0] == 0,
              conversion.scan.sites.contains(where: { $0.status == .parsed }) else { return [] }
        var transformations = Transformation.all
        var mutations = ConverseMutation.all
        if depth == .one {
            // FNV-1a of the input picks them.
            var hash: UInt64 = 0xcbf29ce484222325
            for byte in input { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            transformations = [transformations[Int(hash % UInt64(transformations.count))]]
            mutations = [mutations[Int((hash / 7919) % UInt64(mutations.count))]]
        }
        var problems: [String] = []
        for transformation in transformations {
            guard let result = try? oracle.check(transformation, original: conversion) else { continue }
            count(transformation.name, result)
            problems += result.violations.map { "metamorphic oracle: \($0)" }
        }
        for mutation in mutations {
            guard let result = try? oracle.check(mutation, original: conversion) else { continue }
            count(mutation.name, result)
            problems += result.violations.map { "metamorphic oracle (converse): \($0)" }
        }
        return problems
    }

    private func count(_ name: String, _ result: OracleResult) {
        statistics[name + ": sites checked", default: 0] += result.checked
        if result.skipped > 0 { statistics[name + ": sites with no place for it", default: 0] += result.skipped }
        if !result.broken.isEmpty { statistics[name + ": transformed text did not parse", default: 0] += 1 }
        if !result.known.isEmpty { statistics[name + ": known deviations", default: 0] += result.known.count }
        if !result.reasonDifferences.isEmpty {
            statistics[name + ": refusal reasons differ", default: 0] += result.reasonDifferences.count
            if reasonDifferences.count < 5 { reasonDifferences += result.reasonDifferences.map(\.description) }
        }
    }
}
