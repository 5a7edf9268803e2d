/// The kernel's locking primitives by the names of its generic API: what
/// each does to which lock. A lock *object*'s kind still comes from its
/// declared type (`LockKind.of`); the names here only say which argument is
/// the lock and whether it is taken, dropped, tried, initialised or
/// asserted. Functions built on these (`anon_vma_lock_read()`,
/// `page_lock_anon_vma()`) are not listed: their bodies are read
/// (`LockSummaries`). The page-table helpers come from the analysis'
/// `LockOperations`.
enum LockVocabulary {
    enum Operation: Hashable {
        case acquire
        case release
        /// Taken only when the call's result is non-zero (`successNonzero`)
        /// or zero (`down_trylock()`, `mutex_lock_interruptible()`).
        case tryAcquire(successNonzero: Bool)
        /// Taken when the call's result is non-NULL (`page_check_address()`).
        case acquireIfResult
        /// Dropped and taken again inside (`cond_resched_lock()`): still held.
        case relock
        case initialise
        case assert
    }

    enum LockArgument: Hashable {
        /// The lock is this argument (`&anon_vma->lock`, `ptl`, `&ptl`).
        case argument(Int)
        /// A context with no lock object: its kind and the key pairing its
        /// enter and exit (`rcu_read_lock()` with `rcu_read_unlock()`).
        case context(LockKind, String)
        /// `bit_spin_lock(bitnum, addr)`.
        case bit
        /// The lock the call returns (`ptl = pmd_lock(mm, pmd)`).
        case result
        /// The page-table lock of a `page_vma_mapped_walk` (`pvmw.ptl`).
        case walk(Int)
    }

    struct Entry: Hashable {
        var operation: Operation
        var lock: LockArgument
    }

    /// The entry for a callee or macro name, also through the kernel's
    /// internal spellings (`_spin_lock`, `_raw_spin_lock_irqsave`,
    /// `__raw_spin_lock`).
    static func entry(_ name: String) -> Entry? {
        if let entry = table[name] { return entry }
        var stripped = Substring(name)
        while stripped.first == "_" { stripped = stripped.dropFirst() }
        if let entry = table[String(stripped)] { return entry }
        if stripped.hasPrefix("raw_") { return table[String(stripped.dropFirst(4))] }
        return nil
    }

    /// Names `entry` answers for (to find files with lock sites by tokens).
    static var names: Set<String> { Set(table.keys) }

    private static let table: [String: Entry] = {
        var t: [String: Entry] = [:]
        func add(_ names: [String], _ operation: Operation, _ lock: LockArgument = .argument(0)) {
            for name in names { t[name] = Entry(operation: operation, lock: lock) }
        }
        let spin = ["spin_lock", "spin_lock_irq", "spin_lock_bh", "spin_lock_irqsave", "spin_lock_nested",
                    "spin_lock_irqsave_nested", "spin_lock_nest_lock"]
        let rw = ["read_lock", "read_lock_irq", "read_lock_bh", "read_lock_irqsave", "write_lock", "write_lock_irq",
                  "write_lock_bh", "write_lock_irqsave", "write_lock_nested"]
        let seq = ["write_seqlock", "write_seqlock_irq", "write_seqlock_bh", "write_seqlock_irqsave",
                   "read_seqlock_excl", "read_seqlock_excl_irq", "read_seqlock_excl_bh", "read_seqlock_excl_irqsave"]
        let sleeping = ["mutex_lock", "mutex_lock_nested", "mutex_lock_io", "mutex_lock_nest_lock", "down_read",
                        "down_write", "down_read_nested", "down_write_nested", "down_read_non_owner",
                        "down_write_nest_lock", "down", "percpu_down_read", "percpu_down_write", "rt_mutex_lock",
                        "rt_mutex_lock_nested"]
        add(spin + rw + seq + sleeping, .acquire)
        add(spin.map { $0.replacingOccurrences(of: "_lock", with: "_unlock") }
            .filter { !$0.contains("nest") } + ["spin_unlock_irqrestore"]
            + ["read_unlock", "read_unlock_irq", "read_unlock_bh", "read_unlock_irqrestore", "write_unlock",
               "write_unlock_irq", "write_unlock_bh", "write_unlock_irqrestore", "write_sequnlock",
               "write_sequnlock_irq", "write_sequnlock_bh", "write_sequnlock_irqrestore", "read_sequnlock_excl",
               "read_sequnlock_excl_irq", "read_sequnlock_excl_bh", "read_sequnlock_excl_irqrestore",
               "mutex_unlock", "up_read", "up_write", "up_read_non_owner", "up", "percpu_up_read", "percpu_up_write",
               "rt_mutex_unlock"], .release)
        add(["spin_trylock", "spin_trylock_irq", "spin_trylock_bh", "spin_trylock_irqsave", "read_trylock",
             "write_trylock", "mutex_trylock", "down_read_trylock", "down_write_trylock", "rt_mutex_trylock",
             "percpu_down_read_trylock"], .tryAcquire(successNonzero: true))
        add(["down_trylock", "mutex_lock_interruptible", "mutex_lock_killable", "mutex_lock_interruptible_nested",
             "mutex_lock_killable_nested", "down_interruptible", "down_killable", "down_read_killable",
             "down_write_killable", "down_read_interruptible", "down_timeout"], .tryAcquire(successNonzero: false))
        add(["atomic_dec_and_lock", "atomic_dec_and_lock_irqsave", "refcount_dec_and_lock",
             "refcount_dec_and_lock_irqsave", "atomic_dec_and_mutex_lock", "refcount_dec_and_mutex_lock"],
            .tryAcquire(successNonzero: true), .argument(1))
        add(["cond_resched_lock", "cond_resched_rwlock_read", "cond_resched_rwlock_write", "downgrade_write",
             "spin_unlock_wait"], .relock)
        add(["spin_lock_init", "rwlock_init", "mutex_init", "init_rwsem", "sema_init", "seqlock_init",
             "rt_mutex_init", "percpu_init_rwsem"], .initialise)
        add(["assert_spin_locked", "lockdep_assert_held", "lockdep_assert_held_write", "lockdep_assert_held_read",
             "lockdep_assert_held_once", "lockdep_assert_not_held", "lockdep_is_held", "spin_is_locked",
             "mutex_is_locked", "rwsem_is_locked", "spin_is_contended", "rwsem_is_contended", "spin_can_lock",
             "assert_raw_spin_locked"], .assert)
        // Contexts without a lock object.
        let contexts: [(enter: [String], exit: [String], kind: LockKind, key: String)] = [
            (["rcu_read_lock"], ["rcu_read_unlock"], .rcu, "rcu_read_lock()"),
            (["rcu_read_lock_bh"], ["rcu_read_unlock_bh"], .rcu, "rcu_read_lock_bh()"),
            (["rcu_read_lock_sched", "rcu_read_lock_sched_notrace"],
             ["rcu_read_unlock_sched", "rcu_read_unlock_sched_notrace"], .rcu, "rcu_read_lock_sched()"),
            (["preempt_disable", "preempt_disable_notrace", "get_cpu", "get_cpu_var", "get_cpu_ptr"],
             ["preempt_enable", "preempt_enable_notrace", "preempt_enable_no_resched", "put_cpu", "put_cpu_var",
              "put_cpu_ptr"], .preempt, "preempt_disable()"),
            (["local_irq_disable", "local_irq_save"], ["local_irq_enable", "local_irq_restore"], .irq,
             "local_irq_disable()"),
            (["local_bh_disable"], ["local_bh_enable"], .bh, "local_bh_disable()"),
        ]
        for context in contexts {
            add(context.enter, .acquire, .context(context.kind, context.key))
            add(context.exit, .release, .context(context.kind, context.key))
        }
        add(["srcu_read_lock"], .acquire)
        add(["srcu_read_unlock"], .release)
        add(["bit_spin_lock"], .acquire, .bit)
        add(["bit_spin_unlock", "__bit_spin_unlock"], .release, .bit)
        add(["bit_spin_trylock"], .tryAcquire(successNonzero: true), .bit)
        add(["bit_spin_is_locked"], .assert, .bit)
        // Page-table helpers, as the analysis knows them.
        for (name, index) in LockOperations.acquiring {
            if LockOperations.hiddenReleases.contains(name) {
                add([name], .tryAcquire(successNonzero: true), .walk(index))
            } else if name == "pte_offset_map_lock" || name == "spin_lock" {
                continue
            } else {
                add([name], .acquireIfResult, .argument(index))
            }
        }
        add(["pte_offset_map_lock"], .acquire, .argument(3))
        add(Array(LockOperations.acquiringByResult), .acquire, .result)
        add(["pmd_trans_huge_lock", "pud_trans_huge_lock", "__pmd_trans_huge_lock", "__pud_trans_huge_lock"],
            .acquireIfResult, .result)
        add(["pte_unmap_unlock"], .release, .argument(LockOperations.releases["pte_unmap_unlock"] ?? 1))
        add(["page_vma_mapped_walk_done"], .release,
            .walk(LockOperations.releases["page_vma_mapped_walk_done"] ?? 0))
        return t
    }()
}
