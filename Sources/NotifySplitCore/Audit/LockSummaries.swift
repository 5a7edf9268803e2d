import Clang

/// The lock effect of calling a function whose body the translation unit
/// has, read from that body: which locks it returns holding (always, or
/// only when it returns non-NULL), and which of its caller's locks it
/// releases. Lock wrappers are learnt this way (`anon_vma_lock_read()`,
/// `i_mmap_lock_write()`, 2.6's `page_lock_anon_vma()`), never listed by
/// name. A function the unit only declares is taken to leave the locks as
/// they were.
final class LockSummaries {
    /// How many calls deep bodies are read.
    static let depth = 3

    struct Effect {
        enum Pattern: Hashable {
            case parameter(Int, rest: String)
            /// Rooted in what the function returns (`anon_vma->lock` of the
            /// returned `anon_vma`).
            case result(rest: String)
            case global(String)
            /// Named by the callee's own locals: the caller cannot name it.
            case opaque(String)
        }

        var operation: LockEvent.Operation
        var pattern: Pattern
        var lock: LockRef
        var primitive: String
        var unnamed: Bool
    }

    private unowned let extractor: FactExtractor
    private var cache: [String: [Effect]] = [:]
    private var mayLockCache: [String: Bool] = [:]
    private var inProgress = Set<String>()

    init(extractor: FactExtractor) {
        self.extractor = extractor
    }

    /// The effect of one call of `definition`, in the caller's terms.
    func effects(of definition: Cursor, depth: Int, at location: AuditLocation, arguments: [String],
                 assigned: (atom: String, text: String)?, callAtom: @autoclosure () -> String,
                 caller: NodeReader) -> [LockEvent] {
        let name = definition.spelling
        let summary = self.summary(of: definition, depth: depth)
        guard !summary.isEmpty else { return [] }
        var events: [LockEvent] = []
        for effect in summary {
            var lock = effect.lock
            var unnamed = effect.unnamed
            switch effect.pattern {
            case .parameter(let index, let rest):
                guard let key = LockExpressions.substitute(parameter: index, rest: rest, arguments: arguments) else {
                    continue
                }
                lock.key = LockExpressions.normalize(key)
                lock.root = LockExpressions.root(ofKey: lock.key, parameters: caller.parameters) ?? .local
            case .result(let rest):
                if let assigned {
                    lock.key = assigned.text + rest
                    lock.root = LockExpressions.root(ofKey: lock.key, parameters: caller.parameters) ?? .local
                } else {
                    lock.key = "\(name)()" + rest
                    lock.root = .local
                    unnamed = true
                }
            case .global(let key):
                lock.key = key
                lock.root = .global
            case .opaque(let key):
                lock.key = "\(name)():\(key)"
                lock.root = .local
            }
            var operation = effect.operation
            if case .acquireIf(_, let nonzero) = effect.operation {
                operation = .acquireIf(atom: assigned?.atom ?? callAtom(), whenNonzero: nonzero)
            }
            events.append(LockEvent(operation: operation, lock: lock, location: location, primitive: effect.primitive,
                                    through: name, unnamed: unnamed))
        }
        return events
    }

    /// The effect of `definition` in its own terms, computed once.
    func summary(of definition: Cursor, depth: Int) -> [Effect] {
        let usr = definition.usr
        if let known = cache[usr] { return known }
        guard !inProgress.contains(usr), mayLock(definition, depth: depth) else { return [] }
        inProgress.insert(usr)
        defer { inProgress.remove(usr) }
        guard let facts = extractor.facts(of: definition, summaryDepth: depth - 1), facts.damage == nil else {
            cache[usr] = []
            return []
        }
        let result = Self.effects(of: facts)
        cache[usr] = result
        return result
    }

    /// Runs the body with every parameter-rooted lock it releases held on
    /// entry, and reads the state on each way out.
    static func effects(of facts: FunctionFacts) -> [Effect] {
        let entryKey = FunctionKey(path: "", name: "<entry>")
        // Every parameter-rooted lock the body drops may be its caller's:
        // it is, if some drop meets it still held from the entry (a drop, or
        // a drop and retake as in 2.6's unmap_mapping_range_vma()); a lock
        // the body only drops after taking it itself is its own.
        var candidates = LockState()
        for node in facts.nodes {
            for case .lock(let event) in node.items {
                guard case .release = event.operation, case .parameter = event.lock.root else { continue }
                candidates.held[event.lock.key] = HeldLock(lock: event.lock, certainty: .all, takenText: event.lock.key,
                                                           takenIn: entryKey, takenAt: event.location, through: nil,
                                                           primitive: event.primitive, unnamed: false)
            }
        }
        var entry = LockState()
        if !candidates.held.isEmpty {
            let probe = LockDataflow(facts: facts, entry: candidates)
            for (index, node) in facts.nodes.enumerated() {
                for (position, item) in node.items.enumerated() {
                    guard case .lock(let event) = item, case .release = event.operation,
                          let state = probe.state(atNode: index, item: position),
                          state.held[event.lock.key]?.takenIn == entryKey else { continue }
                    entry.held[event.lock.key] = candidates.held[event.lock.key]
                }
            }
        }
        let flow = LockDataflow(facts: facts, entry: entry)
        AuditDebug.dump(facts, flow)
        guard flow.converged else { return [] }
        // Every way out: the nodes leading to the exit, with what they return.
        var exits: [(state: LockState, value: ReturnValue?)] = []
        for (index, node) in facts.nodes.enumerated() where node.successors.contains(1) {
            guard let state = flow.stateAfter(node: index) else { continue }
            exits.append((state, node.returns))
        }
        guard !exits.isEmpty else { return [] }
        var effects: [Effect] = []
        var keys = Set<String>()
        for exit in exits { keys.formUnion(exit.state.held.keys) }
        keys.formUnion(entry.held.keys)
        for key in keys.sorted() {
            let present = exits.map { $0.state.held[key] }
            if let original = entry.held[key] {
                // A lock of the caller's: released on every way out, or some.
                let kept = present.filter { $0?.certainty == .all }.count
                guard kept < exits.count, case .parameter(let index, let rest) = original.lock.root else { continue }
                effects.append(Effect(operation: kept == 0 ? .release : .releaseMaybe,
                                      pattern: .parameter(index, rest: rest), lock: original.lock,
                                      primitive: original.primitive, unnamed: false))
                continue
            }
            guard let lock = present.compactMap({ $0 }).first else { continue }
            var operation: LockEvent.Operation
            if present.allSatisfy({ $0?.certainty == .all }) {
                operation = .acquire
            } else if isHeldIffNonNull(key: key, exits: exits) {
                operation = .acquireIf(atom: "", whenNonzero: true)
            } else {
                operation = .acquireMaybe
            }
            // Named through what is returned, when every holding way out
            // returns the variable the lock hangs off.
            let pattern: Effect.Pattern
            switch lock.lock.root {
            case .parameter(let index, let rest): pattern = .parameter(index, rest: rest)
            case .global: pattern = .global(key)
            case .local:
                let returned = Set(zip(exits, present).compactMap { exit, held -> String? in
                    guard held != nil, case .atom(_, let name)? = exit.value else { return nil }
                    return name
                })
                if returned.count == 1, let name = returned.first, key == name || key.hasPrefix(name + "->")
                    || key.hasPrefix(name + ".") {
                    pattern = .result(rest: String(key.dropFirst(name.count)))
                } else {
                    pattern = .opaque(key)
                }
            }
            effects.append(Effect(operation: operation, pattern: pattern, lock: lock.lock, primitive: lock.primitive,
                                  unnamed: lock.unnamed))
        }
        return effects
    }

    /// Held on every way out that returns something other than NULL, and on
    /// none that returns NULL (or held exactly when the returned variable is
    /// non-zero).
    private static func isHeldIffNonNull(key: String, exits: [(state: LockState, value: ReturnValue?)]) -> Bool {
        var sawNull = false
        for exit in exits {
            let held = exit.state.held[key]
            switch exit.value {
            case .nullConstant?:
                if held != nil { return false }
                sawNull = true
            case .atom(let atom, _)?:
                switch held?.certainty {
                case .all?: continue
                case .ifAtom(let a, let nonzero)? where a == atom && nonzero: sawNull = true
                default: return false
                }
            case .other?:
                if held?.certainty != .all { return false }
            case nil:
                return false
            }
        }
        return sawNull
    }

    /// Whether a body can touch a lock at all: a primitive among its
    /// tokens, or a call of a body that can (a cheap test before reading
    /// the body's graph).
    func mayLock(_ definition: Cursor, depth: Int) -> Bool {
        let usr = definition.usr
        if let known = mayLockCache[usr] { return known }
        mayLockCache[usr] = false
        var result = definition.tokens.contains { $0.kind == .identifier && LockVocabulary.entry($0.spelling) != nil }
        if !result && depth > 1 {
            definition.visitChildren { child in
                if child.kind == .callExpr, let callee = child.referenced, callee.kind == .functionDecl,
                   let body = callee.definition, body.kind == .functionDecl, mayLock(body, depth: depth - 1) {
                    result = true
                    return .break
                }
                return .recurse
            }
        }
        mayLockCache[usr] = result
        return result
    }
}
