/// Answers one notifier call: every chain of callers up to the depth is
/// walked from its top down, each frame's locks carried into the next
/// through the call's arguments (so `do_wp_page()` releasing the
/// `vmf->ptl` its caller took is seen), and the locks held at the notifier
/// call are read at the bottom.
final class ChainEvaluator {
    let graph: CallerGraph
    let depth: Int
    static let chainLimit = 4096
    private var flows: [FunctionKey: [LockState: LockDataflow]] = [:]
    private lazy var byName: [String: [FunctionKey]] = Dictionary(grouping: graph.functions.keys, by: \.name)

    init(graph: CallerGraph, depth: Int) {
        self.graph = graph
        self.depth = depth
    }

    /// A chain: the notifier's function first, then each caller with the
    /// edge that reaches it.
    private struct Chain {
        var functions: [FunctionKey]
        var edges: [CallerGraph.Edge]
    }

    func evaluate(_ call: NotifierCallFact, in function: FunctionFacts) -> AuditResult.Call {
        var unknown = Set<String>()
        var cut = Set<String>()
        var sleepers = Set<String>()
        var chains: [Chain] = []
        var tooMany = false
        func extend(_ chain: Chain) {
            guard chains.count < Self.chainLimit else {
                tooMany = true
                return
            }
            let top = chain.functions.last!
            if let facts = graph.functions[top] {
                let site = chain.edges.last.map { facts.calls[$0.call] }
                let (node, item) = site.map { ($0.node, $0.eventIndex) } ?? (call.node, call.eventIndex)
                if let evidence = SleepEvidence.before(node: node, item: item, in: facts) {
                    // Its callers are not followed; a walk still owed to a
                    // registrar is one only if the registrar reaches it.
                    if unmetRegistrars(chain).contains(where: { !reaches($0, top) }) { return }
                    sleepers.insert("\(top.name)() \(evidence.what) at \(top.path):\(evidence.line)")
                    chains.append(chain)
                    return
                }
            }
            if chain.functions.count - 1 >= depth {
                if let callers = graph.resolved[top], callers.edges.isEmpty && callers.unknown.isEmpty {
                    finish(chain, complete: true)
                } else {
                    cut.insert(top.name)
                    finish(chain, complete: false)
                }
                return
            }
            guard let callers = graph.resolved[top] else {
                unknown.insert("the callers of \(top.name)() in \(top.path) could not be found")
                finish(chain, complete: false)
                return
            }
            unknown.formUnion(callers.unknown)
            if callers.edges.isEmpty {
                finish(chain, complete: true)
                return
            }
            var recursion = false
            for edge in callers.edges {
                if chain.functions.filter({ $0 == edge.caller }).count >= 2 {
                    // Recursion: once round is followed (the locks its own
                    // call holds); the chains above it are already walked.
                    recursion = true
                    continue
                }
                extend(Chain(functions: chain.functions + [edge.caller], edges: chain.edges + [edge]))
            }
            if recursion { finish(chain, complete: true) }
        }
        func finish(_ chain: Chain, complete: Bool) {
            // A call through a registered field belongs to its registrar's
            // walks: a chain that ends without passing through it is not one.
            for (index, edge) in chain.edges.enumerated() {
                guard let registrar = edge.registrar else { continue }
                let above = chain.functions[(index + 1)...].map(\.name)
                if !above.contains(registrar) && complete { return }
            }
            chains.append(chain)
        }
        extend(Chain(functions: [function.key], edges: []))
        if tooMany { unknown.insert("more than \(Self.chainLimit) caller chains; not all were followed") }
        // A chain cut at the depth says nothing of the callers above it.
        for name in cut { unknown.insert("the callers of \(name)() are beyond the depth of \(depth)") }

        var held: [AuditResult.Held] = []
        var seen = Set<AuditResult.Held>()
        var definitelyAtomic = false
        var followed = 0
        for chain in chains {
            guard let result = walk(chain, call: call, unknown: &unknown) else { continue }
            followed += 1
            for lock in result {
                let entry = report(lock, chain: chain, call: call)
                if seen.insert(entry).inserted { held.append(entry) }
                guard let kind = lock.lock.kind else {
                    unknown.insert("\(lock.takenText) (taken in \(lock.takenIn.name)()) has type "
                                   + "\(lock.lock.typeName ?? "?"), which is not a lock type the audit knows")
                    continue
                }
                guard kind.isAtomic else { continue }
                if case .all = lock.certainty, !lock.unnamed {
                    definitelyAtomic = true
                } else {
                    unknown.insert("\(lock.takenText) (\(kind.rawValue), taken in \(lock.takenIn.name)()) is held "
                                   + "at the call on some paths only")
                }
            }
        }
        let sleepable: AuditResult.Sleepable = definitelyAtomic ? .no : unknown.isEmpty ? .yes : .unknown
        return AuditResult.Call(path: function.key.path, line: call.location.line, column: call.location.column,
                                function: function.key.name, notifier: call.written, dispatch: call.dispatch,
                                sleepable: sleepable, held: held, unknown: unknown.sorted(), chains: followed,
                                depthLimited: cut.sorted(), sleepsFirst: sleepers.sorted())
    }

    /// Registrars of the chain's field and parameter calls that no frame
    /// above the call passes through yet.
    private func unmetRegistrars(_ chain: Chain) -> [String] {
        chain.edges.enumerated().compactMap { index, edge in
            guard let registrar = edge.registrar,
                  !chain.functions[(index + 1)...].contains(where: { $0.name == registrar }) else { return nil }
            return registrar
        }
    }

    /// Whether `registrar` calls `target` directly or through functions the
    /// audit read, within the depth (true when the registrar was not read:
    /// the chain is kept rather than lost).
    private func reaches(_ registrar: String, _ target: FunctionKey) -> Bool {
        let starts = byName[registrar] ?? []
        guard !starts.isEmpty else { return true }
        var frontier = starts
        var seen = Set(frontier)
        for _ in 0...depth {
            var next: [FunctionKey] = []
            for key in frontier {
                for call in graph.functions[key]?.calls ?? [] {
                    guard case .function(let name, let fileStatic) = call.callee else { continue }
                    if name == target.name && (!fileStatic || key.path == target.path) { return true }
                    for callee in byName[name] ?? [] where (!fileStatic || callee.path == key.path)
                        && seen.insert(callee).inserted {
                        next.append(callee)
                    }
                }
            }
            frontier = next
        }
        return false
    }

    /// The locks held at the notifier call along one chain (nil: the chain
    /// is not a path of the code, or could not be walked).
    private func walk(_ chain: Chain, call: NotifierCallFact, unknown: inout Set<String>) -> [HeldLock]? {
        var state = LockState()
        var index = chain.functions.count - 1
        while index >= 1 {
            guard let facts = graph.functions[chain.functions[index]] else {
                unknown.insert("\(chain.functions[index].name)() could not be read")
                return nil
            }
            if let damage = facts.damage {
                unknown.insert("\(facts.key.name)() in \(facts.key.path) cannot be trusted: \(damage)")
                return nil
            }
            let edge = chain.edges[index - 1]
            let flow = self.flow(facts, entry: state)
            if !flow.converged { unknown.insert("the lock states of \(facts.key.name)() did not settle") }
            let fact = facts.calls[edge.call]
            guard var here = flow.state(atNode: fact.node, item: fact.eventIndex) else { return nil }
            for (key, lock) in here.held where lock.frame < 0 { here.held[key]?.frame = index }
            guard let callee = graph.functions[chain.functions[index - 1]] else { return nil }
            state = Self.carry(here, through: fact.arguments, into: callee.parameters, from: facts.key.name)
            index -= 1
        }
        guard let facts = graph.functions[chain.functions[0]] else { return nil }
        if let damage = facts.damage {
            unknown.insert("\(facts.key.name)() in \(facts.key.path) cannot be trusted: \(damage)")
            return nil
        }
        let flow = self.flow(facts, entry: state)
        if !flow.converged { unknown.insert("the lock states of \(facts.key.name)() did not settle") }
        guard var here = flow.state(atNode: call.node, item: call.eventIndex) else { return nil }
        for (key, lock) in here.held where lock.frame < 0 { here.held[key]?.frame = 0 }
        return here.held.values.sorted { ($0.takenAt, $0.lock.key) < ($1.takenAt, $1.lock.key) }
    }

    private func flow(_ facts: FunctionFacts, entry: LockState) -> LockDataflow {
        if let known = flows[facts.key]?[entry] { return known }
        let flow = LockDataflow(facts: facts, entry: entry)
        flows[facts.key, default: [:]][entry] = flow
        return flow
    }

    /// The caller's locks in the callee's terms: through the argument that
    /// reaches each; a global lock or context as it is; any other keeps a
    /// name the callee cannot write (it may still release it as the same
    /// lock object, see `LockState`).
    static func carry(_ state: LockState, through arguments: [String], into parameters: [String],
                      from caller: String) -> LockState {
        var result = LockState()
        for (_, lock) in state.held {
            var carried = lock
            if let renamed = LockExpressions.rename(lock.lock.key, arguments: arguments, parameters: parameters) {
                carried.lock.key = renamed
                carried.lock.root = LockExpressions.root(ofKey: renamed, parameters: parameters) ?? .local
            } else if lock.lock.root != .global {
                carried.lock.key = "\(caller)():\(lock.lock.key)"
                carried.lock.root = .local
            }
            result.held[carried.lock.key] = carried
        }
        return result
    }

    private func report(_ lock: HeldLock, chain: Chain, call: NotifierCallFact) -> AuditResult.Held {
        let top = max(0, min(lock.frame, chain.functions.count - 1))
        var frames: [AuditResult.Frame] = []
        for index in stride(from: top, through: 0, by: -1) {
            let key = chain.functions[index]
            let line = index == 0 ? call.location.line
                : graph.functions[key].map { $0.calls[chain.edges[index - 1].call].location.line } ?? 0
            frames.append(AuditResult.Frame(function: key.name, path: key.path, line: line))
        }
        let certain: Bool
        if case .all = lock.certainty { certain = !lock.unnamed } else { certain = false }
        return AuditResult.Held(lock: lock.takenText, kind: lock.lock.kind?.rawValue, atomic: lock.lock.kind?.isAtomic,
                                typeName: lock.lock.typeName, identity: lock.lock.identity,
                                declaredAt: lock.lock.declaredAt.map { ($0.path, $0.line) },
                                takenIn: lock.takenIn.name, takenAt: (lock.takenAt.path, lock.takenAt.line),
                                takenBy: lock.through ?? lock.primitive, paths: certain ? "all" : "some",
                                chain: frames)
    }
}
