/// What the audit keeps of one function after its translation unit is
/// gone: its control-flow graph with the lock events and calls of each
/// node, its notifier calls, and what it returns. Plain data, so files are
/// parsed in parallel and disposed at once (a kernel translation unit holds
/// a hundred megabytes).
struct FunctionKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Tree-relative path of the file that defines it (a header for an
    /// inline function).
    var path: String
    var name: String

    static func < (a: Self, b: Self) -> Bool { (a.path, a.name) < (b.path, b.name) }
    var description: String { "\(name)() in \(path)" }
}

/// A place in the tree.
struct AuditLocation: Hashable, Sendable, Codable, Comparable {
    var path: String
    var line: Int
    var column: Int = 0

    static func < (a: Self, b: Self) -> Bool { (a.path, a.line, a.column) < (b.path, b.line, b.column) }
}

/// A lock (or context) as one function names it.
struct LockRef: Hashable, Sendable, Codable {
    /// The expression, normalised (`anon_vma->lock`, `ptl`, `vmf->ptl`,
    /// `rcu_read_lock()`): how acquisitions and releases are paired.
    var key: String
    /// From the lock's declared type; nil when the type is not one the
    /// audit knows (then the call's answer is unknown, not guessed).
    var kind: LockKind?
    /// The declared type's name as written, for messages (`spinlock_t`).
    var typeName: String?
    /// The lock object, when it is one: `struct anon_vma.lock` (a field of
    /// that type) or a global's name. Nil for a lock reached through a
    /// pointer variable (a page-table lock) and for contexts.
    var identity: String?
    var declaredAt: AuditLocation?
    /// How the key relates to the function's parameters, so a caller's
    /// lock can be renamed into the callee's terms and back.
    var root: Root

    enum Root: Hashable, Sendable, Codable {
        /// `param` + `rest` (`vmf` + `->ptl`).
        case parameter(Int, rest: String)
        /// A global lock or a context: the same name in every function.
        case global
        /// Rooted in a local or an expression: meaningful only here.
        case local
    }
}

/// One thing a node does to a lock.
struct LockEvent: Hashable, Sendable, Codable {
    enum Operation: Hashable, Sendable, Codable {
        case acquire
        case release
        /// Held when `atom` is non-zero (`whenNonzero`) or zero: a trylock,
        /// a helper returning NULL without the lock.
        case acquireIf(atom: String, whenNonzero: Bool)
        /// Held on some paths out of a callee only.
        case acquireMaybe
        /// Released on some paths through a callee only.
        case releaseMaybe
        /// Sites that change nothing here but belong to the inventory.
        case relock, initialise, assert
    }

    var operation: Operation
    var lock: LockRef
    /// Where it happens in this function (the call or macro written here).
    var location: AuditLocation
    /// The primitive or macro written (`spin_lock`, `page_lock_anon_vma`).
    var primitive: String
    /// The callee whose body does it, when it is not a primitive.
    var through: String?
    /// The key names a macro's own local: it cannot be paired by name.
    var unnamed: Bool = false
}

/// Who a call calls.
enum Callee: Hashable, Sendable, Codable {
    /// A named function; `fileStatic` when it is a static function of the
    /// calling `.c` file (its callers are all in that file).
    case function(String, fileStatic: Bool)
    /// Through a struct's function-pointer field (`rwc->rmap_one(…)`).
    case field(record: String, field: String)
    /// Through a function-pointer parameter (`rmap_one(…)` in 3.x's
    /// rmap_walk_anon()).
    case parameter(Int)
    /// Through some other expression the audit cannot resolve.
    case unresolved(String)
}

struct CallFact: Hashable, Sendable, Codable {
    var callee: Callee
    /// Argument texts, normalised (for renaming locks into the callee).
    var arguments: [String]
    var location: AuditLocation
    var node: Int
    /// Index among the node's events: the locks held at the call are the
    /// node's in-state with the events before this one applied.
    var eventIndex: Int
}

/// A call that runs the secondary-MMU notifiers.
struct NotifierCallFact: Hashable, Sendable, Codable {
    /// `mmu_notifier_invalidate_range` …
    var dispatch: String
    /// What is written at the site: the notify macro, a wrapper, or the
    /// dispatch function itself.
    var written: String
    var location: AuditLocation
    var node: Int
    var eventIndex: Int
}

/// A function whose address is taken: how the audit can find its callers.
struct AddressTaken: Hashable, Sendable, Codable {
    enum Registration: Hashable, Sendable, Codable {
        /// `.rmap_one = try_to_unmap_one` in an initialiser (or `x.f = fn`).
        case field(record: String, field: String)
        /// Passed as argument `index` of a call of `callee`.
        case argument(callee: String, index: Int)
        /// Anything else (stored in a variable, returned, cast).
        case other(String)
    }

    var function: String
    /// False when a static function of this file is meant.
    var global: Bool
    var registration: Registration
    var location: AuditLocation
    /// The function whose body registers it (nil for a global initialiser):
    /// a call through the field belongs to that registrar's calls.
    var registrar: String?
}

struct NodeFact: Hashable, Sendable, Codable {
    enum Item: Hashable, Sendable, Codable {
        case lock(LockEvent)
        case call(Int)
        case notifier(Int)
        /// Something that may sleep (`might_sleep()`, `cond_resched()`, a
        /// mutex taken): where it runs, no caller holds an atomic lock.
        case sleep(String, line: Int)
        /// A variable an atom names is given a value: a constant (non-zero
        /// or not) tells later conditions about it; anything else (nil)
        /// forgets what was known.
        case assign(atom: String, nonzero: Bool?)
    }

    var successors: [Int]
    var items: [Item]
    /// For a two-way condition: what its true and false edges imply about
    /// the atoms (variables or trylock calls) locks depend on.
    var thenImplies: [Implication] = []
    var elseImplies: [Implication] = []
    /// A `return` node: what it returns (nil: nothing, or not a return).
    var returns: ReturnValue?
}

struct Implication: Hashable, Sendable, Codable {
    var atom: String
    var nonzero: Bool
}

enum ReturnValue: Hashable, Sendable, Codable {
    case nullConstant
    /// A variable (its atom), when the lock may depend on it.
    case atom(String, key: String)
    case other
}

struct FunctionFacts: Sendable, Codable {
    var key: FunctionKey
    /// Static in a `.c` file: callers only in that file.
    var fileStatic: Bool
    var parameters: [String]
    var location: AuditLocation
    var nodes: [NodeFact]
    var calls: [CallFact]
    var notifierCalls: [NotifierCallFact]
    /// Why the function cannot be trusted (an error inside it), if so.
    var damage: String?
}

/// A lock/unlock/trylock/init/assert site of a named lock object.
struct LockSite: Hashable, Sendable, Codable {
    var location: AuditLocation
    var function: String?
    var operation: String
    var primitive: String
    var expression: String
    var identity: String
    var kind: LockKind?
}

/// Everything one parsed file contributed.
struct FileFacts: Sendable, Codable {
    var path: String
    var functions: [FunctionFacts]
    var addressTaken: [AddressTaken]
    var lockSites: [LockSite]
    /// Why it could not be analysed at all.
    var problem: String?
    var configuration: String?
    /// Set instead of `problem` when its parse stopped on a header only
    /// other architectures provide: a file this configuration does not
    /// build (`OtherArchitectureHeader`), not a problem.
    var otherArchitecture: String? = nil
}
