import Clang
import Foundation

/// Converts the sites of one parsed file while its translation unit is
/// alive: verdicts (in every configuration of a function's `#if` blocks),
/// edits, and validation by re-parsing the converted text from an unsaved
/// buffer (no second parse from scratch).
struct FileConverter: Sendable {
    let model: MacroModel
    let rangeAPI: RangeNotifierAPI?
    let ruleDocument: String?
    let macroNames: Set<String>
    /// Where calls to functions of other files are read (nil: not read).
    var definitions: TreeFunctionDefinitions? = nil

    /// Parses the file from other contents (a configuration variant).
    typealias VariantParser = ([UInt8]) throws -> TranslationUnit

    func convert(unit: TranslationUnit, path: String, absolutePath: String, bytes: [UInt8],
                 sites: [CallSite], functions: [CallSiteLocator.Function], errors: [Diagnostic],
                 parseVariant: VariantParser? = nil) -> FileConversion {
        var bodies: [Int: FunctionBody] = [:]
        var decisions: [SiteDecision] = []
        var variants = VariantUnits(parse: parseVariant, path: absolutePath, definitions: definitions)
        let skipped = unit.skippedRanges(inFile: absolutePath)
        // One table of the file's lines for all its functions' bodies.
        let lines = LineStarts(bytes)
        for site in sites {
            guard site.status == .parsed,
                  let function = functions.first(where: { $0.extent.contains(offset: site.start) }) else {
                decisions.append(.refused(site, [Self.finding(for: site)]))
                continue
            }
            let key = function.extent.start.offset
            if bodies[key] == nil {
                bodies[key] = FunctionBody(cursor: function.cursor, bytes: bytes, path: absolutePath,
                                           definitions: definitions, lines: lines)
            }
            guard let body = bodies[key] else {
                decisions.append(.refused(site, [Finding(.noFunctionBody, line: site.line,
                                                         "\(function.name)() has no body the tool can read")]))
                continue
            }
            decisions.append(decide(site, in: body, skipped: skipped, variants: &variants))
        }

        // Edits per function; a function whose edits collide is left alone.
        var functionEdits: [FileConversion.FunctionEdits] = []
        for (start, body) in bodies.sorted(by: { $0.key < $1.key }) {
            let convertible = decisions.indices.filter {
                decisions[$0].plan != nil && body.cursor.extent.contains(offset: decisions[$0].site.start)
            }
            guard !convertible.isEmpty else { continue }
            var builder = FunctionEditBuilder(function: body)
            for i in convertible { builder.add(decisions[i]) }
            let edits = builder.finish()
            if Edit.apply(edits, to: bytes) == nil {
                for i in convertible {
                    decisions[i] = refuse(decisions[i], .editsOverlap,
                                          "the tool's edits for \(body.name)() overlap; left unconverted")
                }
                continue
            }
            functionEdits.append(.init(function: body.name, start: start, edits: edits,
                                       sites: convertible.map { decisions[$0].site }))
        }
        var conversion = FileConversion(path: path, original: bytes, decisions: decisions, functions: functionEdits,
                                        validationFailure: nil, errorsBefore: errors.count,
                                        errorsAfter: errors.count)
        guard !functionEdits.isEmpty else { return conversion }

        // Validation: re-parse the converted text with the same arguments.
        let failure: String?
        if let converted = Edit.apply(conversion.allEdits, to: bytes) {
            failure = validate(unit: unit, path: path, absolutePath: absolutePath, original: bytes,
                               converted: converted, errors: errors, conversion: &conversion)
        } else {
            failure = "the edits of different functions overlap"
        }
        if let failure {
            conversion.validationFailure = failure
            conversion.functions = []
            for i in conversion.decisions.indices where conversion.decisions[i].plan != nil {
                conversion.decisions[i] = refuse(conversion.decisions[i], .validationFailed,
                                                 "the converted file did not re-parse cleanly (\(failure)); "
                                                 + "left unconverted")
            }
        }
        return conversion
    }

    // MARK: - Configurations

    /// The decision for one site: directly when the function has no `#if`
    /// blocks, else the same plan in every configuration of them, or a
    /// refusal naming the configuration that differs.
    private func decide(_ site: CallSite, in body: FunctionBody, skipped: [Range<Int>],
                        variants: inout VariantUnits) -> SiteDecision {
        let analyzer = SiteAnalyzer(function: body, model: model, rangeAPI: rangeAPI, ruleDocument: ruleDocument)
        let bodyRange = body.body.extent.byteRange
        let directives = PreprocessorConditionals.directives(in: body.bytes, range: bodyRange)
        if let include = directives.first(where: { $0.kind == .include || $0.kind == .include_next }) {
            let at = body.line(of: include.start)
            return .refused(site, [Finding(.includeInBody, line: at,
                                           "\(body.name)() has an #include in its body (line \(at)); the included "
                                           + "file's code is not this file's and is not rewritten")])
        }
        guard !directives.isEmpty else { return analyzer.decide(site) }
        guard let groups = PreprocessorConditionals.groups(in: body.bytes, range: bodyRange) else {
            return .refused(site, [Finding(.configurationNotParsed, line: site.line,
                                           "the #if blocks of \(body.name)() do not open and close inside it")])
        }
        let configurations = ConfigurationVariants(function: body, groups: groups, skipped: skipped)
        if let group = configurations.group(holding: site.start) {
            let at = body.line(of: group.range.lowerBound)
            return .refused(site, [Finding(.callInConditionalBlock, line: at,
                                           "the call is inside the #if block at line \(at); other configurations "
                                           + "do not have it, so no one edit fits them all")])
        }
        let base = analyzer.decide(site)
        guard let basePlan = base.plan else { return base }
        guard configurations.count <= ConfigurationVariants.limit else {
            return .refused(site, [Finding(.tooManyConfigurations, line: site.line,
                                           "\(body.name)()'s #if blocks give \(configurations.count) configurations, "
                                           + "more than the \(ConfigurationVariants.limit) the tool analyses")])
        }
        let baseEdits = edits(for: base, in: body)
        if let inside = baseEdits.first(where: { configurations.group(holding: $0.range.lowerBound) != nil }) {
            let at = body.line(of: inside.range.lowerBound)
            return .refused(site, [Finding(.editInConditionalBlock, line: at,
                                           "the notifier would go inside the #if block at line \(at); other "
                                           + "configurations do not compile it there")])
        }
        for choices in configurations.combinations {
            let configuration = configurations.describe(choices)
            guard let variant = variants.body(bytes: configurations.variantBytes(choices),
                                              functionStart: body.cursor.extent.start.offset) else {
                return .refused(site, [Finding(.configurationNotParsed, line: site.line,
                                               "with \(configuration), \(body.name)() does not parse cleanly; "
                                               + "that configuration cannot be analysed")])
            }
            let other = SiteAnalyzer(function: variant, model: model, rangeAPI: rangeAPI,
                                     ruleDocument: ruleDocument).decide(site)
            guard other.plan != nil, other.verdict == base.verdict else {
                let why = other.findings.first?.message
                    ?? "the call needs \(other.verdict.rawValue) (\(base.verdict.rawValue) here)"
                return .refused(site, [Finding(.configurationsDiffer, line: other.findings.first?.line ?? site.line,
                                               "with \(configuration), \(why); one edit cannot fit every "
                                               + "configuration")])
            }
            guard edits(for: other, in: variant, declarations: false)
                    == edits(for: base, in: body, declarations: false) else {
                let lines = { (plan: ConversionPlan?) in
                    (plan?.releases.map { String($0.line) } ?? []).joined(separator: ", ")
                }
                return .refused(site, [Finding(.configurationsDiffer, line: site.line,
                                               "with \(configuration), the notifier would go after the unlock at "
                                               + "line \(lines(other.plan)) (line \(lines(basePlan)) here); one edit "
                                               + "cannot fit every configuration")])
            }
        }
        return base
    }

    /// The edits one decision alone makes (to compare configurations).
    /// The edits one decision alone makes: with the new locals' declaration
    /// (to check no edit falls in a block), or without it (to compare
    /// configurations: where the locals are declared may differ between
    /// them when a block opens the body; C allows either place).
    private func edits(for decision: SiteDecision, in body: FunctionBody, declarations: Bool = true) -> [Edit] {
        var builder = FunctionEditBuilder(function: body)
        builder.add(decision)
        return declarations ? builder.finish() : builder.edits
    }

    /// One translation unit per file for its configuration variants,
    /// re-parsed for each (libclang keeps what it can between parses).
    private struct VariantUnits {
        let parse: VariantParser?
        let path: String
        let definitions: TreeFunctionDefinitions?
        var unit: TranslationUnit?

        init(parse: VariantParser?, path: String, definitions: TreeFunctionDefinitions?) {
            self.parse = parse
            self.path = path
            self.definitions = definitions
        }

        /// The function starting at `functionStart` in the file parsed from
        /// `bytes`, when that parse has no error inside the function.
        mutating func body(bytes: [UInt8], functionStart: Int) -> FunctionBody? {
            guard let parse else { return nil }
            do {
                if let current = unit, current.preamble.map({ bytes.starts(with: $0.bytes) }) ?? true {
                    try PhaseTimes.measure("    variant (reparse) \((path as NSString).lastPathComponent)") {
                        try current.reparse(unsavedFiles: [.init(path: path, contents: bytes)])
                    }
                } else {
                    // A variant whose preamble differs is parsed afresh.
                    unit = try PhaseTimes.measure("    variant (parse) \((path as NSString).lastPathComponent)") {
                        try parse(bytes)
                    }
                }
            } catch {
                return nil
            }
            guard let unit else { return nil }
            var found: Cursor?
            unit.cursor.visitChildren { cursor in
                if cursor.kind == .functionDecl, cursor.isDefinition, cursor.isInMainFile,
                   cursor.extent.start.offset == functionStart {
                    found = cursor
                    return .break
                }
                return .continue
            }
            guard let function = found else { return nil }
            let extent = function.extent
            let damaged = unit.diagnostics.contains { diagnostic in
                diagnostic.isError && diagnostic.location.file == path
                    && extent.contains(offset: diagnostic.location.offset)
            }
            return damaged ? nil : FunctionBody(cursor: function, bytes: bytes, path: path, definitions: definitions)
        }
    }

    // MARK: - Validation

    private func validate(unit: TranslationUnit, path: String, absolutePath: String, original: [UInt8],
                          converted: [UInt8], errors: [Diagnostic], conversion: inout FileConversion) -> String? {
        do {
            try PhaseTimes.measure("    validation (reparse) \(path)") {
                try unit.reparse(unsavedFiles: [.init(path: absolutePath, contents: converted)])
            }
        } catch {
            return "\(error)"
        }
        let after = unit.diagnostics.filter(\.isError)
        conversion.errorsAfter = after.count
        let before = Set(errors.map(\.message))
        if after.count > errors.count, let new = after.first(where: { !before.contains($0.message) }) ?? after.first {
            return "\(path):\(new.location.line):\(new.location.column): \(new.message)"
        }
        // No use may remain where a site was converted.
        let scan = TokenScan(names: macroNames)
        let converted = converted.withUnsafeBytes { scan.hits(in: $0) }.filter { $0.kind == .use }
        let originalUses = original.withUnsafeBytes { scan.hits(in: $0) }.filter { $0.kind == .use }
        let convertedCount = conversion.functions.reduce(0) { $0 + $1.sites.count }
        if converted.count != originalUses.count - convertedCount {
            return "\(converted.count) use(s) remain where \(originalUses.count - convertedCount) should"
        }
        return nil
    }

    private func refuse(_ decision: SiteDecision, _ rule: Finding.Rule, _ message: String) -> SiteDecision {
        .refused(decision.site, [Finding(rule, line: decision.site.line, message)])
    }

    /// The refusal for a site scan could not place in parsed code.
    static func finding(for site: CallSite) -> Finding {
        let (rule, message): (Finding.Rule, String)
        switch site.status {
        case .parsed: (rule, message) = (.noFunctionBody, "the call is not inside a function definition")
        case .header:
            (rule, message) = (.inHeader, "in a header (a static inline), which the tool does not rewrite; "
                               + "convert it by hand")
        case .assembly: (rule, message) = (.inAssembly, "in an assembly file")
        case .notParsedConfiguration:
            (rule, message) = (.notParsed, "in code this configuration does not compile "
                               + "(\(site.reason ?? "not parsed")); not analysed")
        case .notExpanded: (rule, message) = (.notExpanded, "the name is used here without being expanded as the macro")
        case .notAnalysable:
            (rule, message) = (.notAnalysable, "not analysable: \(site.reason ?? "libclang could not parse the function")")
        }
        return Finding(rule, line: site.line, message)
    }
}
