/// Where a function may sleep, and so where nothing above it can hold an
/// atomic lock: on every path from its entry to a call, a `might_sleep()`,
/// `cond_resched()`, a mutex or rw-semaphore taken (not tried). A caller
/// holding a spinlock there would be a kernel bug, so a chain of callers
/// need not be followed above such a call — the same reasoning as smatch's
/// sleep-in-atomic check, which trusts the kernel's own annotations.
enum SleepEvidence {
    /// Calls and macros that may sleep, by the kernel's API names.
    static let names: Set<String> = [
        "might_sleep", "might_fault", "cond_resched", "schedule", "schedule_timeout",
        "schedule_timeout_interruptible", "schedule_timeout_uninterruptible", "schedule_timeout_killable", "msleep",
        "msleep_interruptible", "ssleep", "usleep_range", "wait_for_completion", "wait_for_completion_interruptible",
        "wait_for_completion_killable", "synchronize_rcu", "synchronize_srcu", "synchronize_sched", "lock_page",
        "wait_on_page_locked", "flush_work", "flush_workqueue",
    ]

    /// The first sleep on every path before item `item` of `node`: the
    /// evidence, or nil when some path reaches the point without one.
    static func before(node: Int, item: Int, in facts: FunctionFacts) -> (what: String, line: Int)? {
        // Must-analysis: a node's in-value is the evidence every path in
        // carries (nil when one carries none).
        let count = facts.nodes.count
        guard count > 1 else { return nil }
        var incoming = [Evidence](repeating: .unreached, count: count)
        incoming[0] = .none
        var changed = true
        var rounds = 0
        while changed && rounds < count + 8 {
            changed = false
            rounds += 1
            for index in 0..<count {
                let state = incoming[index]
                guard state != .unreached else { continue }
                let out = transfer(state, facts.nodes[index].items)
                for successor in facts.nodes[index].successors {
                    let merged = meet(incoming[successor], out)
                    if merged != incoming[successor] {
                        incoming[successor] = merged
                        changed = true
                    }
                }
            }
        }
        let state = incoming[node]
        guard state != .unreached else { return nil }
        if case .slept(let what, let line) = transfer(state, Array(facts.nodes[node].items.prefix(item))) {
            return (what, line)
        }
        return nil
    }

    private enum Evidence: Hashable {
        case unreached
        case none
        case slept(String, Int)
    }

    private static func meet(_ a: Evidence, _ b: Evidence) -> Evidence {
        switch (a, b) {
        case (.unreached, let x), (let x, .unreached): return x
        case (.none, _), (_, .none): return .none
        case (.slept, .slept): return a
        }
    }

    private static func transfer(_ state: Evidence, _ items: [NodeFact.Item]) -> Evidence {
        if case .slept = state { return state }
        for item in items {
            switch item {
            case .sleep(let what, let line):
                return .slept("\(what)()", line)
            case .lock(let event):
                if case .acquire = event.operation, let kind = event.lock.kind, !kind.isAtomic {
                    return .slept("\(event.through ?? event.primitive)()", event.location.line)
                }
            default:
                break
            }
        }
        return state
    }
}
