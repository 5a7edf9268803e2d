import Clang

/// What a function called between the op and the unlock does, read from
/// its body — in the translation unit (static functions of the file, inline
/// functions of headers), else in another file of the tree — followed a
/// few calls deep: whether it drops a page reference or writes a pte, and
/// through which calls; or which call could not be followed.
struct CalleeSummary: Sendable {
    /// The calls leading to a page-reference drop, outermost first.
    var dropsReference: [String]?
    /// The calls leading to a pte write, outermost first.
    var writesPte: [String]?
    /// The calls leading to one the tool could not read (defined nowhere it
    /// can see, or through a function pointer), outermost first.
    var unresolved: [String]?

    /// Keeps the first chain of each kind (the union of two definitions).
    mutating func merge(_ other: CalleeSummary, prefix: [String] = []) {
        if dropsReference == nil, let chain = other.dropsReference { dropsReference = prefix + chain }
        if writesPte == nil, let chain = other.writesPte { writesPte = prefix + chain }
        if unresolved == nil, let chain = other.unresolved { unresolved = prefix + chain }
    }
}

/// Summaries per function definition, computed once per function body.
/// Calls deeper than `depth` are not followed: the summary is bounded, as
/// every interprocedural checker's is.
final class CalleeSummaries {
    static let depth = 3
    /// Where definitions of other files are looked up (nil: the
    /// translation unit only).
    let definitions: TreeFunctionDefinitions?
    private var cache: [Cursor: CalleeSummary] = [:]

    init(definitions: TreeFunctionDefinitions? = nil) {
        self.definitions = definitions
    }

    func summary(of definition: Cursor, depth: Int = CalleeSummaries.depth) -> CalleeSummary {
        if let known = cache[definition] { return known }
        cache[definition] = CalleeSummary()      // recursion adds nothing
        var result = CalleeSummary()
        let name = definition.spelling
        var elsewhere: [String] = []
        for call in Self.calls(in: definition) {
            let callee = call.spelling
            if LockOperations.pageReferenceDrops.contains(callee) {
                result.merge(CalleeSummary(dropsReference: [callee]), prefix: [name])
            } else if LockOperations.pteWrites[callee] != nil {
                result.merge(CalleeSummary(writesPte: [callee]), prefix: [name])
            } else if isKnown(call) || depth == 0 {
                continue
            } else if let body = call.referenced?.definition, body.kind == .functionDecl {
                result.merge(summary(of: body, depth: depth - 1), prefix: [name])
            } else {
                if callee.isEmpty || definitions == nil {
                    result.merge(CalleeSummary(unresolved: [Self.describe(callee)]), prefix: [name])
                } else {
                    elsewhere.append(callee)
                }
            }
        }
        if let definitions, !elsewhere.isEmpty {
            let resolutions = definitions.resolve(Set(elsewhere), depth: depth - 1)
            for callee in elsewhere {
                switch resolutions[callee] {
                case .defined(let inner, _)?:
                    result.merge(inner, prefix: [name])
                case .notFound?, nil:
                    result.merge(CalleeSummary(unresolved: [callee]), prefix: [name])
                }
            }
        }
        cache[definition] = result
        return result
    }

    /// The calls in `cursor`, in source order, leaving out the branches a
    /// constant condition never takes: the kernel's link-time assertions
    /// (`default: __bad_percpu_size();` in a `switch (sizeof(x))`,
    /// `if (!(cond)) __compiletime_assert_N();`) call functions that are
    /// defined nowhere, in code the compiler drops.
    static func calls(in cursor: Cursor) -> [Cursor] {
        var calls: [Cursor] = []
        collectCalls(in: cursor, into: &calls)
        return calls
    }

    private static func collectCalls(in cursor: Cursor, into calls: inout [Cursor]) {
        if cursor.kind == .callExpr { calls.append(cursor) }
        let children = cursor.children
        switch cursor.kind {
        case .ifStmt where children.count >= 2:
            if let value = foldedConstant(children[0]) {
                if value != 0 {
                    collectCalls(in: children[1], into: &calls)
                } else if children.count >= 3 {
                    collectCalls(in: children[2], into: &calls)
                }
                return
            }
        case .conditionalOperator where children.count == 3:
            if let value = foldedConstant(children[0]) {
                collectCalls(in: children[value != 0 ? 1 : 2], into: &calls)
                return
            }
        case .switchStmt where children.count == 2 && children[1].kind == .compoundStmt:
            if let value = foldedConstant(children[0]) {
                collectLiveCases(of: children[1].children, selecting: value, into: &calls)
                return
            }
        default:
            break
        }
        for child in children { collectCalls(in: child, into: &calls) }
    }

    /// The value of a condition every compiler folds the same way (`sizeof`,
    /// enumerators, literals). A condition with a call in it is not one:
    /// `__builtin_constant_p(x)` is decided by each compiler after its own
    /// inlining (libclang 14 leaves it unevaluated; this keeps it so).
    private static func foldedConstant(_ condition: Cursor) -> Int64? {
        guard let value = condition.integerValue else { return nil }
        var hasCall = condition.kind == .callExpr
        condition.visitChildren { child in
            if child.kind == .callExpr { hasCall = true; return .break }
            return .recurse
        }
        return hasCall ? nil : value
    }

    /// The statements of a `switch` on a constant that can run: from the
    /// label that matches (or `default:` when none does), falling through
    /// labels, until a `break`, `return` or `goto`.
    private static func collectLiveCases(of statements: [Cursor], selecting value: Int64,
                                         into calls: inout [Cursor]) {
        func labels(_ statement: Cursor) -> (values: [Int64?], isDefault: Bool, body: Cursor?) {
            var values: [Int64?] = []
            var isDefault = false
            var current = statement
            while current.kind == .caseStmt || current.kind == .defaultStmt {
                let parts = current.children
                if current.kind == .caseStmt {
                    values.append(parts.first?.integerValue)
                } else {
                    isDefault = true
                }
                guard let next = parts.last, parts.count >= (current.kind == .caseStmt ? 2 : 1) else {
                    return (values, isDefault, nil)
                }
                current = next
            }
            return (values, isDefault, current)
        }
        let all = statements.map(labels)
        // A label whose value clang cannot compute might be the one taken.
        let unknownLabel = all.contains { $0.values.contains(nil) }
        let matchExists = all.contains { $0.values.contains(value) }
        var live = false
        for (statement, label) in zip(statements, all) {
            let isLabel = !label.values.isEmpty || label.isDefault
            if isLabel {
                live = live || unknownLabel || label.values.contains(value) || (label.isDefault && !matchExists)
            }
            let body = isLabel ? label.body : statement
            guard let body else { continue }
            if live { collectCalls(in: body, into: &calls) }
            if [.breakStmt, .returnStmt, .gotoStmt].contains(body.kind) { live = false }
        }
    }

    /// A call whose effect is known without its body: a listed primitive,
    /// a notifier dispatch, or a call that never returns.
    func isKnown(_ call: Cursor) -> Bool {
        let name = call.spelling
        return LockOperations.isKnownPrimitive(name) || definitions?.notifierCalls.contains(name) == true
            || Self.neverReturns(call)
    }

    /// A call that never returns (BUG()) ends its path: what follows it
    /// does not run.
    static func neverReturns(_ call: Cursor) -> Bool {
        call.referenced?.type.canonical.contains("__attribute__((noreturn))") ?? false
    }

    /// The name as a chain element; a call through a pointer has none.
    static func describe(_ callee: String) -> String {
        callee.isEmpty ? "a function pointer" : callee
    }
}

/// A call between the op and the unlock to a function the translation
/// unit only declares: read from the tree only if the site is not refused
/// already (parsing another file cannot change a refusal).
struct DeferredCall {
    var call: Cursor
    var unlockLine: Int
}

extension SiteAnalyzer {
    /// Hazards inside the functions a node calls (the named primitives are
    /// judged where they are called), read from their bodies in this
    /// translation unit; calls to functions of other files are handed back
    /// in `elsewhere`, and one that cannot be read is named.
    func calleeHazards(in node: Int, unlockLine: Int, elsewhere: inout [DeferredCall]) -> [Finding] {
        guard let cursor = graph.nodes[node].cursor else { return [] }
        var summaries: [(call: Cursor, summary: CalleeSummary, files: [String])] = []
        var findings: [Finding] = []
        for call in CalleeSummaries.calls(in: cursor) {
            let name = call.spelling
            guard !LockOperations.pageReferenceDrops.contains(name), LockOperations.pteWrites[name] == nil else {
                continue
            }
            if function.callees.isKnown(call) {
                continue
            } else if let definition = call.referenced?.definition, definition.kind == .functionDecl {
                summaries.append((call, function.callees.summary(of: definition), []))
            } else if name.isEmpty || function.callees.definitions == nil {
                findings.append(unknownCallee(call, unlockLine: unlockLine, why: "it is not defined in this "
                                              + "file or its headers, nor a primitive the tool knows"))
            } else {
                elsewhere.append(DeferredCall(call: call, unlockLine: unlockLine))
            }
        }
        return findings + summaryFindings(summaries, unlockLine: unlockLine)
    }

    /// Hazards inside functions defined in other files of the tree, found
    /// with the token index and read from their bodies.
    func calleeHazardsElsewhere(_ deferred: [DeferredCall]) -> [Finding] {
        guard let definitions = function.callees.definitions, !deferred.isEmpty else { return [] }
        let resolutions = definitions.resolve(Set(deferred.map(\.call.spelling)), depth: CalleeSummaries.depth)
        var summaries: [(call: Cursor, summary: CalleeSummary, files: [String])] = []
        var findings: [Finding] = []
        for item in deferred {
            switch resolutions[item.call.spelling] {
            case .defined(let summary, let files)?:
                summaries.append((item.call, summary, files))
            case .notFound?, nil:
                findings.append(unknownCallee(item.call, unlockLine: item.unlockLine, why: "no file of the tree "
                                              + "defines it where the tool can see, and it is not a primitive "
                                              + "the tool knows"))
            }
        }
        let unlockLine = deferred[0].unlockLine
        return findings + summaryFindings(summaries, unlockLine: unlockLine)
    }

    /// The calls to functions of other files, named without reading them:
    /// the site is refused for other reasons, which reading cannot undo.
    func calleesNotLookedUp(_ deferred: [DeferredCall]) -> [Finding] {
        deferred.map { item in
            unknownCallee(item.call, unlockLine: item.unlockLine, why: "it is not defined in this file or its "
                          + "headers, and as the site is refused for the reasons above, the tool did not read "
                          + "it elsewhere in the tree")
        }
    }

    private func summaryFindings(_ summaries: [(call: Cursor, summary: CalleeSummary, files: [String])],
                                 unlockLine: Int) -> [Finding] {
        var findings: [Finding] = []
        for (call, summary, files) in summaries.sorted(by: { $0.call.extent.start.offset < $1.call.extent.start.offset }) {
            let name = call.spelling
            let at = line(call.extent.start.offset)
            let place = files.isEmpty ? "" : " (defined in \(files.joined(separator: ", ")))"
            if let chain = summary.dropsReference {
                findings.append(Finding(.pageReferenceDropped, line: at,
                                        "\(name)()\(place) at line \(at) drops a page reference "
                                        + "(\(Self.render([name] + chain.dropFirst()))) before the unlock at line "
                                        + "\(unlockLine); unless a reference the tool cannot see outlives the "
                                        + "notifier, a notifier after the unlock could leave a secondary mapping "
                                        + "to a freed page"))
            }
            if let chain = summary.writesPte {
                findings.append(Finding(.ptePointedElsewhere, line: at,
                                        "\(name)()\(place) at line \(at) writes a pte "
                                        + "(\(Self.render([name] + chain.dropFirst()))) before the unlock, and the "
                                        + "tool cannot tell which page it maps there"))
            }
            if let chain = summary.unresolved {
                findings.append(Finding(.unknownCallee, line: at,
                                        "cannot tell what \(name)()\(place) at line \(at) does: it calls "
                                        + "\(Self.render([name] + chain.dropFirst())), which the tool cannot "
                                        + "read; it could drop a page reference or re-point the pte before the "
                                        + "unlock at line \(unlockLine)"))
            }
        }
        return findings
    }

    private func unknownCallee(_ call: Cursor, unlockLine: Int, why: String) -> Finding {
        let at = line(call.extent.start.offset)
        let what = call.spelling.isEmpty ? "a call through a function pointer" : "\(call.spelling)()"
        return Finding(.unknownCallee, line: at,
                       "cannot tell what \(what) at line \(at) does: \(why); it could drop a page reference "
                       + "or re-point the pte before the unlock at line \(unlockLine)")
    }

    /// `a() → b() → a function pointer`.
    private static func render(_ chain: [String]) -> String {
        chain.map { $0.contains(" ") ? $0 : "\($0)()" }.joined(separator: " → ")
    }
}
