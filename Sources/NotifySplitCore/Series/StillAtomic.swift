/// What `audit` says of the notifier calls a series moved after the unlock:
/// which still run in atomic context once the series is applied, and the
/// locks that keep them there. Convert asks only about the functions it
/// converted, on the tree as the series leaves it, without the lock
/// inventory: the cost is parsing those functions' callers, not the tree.
/// The messages render it; a call that is not atomic any more earns no
/// claim about what notifiers may now do.
public struct StillAtomic: Sendable {
    /// An atomic lock or context held at the call on every path of a chain.
    public struct Lock: Sendable, Hashable {
        public var lock: String
        public var kind: String
        public var takenIn: String
    }

    /// One converted function's notifier calls, as the audit answered them.
    public struct Function: Sendable {
        public var path: String
        public var function: String
        public var sleepable: AuditResult.Sleepable
        public var locks: [Lock]
    }

    public var depth: Int
    public var functions: [Function]

    public init(depth: Int, functions: [Function]) {
        self.depth = depth
        self.functions = functions
    }

    /// The answer for a converted function, if it was audited.
    func function(path: String, name: String?) -> Function? {
        functions.first { $0.path == path && $0.function == name }
    }

    /// The functions whose notifier call is still atomic, in series order.
    var atomic: [Function] { functions.filter { $0.sleepable == .no } }

    /// Audits the functions `series` converts, with the series applied in
    /// memory; nil when it converts none.
    public static func audit(series: Series, tree: KernelTree, arguments: any CompileArgumentsProvider,
                             architecture: String?, depth: Int = 4, workers: Int = defaultWorkerCount,
                             scanCache: TokenScanCache? = nil) throws(NotifySplitError) -> StillAtomic? {
        var order: [Audit.Options.Only] = []
        for site in series.patches.flatMap(\.sites) {
            guard let function = site.function else { continue }
            let only = Audit.Options.Only(path: site.path, function: function)
            if !order.contains(only) { order.append(only) }
        }
        guard !order.isEmpty else { return nil }
        var overlay = TreeOverlay()
        overlay.files = series.finalFiles
        let result = try Audit.run(tree: tree, arguments: arguments, overlay: overlay,
                                   options: .init(depth: depth, workers: workers, architecture: architecture,
                                                  onlyFunctions: Set(order), inventory: false,
                                                  scanCache: scanCache))
        var functions: [Function] = []
        for only in order {
            // The calls the series wrote: direct mmu_notifier_*() calls. A
            // notify macro left in the function is a refused site, still
            // under its own lock; it is not the converted call.
            let calls = result.calls.filter { $0.path == only.path && $0.function == only.function
                && $0.notifier == $0.dispatch }
            guard !calls.isEmpty else { continue }
            let sleepable: AuditResult.Sleepable = calls.contains { $0.sleepable == .no } ? .no
                : calls.contains { $0.sleepable == .unknown } ? .unknown : .yes
            var locks: [Lock] = []
            for held in calls.flatMap(\.held) where held.atomic == true && held.paths == "all" {
                let lock = Lock(lock: held.lock, kind: held.kind ?? "?", takenIn: held.takenIn)
                if !locks.contains(lock) { locks.append(lock) }
            }
            functions.append(Function(path: only.path, function: only.function, sleepable: sleepable, locks: locks))
        }
        return StillAtomic(depth: depth, functions: functions)
    }

    /// `anon_vma->lock (spinlock, taken in rmap_walk_anon())`, for the
    /// messages.
    static func describe(_ lock: Lock) -> String {
        "\(lock.lock) (\(lock.kind), taken in \(lock.takenIn)())"
    }
}
