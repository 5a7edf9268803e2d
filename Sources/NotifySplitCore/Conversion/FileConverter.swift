import Clang

/// Converts the sites of one parsed file while its translation unit is
/// alive: verdicts, edits, and validation by re-parsing the converted text
/// from an unsaved buffer (no second parse from scratch).
struct FileConverter: Sendable {
    let model: MacroModel
    let rangeAPI: RangeNotifierAPI?
    let ruleDocument: String?
    let macroNames: Set<String>

    func convert(unit: TranslationUnit, path: String, absolutePath: String, bytes: [UInt8],
                 sites: [CallSite], functions: [CallSiteLocator.Function], errors: [Diagnostic]) -> FileConversion {
        var bodies: [Int: FunctionBody] = [:]
        var decisions: [SiteDecision] = []
        for site in sites {
            guard site.status == .parsed,
                  let function = functions.first(where: { $0.extent.contains(offset: site.start) }) else {
                decisions.append(SiteDecision(site: site, verdict: .refused, reason: Self.reason(for: site), plan: nil))
                continue
            }
            let key = function.extent.start.offset
            if bodies[key] == nil {
                bodies[key] = FunctionBody(cursor: function.cursor, bytes: bytes, path: absolutePath)
            }
            guard let body = bodies[key] else {
                decisions.append(SiteDecision(site: site, verdict: .refused,
                                              reason: "\(function.name)() has no body the tool can read", plan: nil))
                continue
            }
            let analyzer = SiteAnalyzer(function: body, model: model, rangeAPI: rangeAPI, ruleDocument: ruleDocument)
            decisions.append(analyzer.decide(site))
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
                    decisions[i] = refuse(decisions[i], "the tool's edits for \(body.name)() overlap; left unconverted")
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
                conversion.decisions[i] = refuse(conversion.decisions[i],
                                                 "the converted file did not re-parse cleanly (\(failure)); left unconverted")
            }
        }
        return conversion
    }

    private func validate(unit: TranslationUnit, path: String, absolutePath: String, original: [UInt8],
                          converted: [UInt8], errors: [Diagnostic], conversion: inout FileConversion) -> String? {
        do {
            try unit.reparse(unsavedFiles: [.init(path: absolutePath, contents: converted)])
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

    private func refuse(_ decision: SiteDecision, _ reason: String) -> SiteDecision {
        SiteDecision(site: decision.site, verdict: .refused, reason: reason, plan: nil)
    }

    /// The refusal reason for a site scan could not place in parsed code.
    static func reason(for site: CallSite) -> String {
        switch site.status {
        case .parsed: return "the call is not inside a function definition"
        case .header: return "in a header (a static inline), which the tool does not rewrite; convert it by hand"
        case .assembly: return "in an assembly file"
        case .notParsedConfiguration:
            return "in code this configuration does not compile (\(site.reason ?? "not parsed")); not analysed"
        case .notExpanded: return "the name is used here without being expanded as the macro"
        case .notAnalysable: return "not analysable: \(site.reason ?? "libclang could not parse the function")"
        }
    }
}
