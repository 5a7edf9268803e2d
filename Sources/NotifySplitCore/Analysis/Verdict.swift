/// What convert does with one call site.
public enum Verdict: String, Hashable, Sendable {
    /// Notifier right after the one unlock every path from the call reaches.
    case unguarded = "convert"
    /// Notifier after each unlock the call reaches, under a new flag.
    case guarded = "convert-with-flag"
    /// Range notifier around the lock region of a loop over ptes.
    case range = "convert-as-range"
    /// Left alone, with the reason.
    case refused = "refused"
}

/// The verdict for one site, with what the edit builder needs.
public struct SiteDecision: Sendable {
    public var site: CallSite
    public var verdict: Verdict
    /// For a refusal: every rule that fired, most fundamental first.
    public var findings: [Finding]
    var plan: ConversionPlan?

    init(site: CallSite, verdict: Verdict, findings: [Finding] = [], plan: ConversionPlan?) {
        self.site = site
        self.verdict = verdict
        self.findings = findings
        self.plan = plan
    }

    /// A refusal for the findings.
    static func refused(_ site: CallSite, _ findings: [Finding]) -> SiteDecision {
        SiteDecision(site: site, verdict: .refused, findings: findings, plan: nil)
    }

    /// For a refusal: the findings in one line, most fundamental first.
    public var reason: String { findings.map(\.message).joined(separator: "; also, ") }

    /// The rules that fired.
    public var rules: [Finding.Rule] { findings.map(\.rule) }
}

/// How a convertible site is rewritten.
struct ConversionPlan: Sendable {
    enum Result: Sendable {
        /// The macro's value is the plain op's (flush) or nobody reads it.
        case plain
        /// A young result whose consumer statement moves after the unlock.
        case young(consumer: YoungConsumer)
    }

    enum YoungConsumer: Sendable {
        /// `MACRO(...);`: the result is discarded.
        case none
        /// A statement in a block reading the result (`if (MACRO(...)) x++;`,
        /// `v |= MACRO(...);`): replaced by the plain op, moved after the unlock.
        case statement(range: Range<Int>, end: Int)
        /// `else if (MACRO(...)) body`: the outer if gets an else block.
        case elseIf(outer: Range<Int>, outerCondition: Range<Int>, outerThen: Range<Int>,
                    outerThenIsBlock: Bool, inner: Range<Int>, end: Int)
    }

    /// An unlock after which the notifier goes.
    struct Release: Sendable {
        /// Offset just after the statement's `;`.
        var insertAt: Int
        var indent: [UInt8]
        var line: Int
    }

    var macro: NotifyMacro
    /// The notifier call text for this site's arguments.
    var notifierCall: String
    var releases: [Release]
    var result: Result
    /// True when an unlock is reached without the call, or there are
    /// several: a flag must record that the plain op ran.
    var guarded: Bool
    /// For a guarded plan: the statement after which `flag = 1;` goes
    /// (its end, just after `;`), unless the consumer form places it.
    var statementEnd: Int?
    var statementIndent: [UInt8]
    /// For a range plan: where the lock is taken and the bounds.
    var range: RangePlan?
}

struct RangePlan: Hashable, Sendable {
    /// Start of the statement taking the lock (the start notifier goes before it).
    var lockStatementStart: Int
    var lockIndent: [UInt8]
    var startCall: String
    var endCall: String
    /// New locals that keep the bounds from before the lock (when the loop
    /// itself moves its address): `mmun_start = address;`.
    var captures: [Capture] = []

    struct Capture: Hashable, Sendable {
        var name: String
        var type: String
        var value: String
    }
}
