import Clang

/// Parses one tree file as the scan does (same configuration choice, the
/// series' files given to libclang in place of the tree's) and keeps the
/// audit's facts: every function it defines, the header inlines asked for,
/// the functions whose address it takes, and its lock sites.
struct AuditFileReader: Sendable {
    let parser: FileParser
    let names: NotifierNames
    let overlay: TreeOverlay

    func read(_ path: String, index: Index, headerFunctions: Set<String>) -> FileFacts {
        let tree = parser.tree
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
        return facts
    }
}
