import Clang
import Foundation

/// Parses one tree file as the scan does (same configuration choice, the
/// series' files given to libclang in place of the tree's) and keeps the
/// audit's facts: every function it defines, the header inlines asked for,
/// the functions whose address it takes, and its lock sites. Facts are
/// kept between runs (`FileFactsCache` says which parses qualify).
struct AuditFileReader: Sendable {
    let parser: FileParser
    let names: NotifierNames
    let overlay: TreeOverlay
    private let overlayDigest: String
    /// The fact caches written to in this run, trimmed at its end.
    private let written = WrittenFolders()

    init(parser: FileParser, names: NotifierNames, overlay: TreeOverlay) {
        self.parser = parser
        self.names = names
        self.overlay = overlay
        overlayDigest = FileFactsCache.digest(of: overlay)
    }

    func read(_ path: String, index: Index, headerFunctions: Set<String>) -> FileFacts {
        let tree = parser.tree
        let kept = keptFacts(path, headerFunctions: headerFunctions)
        if let kept, let facts = kept.cache.load(kept.key, path: tree.absolute(path)) {
            PhaseTimes.note("    facts of \(path) from the cache")
            return facts
        }
        var facts = FileFacts(path: path, functions: [], addressTaken: [], lockSites: [], problem: nil,
                              configuration: nil)
        let unsaved = overlay.files.map { TranslationUnit.UnsavedFile(path: tree.absolute($0.key), contents: $0.value) }
        let parsed: FileParser.Parsed
        do {
            // Header inlines are found among the unit's top-level
            // declarations: those a cached preamble holds are not visited.
            parsed = try parser.parseChoosingConfiguration(path, index: index, unsavedFiles: unsaved,
                                                           wholeParse: !headerFunctions.isEmpty)
        } catch {
            facts.problem = "\(error)"
            return facts
        }
        facts.configuration = parsed.configuration
        let unit = parsed.unit
        let errors = unit.diagnostics.filter(\.isError)
        if let fatal = errors.first(where: { $0.severity == .fatal || $0.message.hasSuffix("file not found") }) {
            if let header = OtherArchitectureHeader.missingHeader(inMessage: fatal.message),
               let other = OtherArchitectureHeader.find(missing: header, tree: tree, arguments: parsed.arguments) {
                facts.otherArchitecture = other.reason
            } else {
                facts.problem = "libclang reported a fatal error: \(fatal)"
            }
            return facts
        }
        let extractor = FactExtractor(unit: unit, tree: tree, names: names, overlay: overlay, errors: errors)
        var definitions: [Cursor] = []
        unit.cursor.visitChildren { cursor in
            guard cursor.kind == .functionDecl, cursor.isDefinition else { return .continue }
            if cursor.isInMainFile || headerFunctions.contains(cursor.spelling) { definitions.append(cursor) }
            return .continue
        }
        for definition in definitions {
            if let function = extractor.facts(of: definition) { facts.functions.append(function) }
        }
        facts.addressTaken = AddressTakenFinder(extractor: extractor, path: path).find()
        facts.lockSites = extractor.sites
        if let kept, errors.isEmpty || kept.only, parsed.configuration == kept.configuration {
            if kept.cache.store(facts, key: kept.key, path: tree.absolute(path), unit: unit,
                                arguments: parser.compilerArguments(parsed.arguments)) {
                written.add(kept.cache.directory)
            } else {
                PhaseTimes.note("    facts of \(path) not kept: what its parse read cannot be recorded")
            }
        } else if kept != nil {
            PhaseTimes.note("    facts of \(path) not kept: "
                            + (errors.isEmpty ? "parsed with \(parsed.configuration ?? "none")" : "\(errors.count) error(s)"))
        }
        return facts
    }

    /// Where the facts of `path` would be kept, and under which key: for
    /// the first configuration offered, when it keeps preambles. `only`:
    /// no other configuration is tried after an error (then a parse with
    /// errors is kept too: nothing else decided its facts).
    private func keptFacts(_ path: String, headerFunctions: Set<String>)
        -> (cache: FileFactsCache, key: String, configuration: String, only: Bool)? {
        let usable = parser.arguments.attempts(forFile: path).filter { $0.unusable == nil }
        guard !parser.allWarnings, let first = usable.first,
              let cache = FileFactsCache(beside: first.preambles) else { return nil }
        let key = cache.key(path: parser.tree.absolute(path), configuration: first.configuration,
                            arguments: parser.compilerArguments(first.arguments), names: names,
                            headerFunctions: headerFunctions, overlay: overlayDigest)
        return (cache, key, first.configuration, usable.count == 1)
    }

    /// Trims the fact caches this reader wrote to.
    func trimCaches() {
        for directory in written.folders { FileFactsCache.trim(directory: directory) }
    }
}

/// Folders written to by parallel workers.
private final class WrittenFolders: @unchecked Sendable {
    private let lock = NSLock()
    private var set = Set<String>()

    func add(_ folder: String) { lock.withLock { _ = set.insert(folder) } }
    var folders: [String] { lock.withLock { set.sorted() } }
}
