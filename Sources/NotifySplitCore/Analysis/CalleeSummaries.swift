import Clang

/// What a function called between the op and the unlock does, read from
/// its body when the translation unit has it (static functions of the
/// file, inline functions of headers), followed a few calls deep: whether
/// it drops a page reference or writes a pte, and through which calls.
struct CalleeSummary {
    /// The calls leading to a page-reference drop, outermost first.
    var dropsReference: [String]?
    /// The calls leading to a pte write, outermost first.
    var writesPte: [String]?
}

/// Summaries per function definition, computed once per function body.
final class CalleeSummaries {
    static let depth = 3
    private var cache: [Cursor: CalleeSummary] = [:]

    func summary(of definition: Cursor, depth: Int = CalleeSummaries.depth) -> CalleeSummary {
        if let known = cache[definition] { return known }
        cache[definition] = CalleeSummary()      // recursion adds nothing
        var result = CalleeSummary()
        let name = definition.spelling
        for call in Self.calls(in: definition) {
            let callee = call.spelling
            if result.dropsReference == nil, LockOperations.pageReferenceDrops.contains(callee) {
                result.dropsReference = [name, callee]
            } else if result.writesPte == nil, LockOperations.pteWrites[callee] != nil {
                result.writesPte = [name, callee]
            } else if depth > 0, let body = call.referenced?.definition, body.kind == .functionDecl {
                let inner = summary(of: body, depth: depth - 1)
                if result.dropsReference == nil, let chain = inner.dropsReference { result.dropsReference = [name] + chain }
                if result.writesPte == nil, let chain = inner.writesPte { result.writesPte = [name] + chain }
            }
        }
        cache[definition] = result
        return result
    }

    static func calls(in cursor: Cursor) -> [Cursor] {
        var calls: [Cursor] = cursor.kind == .callExpr ? [cursor] : []
        cursor.visitChildren { child in
            if child.kind == .callExpr { calls.append(child) }
            return .recurse
        }
        return calls
    }
}

extension SiteAnalyzer {
    /// Hazards inside the functions a node calls (the named primitives are
    /// judged where they are called).
    func calleeHazards(in node: Int, unlockLine: Int) -> [Finding] {
        guard let cursor = graph.nodes[node].cursor else { return [] }
        var findings: [Finding] = []
        for call in CalleeSummaries.calls(in: cursor) {
            let name = call.spelling
            guard !LockOperations.pageReferenceDrops.contains(name), LockOperations.pteWrites[name] == nil else {
                continue
            }
            let at = line(call.extent.start.offset)
            guard let definition = call.referenced?.definition, definition.kind == .functionDecl else {
                // A call that never returns (BUG()) ends its path before the unlock.
                let neverReturns = call.referenced?.type.canonical.contains("__attribute__((noreturn))") ?? false
                if !neverReturns, !LockOperations.isKnownPrimitive(name) {
                    let what = name.isEmpty ? "a call through a function pointer" : "\(name)()"
                    findings.append(Finding(.unknownCallee, line: at,
                                            "cannot tell what \(what) at line \(at) does: it is not defined in "
                                            + "this file or its headers, nor a primitive the tool knows; it could "
                                            + "drop a page reference or re-point the pte before the unlock at line "
                                            + "\(unlockLine)"))
                }
                continue
            }
            let summary = function.callees.summary(of: definition)
            if let chain = summary.dropsReference {
                findings.append(Finding(.pageReferenceDropped, line: at,
                                        "\(name)() at line \(at) drops a page reference (\(Self.render(chain))) "
                                        + "before the unlock at line \(unlockLine); unless a reference the tool "
                                        + "cannot see outlives the notifier, a notifier after the unlock could "
                                        + "leave a secondary mapping to a freed page"))
            }
            if let chain = summary.writesPte {
                findings.append(Finding(.ptePointedElsewhere, line: at,
                                        "\(name)() at line \(at) writes a pte (\(Self.render(chain))) before the "
                                        + "unlock, and the tool cannot tell which page it maps there"))
            }
        }
        return findings
    }

    private static func render(_ chain: [String]) -> String {
        chain.map { "\($0)()" }.joined(separator: " → ")
    }
}
