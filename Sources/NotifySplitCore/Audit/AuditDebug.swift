import Foundation

/// `NOTIFYSPLIT_AUDIT_DEBUG=function` prints that function's nodes, items
/// and lock states on stderr when the audit reads it (for writing rules).
enum AuditDebug {
    static let function = ProcessInfo.processInfo.environment["NOTIFYSPLIT_AUDIT_DEBUG"]

    static func dump(_ facts: FunctionFacts, _ flow: LockDataflow) {
        guard let function, facts.key.name == function else { return }
        var out = "== \(facts.key) params \(facts.parameters)\n"
        for (index, node) in facts.nodes.enumerated() {
            let state = flow.states[index].map { state in
                state.held.values.map { "\($0.lock.key)=\($0.certainty)" }.sorted().joined(separator: ",")
                    + " facts " + state.facts.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ",")
            } ?? "unreached"
            out += "[\(index)] -> \(node.successors) in: \(state)\n"
            for item in node.items { out += "      \(item)\n" }
            if !node.thenImplies.isEmpty || !node.elseImplies.isEmpty {
                out += "      then \(node.thenImplies.map { "\($0.atom)=\($0.nonzero)" }) else \(node.elseImplies.map { "\($0.atom)=\($0.nonzero)" })\n"
            }
            if let value = node.returns { out += "      returns \(value)\n" }
        }
        FileHandle.standardError.write(Data(out.utf8))
    }
}
