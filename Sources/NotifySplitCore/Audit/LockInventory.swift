/// Which atomic locks keep which notifier calls atomic, and every site of
/// each such lock object in the tree: the work list for turning it into a
/// sleeping lock. A lock object is a struct's field (`struct anon_vma.lock`)
/// or a global; its sites are found in the files that name both the field
/// and the struct (by tokens), parsed, each lock expression resolved by
/// libclang to that field. A lock reached through a pointer variable (the
/// page-table lock) and the contexts (RCU, preemption) have no one object
/// to inventory.
struct LockInventory {
    let graph: CallerGraph

    /// The atomic locks held on every path of some chain, grouped by lock
    /// object (or by expression and taker when there is none).
    static func summarize(_ calls: [AuditResult.Call]) -> [AuditResult.Lock] {
        var order: [String] = []
        var locks: [String: AuditResult.Lock] = [:]
        for call in calls {
            for held in call.held where held.atomic == true && held.paths == "all" {
                let group = held.identity ?? "\(held.lock) in \(held.takenIn)()"
                if locks[group] == nil {
                    order.append(group)
                    locks[group] = AuditResult.Lock(lock: held.identity.map { Self.display($0, as: held.lock) }
                                                        ?? held.lock,
                                                    kind: held.kind ?? "?", identity: held.identity,
                                                    declaredAt: held.declaredAt, calls: [], takenIn: [], sites: [],
                                                    inventoryNote: nil)
                }
                let callName = "\(call.path):\(call.line) \(call.function)()"
                if !locks[group]!.calls.contains(callName) { locks[group]!.calls.append(callName) }
                let taker = held.takenBy == "" || held.takenBy == held.lock ? "\(held.takenIn)()"
                    : "\(held.takenIn)() (\(held.takenBy)())"
                if !locks[group]!.takenIn.contains(taker) { locks[group]!.takenIn.append(taker) }
            }
        }
        return order.map { locks[$0]! }.sorted { ($0.calls.count, $1.lock) > ($1.calls.count, $0.lock) }
    }

    /// `struct anon_vma.lock` shown as the taker wrote it when it ends so
    /// (`anon_vma->lock`), else as the object.
    private static func display(_ identity: String, as written: String) -> String {
        guard let field = identity.split(separator: ".").last else { return identity }
        return written.hasSuffix("->" + field) || written.hasSuffix("." + field) || written == identity
            ? written : identity
    }

    func withSites(_ locks: [AuditResult.Lock]) -> [AuditResult.Lock] {
        var result = locks
        for (index, lock) in locks.enumerated() {
            guard let identity = lock.identity else {
                result[index].inventoryNote = lock.kind == LockKind.rcu.rawValue
                    || lock.kind == LockKind.preempt.rawValue || lock.kind == LockKind.irq.rawValue
                    || lock.kind == LockKind.bh.rawValue
                    ? "a context, not a lock object" : "reached through a pointer variable; no one lock object"
                continue
            }
            var groups: [[String]]
            let parts = identity.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                let tag = parts[0].split(separator: " ").last.map(String.init) ?? parts[0]
                groups = [[parts[1]], [tag]]
            } else {
                groups = [[identity]]
            }
            let files = graph.nameLookup().files(mentioningAll: groups)
            let sources = files.filter { $0.hasSuffix(".c") }
            _ = graph.inventoryFacts(paths: sources)
            var sites = Set<AuditResult.Site>()
            for file in graph.files.values {
                for site in file.lockSites where site.identity == identity {
                    sites.insert(AuditResult.Site(path: site.location.path, line: site.location.line,
                                                  column: site.location.column, function: site.function,
                                                  operation: site.operation, primitive: site.primitive,
                                                  expression: site.expression))
                }
            }
            result[index].sites = sites.sorted { ($0.path, $0.line, $0.column) < ($1.path, $1.line, $1.column) }
            let headers = files.filter { $0.hasSuffix(".h") }
            let covered = Set(sites.map(\.path))
            let uncovered = headers.filter { !covered.contains($0) }
            if !uncovered.isEmpty {
                result[index].inventoryNote = "also named in " + uncovered.joined(separator: ", ")
                    + " (macros or inlines no parsed file expands; not resolved)"
            }
        }
        return result
    }
}
