/// What a held lock or context means for a call made under it: whether the
/// caller may sleep there.
///
/// A lock object's kind is read from its declared type (`spinlock_t`,
/// `struct mutex`, …), through typedefs, never from its name or from the
/// function that takes it. The contexts (RCU read sections, disabled
/// preemption or interrupts) have no lock object; their kind is the
/// section itself.
public enum LockKind: String, Hashable, Sendable, CaseIterable, Codable {
    case spinlock, rwlock, seqlock
    case bitSpinlock = "bit-spinlock"
    case rcu
    case preempt = "preempt-disabled"
    case irq = "irqs-disabled"
    case bh = "bh-disabled"
    case mutex, rwsem, semaphore
    case rtMutex = "rt-mutex"
    case percpuRwsem = "percpu-rwsem"
    case srcu

    /// True when nothing may sleep while it is held.
    public var isAtomic: Bool {
        switch self {
        case .spinlock, .rwlock, .seqlock, .bitSpinlock, .rcu, .preempt, .irq, .bh: true
        case .mutex, .rwsem, .semaphore, .rtMutex, .percpuRwsem, .srcu: false
        }
    }

    /// The kind a declared type stands for: the names of the type from the
    /// one written through its typedefs (`Cursor.typeNames`); nil when none
    /// is a lock type the audit knows.
    static func of(typeNames: [String]) -> LockKind? {
        for name in typeNames {
            if let kind = byTypeName[name] { return kind }
        }
        return nil
    }

    private static let byTypeName: [String: LockKind] = [
        "spinlock_t": .spinlock, "struct spinlock": .spinlock,
        "raw_spinlock_t": .spinlock, "struct raw_spinlock": .spinlock, "arch_spinlock_t": .spinlock,
        "rwlock_t": .rwlock, "arch_rwlock_t": .rwlock,
        "seqlock_t": .seqlock,
        "struct mutex": .mutex,
        "struct rw_semaphore": .rwsem,
        "struct semaphore": .semaphore,
        "struct rt_mutex": .rtMutex,
        "struct percpu_rw_semaphore": .percpuRwsem,
        "struct srcu_struct": .srcu,
    ]
}
