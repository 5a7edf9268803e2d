/// The locks held at a point of a function, with where each was taken.
///
/// Forward and path-insensitive, with one refinement: a lock taken only when
/// a call succeeds (a trylock, a helper that returns NULL without the lock)
/// is held *if* an atom (the call, or the variable its result went to) is
/// non-zero, and a condition testing that atom decides it on each edge.
/// Where paths join, a lock held on some only is `some paths`: the audit
/// reports it, but never answers `false` from it alone.
struct HeldLock: Hashable, Sendable {
    enum Certainty: Hashable, Sendable {
        case all
        case some
        case ifAtom(String, nonzero: Bool)
    }

    var lock: LockRef
    var certainty: Certainty
    /// The lock as the function that took it wrote it.
    var takenText: String
    var takenIn: FunctionKey
    var takenAt: AuditLocation
    /// The callee whose body takes it (`page_lock_anon_vma`), if not a
    /// primitive written in `takenIn`.
    var through: String?
    var primitive: String
    /// A macro's own local: the lock cannot be paired by name.
    var unnamed: Bool
    /// The chain frame that took it (set by the chain walk).
    var frame: Int = -1
}

struct LockState: Hashable, Sendable {
    var held: [String: HeldLock] = [:]
    /// What the path knows of atoms: set by a condition's edge or a
    /// constant assigned (`rcu_locked = 1`).
    var facts: [String: Bool] = [:]

    /// Where paths join, a lock held on one and not the other is held *if*
    /// an atom the two paths disagree on says so (`if (anon_vma)
    /// spin_lock(…)` … `if (anon_vma) spin_unlock(…)`), else on some paths.
    static func join(_ a: LockState, _ b: LockState) -> LockState {
        var result = LockState()
        for (atom, value) in a.facts where b.facts[atom] == value { result.facts[atom] = value }
        let disagreeing = a.facts.keys.filter { b.facts[$0] != nil && b.facts[$0] != a.facts[$0] }.sorted()
        for key in Set(a.held.keys).union(b.held.keys) {
            let x = a.held[key], y = b.held[key]
            var joined = (x ?? y)!
            joined.certainty = joinCertainty(x?.certainty, a.facts, y?.certainty, b.facts, disagreeing: disagreeing)
            result.held[key] = joined
        }
        return result
    }

    /// One lock's certainty where two paths meet (nil: not held there).
    private static func joinCertainty(_ x: HeldLock.Certainty?, _ xFacts: [String: Bool],
                                      _ y: HeldLock.Certainty?, _ yFacts: [String: Bool],
                                      disagreeing: [String]) -> HeldLock.Certainty {
        if x == y, let x { return x }
        // Does a side agree with "held iff atom is `nonzero`"?
        func fits(_ c: HeldLock.Certainty?, _ facts: [String: Bool], _ atom: String, _ nonzero: Bool) -> Bool {
            switch c {
            case nil: return facts[atom] == !nonzero
            case .all?: return facts[atom] == nonzero
            case .ifAtom(let a, let v)?: return a == atom && v == nonzero
            case .some?: return false
            }
        }
        var candidates: [(String, Bool)] = []
        for c in [x, y] { if case .ifAtom(let a, let v)? = c { candidates.append((a, v)) } }
        for atom in disagreeing {
            if x == .all { candidates.append((atom, xFacts[atom]!)) }
            if y == .all { candidates.append((atom, yFacts[atom]!)) }
        }
        for (atom, nonzero) in candidates where fits(x, xFacts, atom, nonzero) && fits(y, yFacts, atom, nonzero) {
            return .ifAtom(atom, nonzero: nonzero)
        }
        return .some
    }

    /// A variable given a value: conditional locks on it no longer follow
    /// its tests.
    mutating func assign(_ atom: String, nonzero: Bool?) {
        let name = Self.variableName(atom)
        // Conditions written over the variable no longer say anything.
        var stale: Set<String> = [atom]
        if let name {
            for key in facts.keys where key.hasPrefix("expr:") && Self.mentions(key, name) { stale.insert(key) }
            for lock in held.values {
                if case .ifAtom(let a, _) = lock.certainty, a.hasPrefix("expr:"), Self.mentions(a, name) { stale.insert(a) }
            }
        }
        for key in stale { facts[key] = nil }
        facts[atom] = nonzero
        for (key, lock) in held {
            if case .ifAtom(let a, _) = lock.certainty, stale.contains(a) { held[key]?.certainty = .some }
        }
    }

    /// `var:anon_vma@123` → `anon_vma`.
    static func variableName(_ atom: String) -> String? {
        guard atom.hasPrefix("var:"), let at = atom.lastIndex(of: "@") else { return nil }
        return String(atom[atom.index(atom.startIndex, offsetBy: 4)..<at])
    }

    /// Whether an expression atom's text names the identifier.
    static func mentions(_ atom: String, _ name: String) -> Bool {
        var current = ""
        for c in atom.dropFirst(5) + " " {
            if c.isLetter || c.isNumber || c == "_" { current.append(c) } else {
                if current == name { return true }
                current = ""
            }
        }
        return false
    }

    mutating func apply(_ item: NodeFact.Item, in function: FunctionKey) {
        switch item {
        case .lock(let event): apply(event, in: function)
        case .assign(let atom, let nonzero): assign(atom, nonzero: nonzero)
        default: break
        }
    }

    /// Applies one event of `function`.
    mutating func apply(_ event: LockEvent, in function: FunctionKey) {
        let taken = { (certainty: HeldLock.Certainty) -> HeldLock in
            HeldLock(lock: event.lock, certainty: certainty, takenText: event.lock.key, takenIn: function,
                     takenAt: event.location, through: event.through, primitive: event.primitive,
                     unnamed: event.unnamed)
        }
        switch event.operation {
        case .acquire:
            held[event.lock.key] = taken(.all)
        case .acquireIf(let atom, let nonzero):
            held[event.lock.key] = taken(.ifAtom(atom, nonzero: nonzero))
        case .acquireMaybe:
            if held[event.lock.key] == nil { held[event.lock.key] = taken(.some) }
        case .release:
            release(event.lock, certainly: true)
        case .releaseMaybe:
            release(event.lock, certainly: false)
        case .relock, .initialise, .assert:
            break
        }
    }

    /// Drops the lock by its key; else, when exactly one held lock is the
    /// same lock object reached another way (`root_anon_vma->mutex` and
    /// `anon_vma->root->mutex`), that one — only when it was named out of
    /// the caller's reach, since two pointers to one lock type may well be
    /// two locks.
    private mutating func release(_ lock: LockRef, certainly: Bool) {
        var key: String? = held[lock.key] != nil ? lock.key : nil
        if key == nil, let identity = lock.identity {
            let same = held.filter { $0.value.lock.identity == identity && $0.value.lock.root == .local
                && $0.value.lock.key != lock.key }
            if same.count == 1 { key = same.first!.key }
        }
        guard let key else { return }
        if certainly {
            held[key] = nil
        } else {
            held[key]?.certainty = .some
        }
    }

    /// What an edge implies about the atoms decides the conditional locks.
    mutating func refine(_ implications: [Implication]) {
        for implication in implications {
            facts[implication.atom] = implication.nonzero
            // Nothing reached through a NULL pointer is held.
            if !implication.nonzero, let name = Self.variableName(implication.atom) {
                for key in held.keys where key.hasPrefix(name + "->") { held[key] = nil }
            }
            for (key, lock) in held {
                guard case .ifAtom(let atom, let nonzero) = lock.certainty, atom == implication.atom else { continue }
                if nonzero == implication.nonzero {
                    held[key]?.certainty = .all
                } else {
                    held[key] = nil
                }
            }
        }
    }
}

/// Runs the lock state over a function's graph from an entry state.
struct LockDataflow {
    let facts: FunctionFacts
    /// In-state of each node (nil: unreachable).
    private(set) var states: [LockState?]
    private(set) var converged = true

    init(facts: FunctionFacts, entry: LockState) {
        self.facts = facts
        let count = facts.nodes.count
        var states = [LockState?](repeating: nil, count: count)
        guard count > 1 else {
            self.states = states
            return
        }
        // Each node's in-state is the join of what its predecessors' edges
        // carry now (recomputed, not accumulated: a state a later round
        // makes more precise replaces the earlier one).
        var predecessors = [[(node: Int, edge: Int)]](repeating: [], count: count)
        for (index, node) in facts.nodes.enumerated() {
            for (edge, successor) in node.successors.enumerated() { predecessors[successor].append((index, edge)) }
        }
        var edges: [[LockState?]] = facts.nodes.map { [LockState?](repeating: nil, count: $0.successors.count) }
        var queue = [0]
        var queued = Set([0])
        var steps = 0
        let limit = 64 * count + 256
        while !queue.isEmpty {
            let node = queue.removeFirst()
            queued.remove(node)
            steps += 1
            if steps > limit {
                converged = false
                break
            }
            var inState: LockState? = node == 0 ? entry : nil
            for (predecessor, edge) in predecessors[node] {
                guard let carried = edges[predecessor][edge] else { continue }
                inState = inState.map { LockState.join($0, carried) } ?? carried
            }
            guard let inState else { continue }
            states[node] = inState
            let fact = facts.nodes[node]
            var out = inState
            for item in fact.items { out.apply(item, in: facts.key) }
            for (index, successor) in fact.successors.enumerated() {
                var edge = out
                if fact.successors.count == 2 {
                    edge.refine(index == 0 ? fact.thenImplies : fact.elseImplies)
                }
                if edges[node][index] != edge {
                    edges[node][index] = edge
                    if queued.insert(successor).inserted { queue.append(successor) }
                }
            }
        }
        self.states = states
    }

    /// The locks held just before item `index` of `node`.
    func state(atNode node: Int, item index: Int) -> LockState? {
        guard var state = states[node] else { return nil }
        for item in facts.nodes[node].items.prefix(index) { state.apply(item, in: facts.key) }
        return state
    }

    /// The state leaving a node (after all its items), for return nodes.
    func stateAfter(node: Int) -> LockState? {
        state(atNode: node, item: facts.nodes[node].items.count)
    }
}
