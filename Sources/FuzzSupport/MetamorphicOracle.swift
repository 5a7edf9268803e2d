import Foundation
import NotifySplitCore

/// One site, named so that it is found again in a transformed file: its
/// file, its function and its place among that function's sites.
public struct SiteKey: Hashable, Comparable, CustomStringConvertible, Sendable {
    public var path: String
    public var function: String
    public var index: Int

    public var description: String { "\(path):\(function)#\(index)" }

    public static func < (a: SiteKey, b: SiteKey) -> Bool {
        (a.path, a.function, a.index) < (b.path, b.function, b.index)
    }

    /// Every decision of `conversion` by key.
    public static func decisions(_ conversion: Conversion) -> [SiteKey: SiteDecision] {
        var result: [SiteKey: SiteDecision] = [:]
        var seen: [String: Int] = [:]
        for decision in conversion.decisions {
            let function = decision.site.function ?? "-"
            let n = seen[decision.site.path + ":" + function, default: 0]
            seen[decision.site.path + ":" + function] = n + 1
            result[SiteKey(path: decision.site.path, function: function, index: n)] = decision
        }
        return result
    }
}

extension SiteDecision {
    /// Verdict, rules and plan in words: what a meaning-keeping
    /// transformation must keep (white space collapsed).
    public var outcome: String {
        let words = "\(verdict.rawValue) \(rules.map(\.rawValue)) \(planSummary ?? "")"
        return words.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            .joined(separator: " ")
    }
}

/// A change that gives the site's function another meaning between the
/// call and the unlock: the verdict must become one of `acceptable`.
public struct ConverseMutation: Sendable {
    public let name: String
    public let acceptable: Set<Verdict>
    /// Which sites it applies to (by macro name).
    let applies: @Sendable (CallSite) -> Bool
    /// The edits for one site, all inside its function; nil when the text
    /// around it is not plain enough to be sure where they go.
    let edits: @Sendable (CSource, CallSite, _ releases: [Int]) -> [TextEdit]?

    /// Declarations the inserted code needs, after the includes.
    static let preamble = "extern struct page *notifysplit_oracle_page, *notifysplit_oracle_new_page;\n"
        + "extern int notifysplit_oracle_bypass;\n"

    public static let all: [ConverseMutation] = [.putPage, .repointedPte, .bypassingGoto]

    /// Young macros only age the pte: dropping a reference or re-pointing
    /// the pte after them is not what the rules are about.
    static func isFlush(_ site: CallSite) -> Bool { !site.macro.contains("young") }

    /// `put_page(…);` right after the statement holding the call.
    public static let putPage = ConverseMutation(
        name: "put_page() between the op and the unlock", acceptable: [.refused], applies: isFlush) {
        source, site, _ in
        guard let (_, statement) = enclosing(site.start, in: source) else { return nil }
        return [TextEdit(insert: source.newline + source.indent(source.start(statement))
                         + Array("put_page(notifysplit_oracle_page);".utf8), at: source.end(statement))]
    }

    /// `set_pte_at(mm, addr, ptep, mk_pte(new_page, prot));` right after
    /// the statement holding the call: the pte now maps another page.
    public static let repointedPte = ConverseMutation(
        name: "set_pte_at(…, mk_pte(new_page, …)) between the op and the unlock", acceptable: [.refused],
        applies: isFlush) { source, site, _ in
        guard site.arguments.count >= 3, let (_, statement) = enclosing(site.start, in: source) else { return nil }
        let (vma, address, pte) = (trimmed(site.arguments[0]), trimmed(site.arguments[1]), trimmed(site.arguments[2]))
        let call = "set_pte_at((\(vma))->vm_mm, \(address), \(pte), "
            + "mk_pte(notifysplit_oracle_new_page, (\(vma))->vm_page_prot));"
        return [TextEdit(insert: source.newline + source.indent(source.start(statement)) + Array(call.utf8),
                         at: source.end(statement))]
    }

    /// `if (bypass) goto notifysplit_oracle_out;` before the statement
    /// holding the call, the label on the (first) unlock: a path reaches
    /// the unlock without the op.
    public static let bypassingGoto = ConverseMutation(
        name: "a goto to the unlock that bypasses the op", acceptable: [.refused, .guarded], applies: { _ in true }) {
        source, site, releases in
        guard let release = releases.first, let (body, statement) = enclosing(site.start, in: source),
              source.startsLine(source.start(statement)) else { return nil }
        var unlock: CSource.Statement?
        forEachStatement(body) { if $0.kind == .simple && source.end($0) == release { unlock = $0 } }
        guard let unlock, source.startsLine(source.start(unlock)) else { return nil }
        let indent = source.indent(source.start(statement))
        let nl = source.newline
        return [
            TextEdit(insert: indent + Array("if (notifysplit_oracle_bypass)".utf8) + nl + indent
                     + Array("\tgoto notifysplit_oracle_out;".utf8) + nl,
                     at: source.lineStart(source.start(statement))),
            TextEdit(insert: Array("notifysplit_oracle_out:".utf8) + nl, at: source.lineStart(source.start(unlock))),
        ]
    }

    /// The function body holding `offset` and the statement of the
    /// innermost block around `offset` that holds it; nil when that
    /// statement is plainly dead code (after a `return`, `goto`, `break` or
    /// `continue` of an enclosing block with no label between): no path
    /// reaches it, so no mutation there can change what the code does.
    public static func enclosing(_ offset: Int, in source: CSource) -> (CSource.Statement, CSource.Statement)? {
        guard let function = source.functions.first(where: { $0.start <= offset && offset < $0.end }),
              let body = source.body(of: function) else { return nil }
        var found: CSource.Statement?
        var current = body
        descend: while true {
            var dead = false
            for child in current.children {
                if child.kind == .label { dead = false }
                if source.start(child) <= offset && offset < source.end(child) {
                    if current.kind == .compound {
                        if dead { return nil }
                        found = child
                    }
                    current = child
                    continue descend
                }
                if child.kind == .simple, ["return", "goto", "break", "continue"]
                    .contains(source.text(source.tokens[source.code[child.first]])) {
                    dead = true
                }
            }
            break
        }
        return found.map { (body, $0) }
    }
}

func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

/// What the oracle found wrong.
public struct OracleViolation: CustomStringConvertible, Sendable {
    public var check: String
    public var site: SiteKey
    public var expected: String
    public var actual: String
    /// The transformed function (or file), to reproduce.
    public var text: String

    public var description: String {
        "\(check): \(site): expected \(expected), got \(actual)\n--- transformed text ---\n\(text)\n---"
    }
}

/// A difference the oracle finds that is understood and reported to the
/// analysis' owners: a conservative refusal of a text that means the same
/// as one the tool converts — never a conversion. Listed so that the
/// fuzzer does not stop on it again and the tests notice when it goes away.
public struct KnownDeviation: Sendable {
    /// The transformation's name.
    public var check: String
    /// The verdicts before the transformation.
    public var from: Set<Verdict>
    /// The rule of the refusal after it.
    public var rule: String
    public var note: String

    public static let all: [KnownDeviation] = [
        KnownDeviation(
            check: Transformation.iteratorMacrosReintroduced.name, from: [.range], rule: "range-not-possible",
            note: "a pte loop whose for header a same-file macro writes (#define each() for (addr = start; "
                + "addr != end; ...)) is refused: the range planner reads the bounds from the header's tokens, "
                + "which are then the macro's name"),
        KnownDeviation(
            check: Transformation.iteratorMacrosReintroduced.name, from: [.unguarded, .guarded],
            rule: "returns-locked",
            note: "a young call after a while (page_vma_mapped_walk(&pvmw)) loop that always returns is "
                + "converted, the same loop written by a same-file macro is refused (returns-locked): the "
                + "walker's lock is recognised in the loop condition's own tokens only (found by the fuzzer)"),
    ]

    func matches(_ check: String, before: SiteDecision, after: SiteDecision?) -> Bool {
        guard let after else { return false }
        return check == self.check && from.contains(before.verdict) && after.verdict == .refused
            && after.rules.map(\.rawValue) == [rule]
    }
}

/// The result of one check.
public struct OracleResult: Sendable {
    /// Sites compared.
    public var checked = 0
    /// Sites the check had no way to transform.
    public var skipped = 0
    public var violations: [OracleViolation] = []
    /// Files the transformation left with more parse errors than before:
    /// the transformation's fault, never the analysis'.
    public var broken: [String] = []
    /// For a converse check: each mutated site's new outcome.
    public var outcomes: [SiteKey: String] = [:]
    /// Differences KnownDeviation.all lists (not violations).
    public var known: [OracleViolation] = []
    /// Refusals that stayed refusals with other rules (when the oracle is
    /// not strict about them).
    public var reasonDifferences: [OracleViolation] = []
}

/// The metamorphic oracle over a tree on disk: rewrites `files`, converts
/// the tree (`convert`), compares with the untransformed conversion, and
/// puts every file back.
public struct MetamorphicOracle {
    public let root: String
    public let files: [String]
    public let context: TransformContext
    public let convert: () throws -> Conversion
    /// Whether a refusal must keep its exact rules too (the fixture tests);
    /// otherwise a refusal that stays a refusal with other rules is listed
    /// in `reasonDifferences`, not as a violation (the fuzzer: a reason,
    /// never a conversion).
    public var strictRefusalReasons = true

    public init(root: String, files: [String], context: TransformContext, convert: @escaping () throws -> Conversion) {
        self.root = root
        self.files = files
        self.context = context
        self.convert = convert
    }

    func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: root + "/" + path).map(Array.init)
    }

    func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + path))
    }

    /// Converts with `changed` written in place of the files, then puts
    /// the originals back.
    func convert(with changed: [String: [UInt8]], originals: [String: [UInt8]]) throws -> Conversion {
        defer { for path in changed.keys { if let bytes = originals[path] { try? write(bytes, path) } } }
        for (path, bytes) in changed { try write(bytes, path) }
        return try convert()
    }

    /// A meaning-keeping transformation: every site keeps its verdict,
    /// rules and plan.
    public func check(_ transformation: Transformation, original: Conversion) throws -> OracleResult {
        var result = OracleResult()
        var originals: [String: [UInt8]] = [:], changed: [String: [UInt8]] = [:]
        for path in files {
            guard let bytes = read(path) else { continue }
            originals[path] = bytes
            if let transformed = transformation.apply(bytes, context) { changed[path] = transformed }
        }
        let before = SiteKey.decisions(original).filter { changed[$0.key.path] != nil }
        guard !changed.isEmpty else {
            result.skipped = before.count
            return result
        }
        let conversion = try convert(with: changed, originals: originals)
        let after = SiteKey.decisions(conversion)
        for path in changed.keys.sorted()
            where conversion.scan.errorCounts[path, default: 0] > original.scan.errorCounts[path, default: 0] {
            result.broken.append(path)
        }
        for (key, decision) in before.sorted(by: { $0.key < $1.key }) where !result.broken.contains(key.path) {
            result.checked += 1
            let expected = decision.outcome
            let actual = after[key].map { transformation.restoreNames($0.outcome) } ?? "no such site"
            if actual != expected {
                let reason = after[key].map { $0.reason.isEmpty ? "" : " (\($0.reason))" } ?? ""
                let violation = OracleViolation(check: transformation.name, site: key, expected: expected,
                                                actual: actual + reason,
                                                text: functionText(changed[key.path]!, key.function))
                if KnownDeviation.all.contains(where: { $0.matches(transformation.name, before: decision, after: after[key]) }) {
                    result.known.append(violation)
                } else if !strictRefusalReasons, decision.verdict == .refused, after[key]?.verdict == .refused {
                    result.reasonDifferences.append(violation)
                } else {
                    result.violations.append(violation)
                }
            }
        }
        let count = { (decisions: [SiteKey: SiteDecision], path: String) in decisions.keys.filter { $0.path == path }.count }
        for path in changed.keys.sorted() where !result.broken.contains(path) && count(after, path) != count(before, path) {
            result.violations.append(OracleViolation(
                check: transformation.name, site: SiteKey(path: path, function: "*", index: 0),
                expected: "\(count(before, path)) sites", actual: "\(count(after, path)) sites",
                text: String(decoding: changed[path]!, as: UTF8.self)))
        }
        return result
    }

    /// A meaning-changing mutation: each convertible site it applies to,
    /// mutated (one site per function at a time), must get a verdict the
    /// mutation accepts. A convert-as-range site is left out: its range
    /// notifier brackets the whole lock region, so what happens inside
    /// does not make the conversion wrong.
    public func check(_ mutation: ConverseMutation, original: Conversion) throws -> OracleResult {
        var result = OracleResult()
        let decisions = SiteKey.decisions(original)
        var originals: [String: [UInt8]] = [:]
        for path in files { originals[path] = read(path) }
        // Candidates per function, in order.
        var perFunction: [String: [SiteKey]] = [:]
        for (key, decision) in decisions.sorted(by: { $0.key < $1.key })
            where originals[key.path] != nil && [.unguarded, .guarded].contains(decision.verdict)
                && mutation.applies(decision.site) {
            perFunction[key.path + ":" + key.function, default: []].append(key)
        }
        let rounds = perFunction.values.map(\.count).max() ?? 0
        for round in 0..<rounds {
            var edits: [String: [TextEdit]] = [:]
            var mutated: [SiteKey] = []
            for keys in perFunction.values where round < keys.count {
                let key = keys[round]
                let decision = decisions[key]!
                let source = CSource(originals[key.path]!)
                guard let siteEdits = mutation.edits(source, decision.site, decision.releaseOffsets) else {
                    result.skipped += 1
                    continue
                }
                edits[key.path, default: []] += siteEdits
                mutated.append(key)
            }
            guard !mutated.isEmpty else { continue }
            var changed: [String: [UInt8]] = [:]
            for (path, fileEdits) in edits {
                let source = CSource(originals[path]!)
                let preamble = TextEdit(insert: convertNewlines(ConverseMutation.preamble, source),
                                        at: afterIncludes(source))
                guard let bytes = TextEdit.apply([preamble] + fileEdits, to: originals[path]!) else {
                    result.skipped += mutated.filter { $0.path == path }.count
                    mutated.removeAll { $0.path == path }
                    continue
                }
                changed[path] = bytes
            }
            let conversion = try convert(with: changed, originals: originals)
            let after = SiteKey.decisions(conversion)
            for path in changed.keys.sorted()
                where conversion.scan.errorCounts[path, default: 0] > original.scan.errorCounts[path, default: 0] {
                result.broken.append(path)
            }
            for key in mutated.sorted() where !result.broken.contains(key.path) {
                result.checked += 1
                guard let decision = after[key] else {
                    result.violations.append(OracleViolation(check: mutation.name, site: key, expected: "the site",
                                                             actual: "no such site",
                                                             text: functionText(changed[key.path]!, key.function)))
                    continue
                }
                result.outcomes[key] = decision.outcome
                if !mutation.acceptable.contains(decision.verdict) {
                    result.violations.append(OracleViolation(
                        check: mutation.name, site: key,
                        expected: mutation.acceptable.map(\.rawValue).sorted().joined(separator: " or "),
                        actual: decision.outcome + (decision.reason.isEmpty ? "" : " (\(decision.reason))"),
                        text: functionText(changed[key.path]!, key.function)))
                }
            }
        }
        return result
    }

    /// The text of `function` in `bytes` (the whole file when not found).
    func functionText(_ bytes: [UInt8], _ function: String) -> String {
        let source = CSource(bytes)
        guard let found = source.functions.first(where: { $0.name == function }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        return source.text(found.start..<found.end)
    }
}

extension ConverseMutation {
    /// The mutation's edits for one site (tests).
    public func editsForTesting(_ source: CSource, _ decision: SiteDecision) -> [TextEdit]? {
        edits(source, decision.site, decision.releaseOffsets)
    }
}
