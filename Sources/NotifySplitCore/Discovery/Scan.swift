import Clang
import Foundation

/// `scan`: every use of the notify macros in a tree, each placed in its
/// function and statement, and everything the tool could not see.
public struct Scan: Sendable {
    public struct Options: Sendable {
        public var macroNames: [String]
        public var workers: Int
        /// Convert each parsed file while its translation unit is alive.
        public var convert: Bool
        /// Files known from an earlier run not to mention the macros are
        /// not read (nil: every file is read).
        public var scanCache: TokenScanCache?
        public init(macroNames: [String] = MacroModel.defaultNames, workers: Int = defaultWorkerCount,
                    convert: Bool = false, scanCache: TokenScanCache? = nil) {
            self.macroNames = macroNames
            self.workers = workers
            self.convert = convert
            self.scanCache = scanCache
        }
    }

    /// Counts for the summary line.
    public struct Summary: Hashable, Sendable {
        public var filesScanned: Int
        public var candidateFiles: Int
        public var filesParsed: Int
        public var sites: Int
        public var parseProblems: Int
    }

    public var tree: KernelTree
    public var configuration: String
    public var model: MacroModel
    public var wrappers: [TreeTokenScan.Wrapper]
    public var sites: [CallSite]
    public var mentions: [Mention]
    public var problems: [ParseProblem]
    public var unreadable: [(path: String, reason: String)]
    public var summary: Summary
    /// Per parsed file, its error count (for logs and tests).
    public var errorCounts: [String: Int]
    /// Per parsed candidate file: its errors and the configuration it was
    /// parsed with, sorted by path.
    public var files: [ParsedFileSummary] = []
    /// With `Options.convert`: what convert did per parsed file.
    public var conversions: [FileConversion] = []

    /// True when every candidate was read and analysed.
    public var isComplete: Bool {
        problems.isEmpty && unreadable.isEmpty && !sites.contains { $0.status == .notAnalysable }
    }

    public static func run(tree: KernelTree, arguments: any CompileArgumentsProvider,
                           options: Options,
                           progress: (@Sendable (String) -> Void)? = nil) throws(NotifySplitError) -> Scan {
        let headerBytes: FileBytes
        do {
            headerBytes = try FileBytes(path: tree.absolute(KernelTree.notifierHeader))
        } catch {
            throw .io(error.description)
        }
        let model = MacroModel(headerBytes: headerBytes.bytes, names: options.macroNames)
        progress?("scanning \(tree.root) for \(options.macroNames.joined(separator: ", "))")
        let tokens = PhaseTimes.measure("token scan") {
            TreeTokenScan.run(tree: tree, names: options.macroNames, workers: options.workers, cache: options.scanCache)
        }
        let macroSet = Set(options.macroNames)
        let interesting = macroSet.union(tokens.wrappers.keys.filter {
            !tokens.targets(of: $0, macros: macroSet).isEmpty
        })

        var sites: [CallSite] = []
        var mentions: [Mention] = []
        var candidates: [String] = []
        for (path, hits) in tokens.hits.sorted(by: { $0.key < $1.key }) {
            var usesHere = false
            for hit in hits {
                switch hit.kind {
                case .comment where macroSet.contains(hit.name):
                    mentions.append(Mention(path: path, line: hit.line, column: hit.column, macro: hit.name))
                case .use where interesting.contains(hit.name):
                    usesHere = true
                default: break
                }
            }
            guard usesHere else { continue }
            if path.hasSuffix(".c") {
                candidates.append(path)
            } else {
                let isHeader = path.hasSuffix(".h")
                for hit in hits where hit.kind == .use && interesting.contains(hit.name) {
                    for macro in tokens.targets(of: hit.name, macros: macroSet) {
                        sites.append(CallSite(
                            path: path, line: hit.line, column: hit.column, macro: macro,
                            via: hit.name == macro ? nil : hit.name, function: hit.function,
                            start: hit.start, end: hit.end, arguments: [], statement: nil,
                            status: isHeader ? .header : .assembly,
                            reason: isHeader ? "in a header, which is not parsed on its own"
                                : "in an assembly file", diagnostics: []))
                    }
                }
            }
        }

        progress?("parsing \(candidates.count) candidate file(s)")
        if !candidates.isEmpty {
            try PhaseTimes.measure("wait for the configuration") { () throws(NotifySplitError) in try arguments.prepared() }
        }
        let parser = FileParser(tree: tree, arguments: arguments)
        let converter = options.convert ? FileConverter(
            model: model, rangeAPI: RangeNotifierAPI.learn(headerBytes: headerBytes.bytes),
            ruleDocument: ["Documentation/mm/mmu_notifier.rst", "Documentation/vm/mmu_notifier.rst"]
                .first(where: tree.exists), macroNames: interesting,
            definitions: TreeFunctionDefinitions(tree: tree, parser: parser, workers: options.workers,
                                                 notifiers: NotifierNames.learn(headerBytes: headerBytes.bytes)))
            : nil
        // Largest files first, so no worker idles at the end on a big one.
        let bySize = candidates.sorted { fileSize(tree.absolute($0)) > fileSize(tree.absolute($1)) }
        let parsed = PhaseTimes.measure("parse\(converter == nil ? "" : " + convert + validate")") {
            parallelMap(bySize, workers: options.workers, makeState: { Index() }) { index, path -> ParsedFile in
                PhaseTimes.measure("  \(path)") {
                    parseCandidate(path, hits: tokens.hits[path] ?? [], parser: parser, index: index,
                                   macros: macroSet, tokens: tokens, interesting: interesting, converter: converter)
                }
            }
        }
        var problems: [ParseProblem] = []
        var errorCounts: [String: Int] = [:]
        var conversions: [FileConversion] = []
        var files: [ParsedFileSummary] = []
        for file in parsed {
            sites += file.sites
            if let conversion = file.conversion { conversions.append(conversion) }
            if let problem = file.problem { problems.append(problem) }
            errorCounts[file.path] = file.errorCount
            if let summary = file.summary { files.append(summary) }
        }
        files.sort { $0.path < $1.path }
        sites.sort { ($0.path, $0.start, $0.macro) < ($1.path, $1.start, $1.macro) }
        let wrappers = tokens.wrappers.values
            .filter { interesting.contains($0.name) }
            .sorted { $0.name < $1.name }
        // The files parsed otherwise than the configuration says first.
        var configuration = arguments.summary
        for file in files where !file.rejected.isEmpty {
            configuration += "; \(file.path) parsed with \(file.configuration ?? "the given arguments")"
                + " (\(file.rejected.joined(separator: "; ")))"
        }
        return Scan(tree: tree, configuration: configuration, model: model, wrappers: wrappers,
                    sites: sites, mentions: mentions, problems: problems,
                    unreadable: tokens.unreadable,
                    summary: Summary(filesScanned: tokens.filesScanned,
                                     candidateFiles: tokens.hits.values.filter { hits in
                                         hits.contains { $0.kind == .use && interesting.contains($0.name) }
                                     }.count,
                                     filesParsed: parsed.filter { $0.parsed }.count,
                                     sites: sites.count, parseProblems: problems.count),
                    errorCounts: errorCounts, files: files, conversions: conversions)
    }

    /// One parsed candidate file, for the report (`scan --format json`'s
    /// `files`): a CI can assert that each parses with 0 errors.
    public struct ParsedFileSummary: Hashable, Sendable {
        public var path: String
        public var errors: Int
        /// The configuration it was parsed with (nil: the provider named none).
        public var configuration: String?
        /// The configurations tried before it and why each was left
        /// ("the configuration in .config (arm): 3 error(s)").
        public var rejected: [String]
        /// Those of the errors that sit in the body of a header function
        /// the file never uses (they cannot reach the analysis), one line
        /// each with the function named.
        public var errorsInUnusedFunctions: [String] = []
    }

    private static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    struct ParsedFile: Sendable {
        var path: String
        var parsed: Bool
        var sites: [CallSite]
        var problem: ParseProblem?
        var errorCount: Int
        var conversion: FileConversion?
        var summary: ParsedFileSummary?
    }

    static func parseCandidate(_ path: String, hits: [TokenHit], parser: FileParser, index: Index,
                               macros: Set<String>, tokens: TreeTokenScan,
                               interesting: Set<String>, converter: FileConverter?) -> ParsedFile {
        let uses = hits.filter { $0.kind == .use && interesting.contains($0.name) }
        func unparsed(_ reason: String, _ diagnostics: [String]) -> ParsedFile {
            let sites = uses.flatMap { hit in
                tokens.targets(of: hit.name, macros: macros).map { macro in
                    CallSite(path: path, line: hit.line, column: hit.column, macro: macro,
                             via: hit.name == macro ? nil : hit.name, function: hit.function,
                             start: hit.start, end: hit.end, arguments: [], statement: nil,
                             status: .notAnalysable, reason: reason, diagnostics: diagnostics)
                }
            }
            return ParsedFile(path: path, parsed: false, sites: sites,
                              problem: ParseProblem(path: path, reason: reason, diagnostics: diagnostics),
                              errorCount: 0)
        }
        let bytes: [UInt8]
        do {
            bytes = try FileBytes(path: parser.tree.absolute(path)).bytes
        } catch {
            return unparsed(error.description, [])
        }
        let attempts = parser.arguments.attempts(forFile: path)
        if attempts.isEmpty || attempts.allSatisfy({ $0.unusable != nil }) {
            // Not built in the configuration (the database has no command
            // for it, or its Makefile needs an option the .config lacks).
            let reason = attempts.first?.unusable
                ?? "no compile command for this file (\(parser.arguments.summary))"
            let sites = uses.flatMap { hit in
                tokens.targets(of: hit.name, macros: macros).map { macro in
                    CallSite(path: path, line: hit.line, column: hit.column, macro: macro,
                             via: hit.name == macro ? nil : hit.name, function: hit.function,
                             start: hit.start, end: hit.end, arguments: [], statement: nil,
                             status: .notParsedConfiguration, reason: reason, diagnostics: [])
                }
            }
            return ParsedFile(path: path, parsed: false, sites: sites, problem: nil, errorCount: 0)
        }
        let unit: TranslationUnit
        let parsedWith: FileParser.Parsed
        do {
            parsedWith = try parser.parseChoosingConfiguration(path, index: index)
            unit = parsedWith.unit
        } catch {
            return unparsed("\(error)", [])
        }
        let diagnostics = unit.diagnostics
        let errors = diagnostics.filter(\.isError)
        let summary = ParsedFileSummary(path: path, errors: errors.count, configuration: parsedWith.configuration,
                                        rejected: parsedWith.rejected.map { "\($0.configuration): \($0.reason)" },
                                        errorsInUnusedFunctions: UnusedFunctionErrors.find(
                                            in: unit, mainFile: parser.tree.absolute(path), errors: errors, tree: parser.tree))
        // With KeepGoing a missing include is reported as a plain error, but
        // everything after it is lost: treat it as fatal.
        let fatal = errors.filter { $0.severity == .fatal || $0.message.hasSuffix("file not found") }
        if !fatal.isEmpty {
            var file = unparsed("libclang reported a fatal error", fatal.prefix(3).map(\.description))
            file.errorCount = errors.count
            file.summary = summary
            return file
        }
        let absolute = parser.tree.absolute(path)
        let locator = CallSiteLocator(unit: unit, path: path, absolutePath: absolute, bytes: bytes)
        let functions = locator.functions()
        let skipped = unit.skippedRanges(inFile: absolute)
        var sites: [CallSite] = []
        for hit in uses {
            for macro in tokens.targets(of: hit.name, macros: macros) {
                sites.append(locator.site(for: hit, macro: macro, functions: functions,
                                          skipped: skipped, errors: errors))
            }
        }
        var problem: ParseProblem?
        if sites.contains(where: { $0.status == .notAnalysable }) {
            problem = ParseProblem(path: path, reason: "\(errors.count) error(s) damage a function with a use",
                                   diagnostics: errors.prefix(3).map(\.description))
        }
        let conversion = converter?.convert(unit: unit, path: path, absolutePath: absolute, bytes: bytes,
                                            sites: sites, functions: functions, errors: errors,
                                            parseVariant: { contents in
                                                // The configuration the file was analysed in.
                                                try parser.unit(absolute,
                                                                arguments: parser.compilerArguments(parsedWith.arguments),
                                                                unsavedFiles: [.init(path: absolute, contents: contents)],
                                                                index: index, preambles: parsedWith.preambles)
                                            })
        return ParsedFile(path: path, parsed: true, sites: sites, problem: problem,
                          errorCount: errors.count, conversion: conversion, summary: summary)
    }
}
