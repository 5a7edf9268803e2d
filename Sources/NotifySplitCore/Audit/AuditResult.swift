/// `audit`'s findings, as data: per notifier call, whether it may sleep
/// and which held locks say it may not; per atomic lock, the calls it keeps
/// atomic and its sites in the tree. The report layer renders them.
public struct AuditResult: Sendable {
    public enum Sleepable: String, Sendable, Hashable {
        case yes = "true"
        case no = "false"
        case unknown
    }

    /// One frame of a call chain: the function, and the line of the call it
    /// makes towards the notifier (the notifier call itself in the last).
    public struct Frame: Sendable, Hashable {
        public var function: String
        public var path: String
        public var line: Int
    }

    /// A lock or context held when the notifier runs, on one chain.
    public struct Held: Sendable, Hashable {
        /// As the function that took it wrote it (`anon_vma->lock`).
        public var lock: String
        /// From its declared type; nil when the type is not a lock type
        /// the audit knows.
        public var kind: String?
        public var atomic: Bool?
        /// The declared type's name when the kind is unknown.
        public var typeName: String?
        /// `struct anon_vma.lock`, a global's name, or nil.
        public var identity: String?
        public var declaredAt: (path: String, line: Int)?
        public var takenIn: String
        public var takenAt: (path: String, line: Int)
        /// The primitive or wrapper call that takes it (`spin_lock`,
        /// `page_lock_anon_vma`).
        public var takenBy: String
        /// "all" when every path through the chain holds it, "some" when
        /// only some do.
        public var paths: String
        /// From the function that took it down to the notifier call.
        public var chain: [Frame]

        public static func == (a: Held, b: Held) -> Bool {
            a.lock == b.lock && a.takenIn == b.takenIn && a.chain == b.chain && a.paths == b.paths
        }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(lock)
            hasher.combine(takenIn)
            hasher.combine(chain)
        }
    }

    public struct Call: Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        public var function: String
        /// What is written at the call: a notify macro or the
        /// `mmu_notifier_*()` function.
        public var notifier: String
        /// The `mmu_notifier_*()` function that runs the notifiers.
        public var dispatch: String
        public var sleepable: Sleepable
        /// Every held lock or context, on every chain (sleeping ones too).
        public var held: [Held]
        /// What could not be followed (why the answer is unknown).
        public var unknown: [String]
        /// Chains followed, and the functions where one was cut at --depth.
        public var chains: Int
        public var depthLimited: [String]
        /// Where chains stop because the function sleeps first (a
        /// `might_sleep()`, a mutex taken) before calling on towards the
        /// notifier: its callers cannot hold an atomic lock there.
        public var sleepsFirst: [String] = []
    }

    /// An atomic lock that keeps notifier calls atomic.
    public struct Lock: Sendable {
        public var lock: String
        public var kind: String
        public var identity: String?
        public var declaredAt: (path: String, line: Int)?
        /// The calls it keeps atomic, as `path:line function`.
        public var calls: [String]
        /// The functions that take it on those chains (and through what).
        public var takenIn: [String]
        public var sites: [Site]
        /// Why there is no inventory (a page-table lock reached through a
        /// pointer, a context), when there is none.
        public var inventoryNote: String?
    }

    public struct Site: Sendable, Hashable {
        public var path: String
        public var line: Int
        public var column: Int
        public var function: String?
        /// lock, unlock, trylock, relock, init, assert.
        public var operation: String
        public var primitive: String
        public var expression: String
    }

    public var treeVersion: String
    public var configuration: String
    public var series: String?
    public var depth: Int
    public var calls: [Call]
    public var locks: [Lock]
    /// Files that could not be read or parsed, and other limits met.
    public var problems: [String]
    /// What was left out on purpose (callers in files this configuration
    /// does not build).
    public var notes: [String]
    public var filesParsed: Int
    public var filesScanned: Int

    /// True when every call's answer is known and every file was read.
    public var isComplete: Bool { problems.isEmpty && !calls.contains { $0.sleepable == .unknown } }
}
