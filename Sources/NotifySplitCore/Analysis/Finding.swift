/// One fact the analysis established about a site: a rule, where, and a
/// sentence a reviewer understands. Refusals are lists of findings, most
/// fundamental first; the report layer renders them.
public struct Finding: Hashable, Sendable {
    /// The rules, by stable identifiers (tests and JSON use these, never
    /// the English).
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        // Where the site is.
        case notParsed = "not-parsed"
        case inHeader = "in-header"
        case inAssembly = "in-assembly"
        case notExpanded = "not-expanded"
        case notAnalysable = "not-analysable"
        case noFunctionBody = "no-function-body"
        case throughWrapper = "through-wrapper"
        case noNotifierForm = "no-notifier-form"
        case argumentsMismatch = "arguments-mismatch"
        // Configurations.
        case includeInBody = "include-in-body"
        case callInConditionalBlock = "call-in-conditional-block"
        case tooManyConfigurations = "too-many-configurations"
        case configurationNotParsed = "configuration-not-parsed"
        case configurationsDiffer = "configurations-differ"
        case editInConditionalBlock = "edit-in-conditional-block"
        // The statement and the lock region.
        case hiddenJump = "hidden-jump"
        case conditionallyEvaluated = "conditionally-evaluated"
        case notInControlFlow = "not-in-control-flow"
        case argumentSideEffect = "argument-side-effect"
        case ambiguousLock = "ambiguous-lock"
        case lockHeldByWalker = "lock-held-by-walker"
        case returnsLocked = "returns-locked"
        case noRelease = "no-release"
        case differentLocks = "different-locks"
        // Hazards between the call and the unlock.
        case youngDecidesControlFlow = "young-decides-control-flow"
        case pageReferenceDropped = "page-reference-dropped"
        case ptePointedElsewhere = "pte-repointed"
        case argumentWritten = "argument-written"
        case argumentOutOfScope = "argument-out-of-scope"
        case youngConsumerBlocked = "young-consumer-blocked"
        case unknownCallee = "unknown-callee"
        // Placement.
        case unlockInOtherLoop = "unlock-in-other-loop"
        case unlockNotAStatement = "unlock-not-a-statement"
        case flagInLoop = "flag-in-loop"
        case noPlaceForFlag = "no-place-for-flag"
        case rangeNotPossible = "range-not-possible"
        // After planning.
        case editsOverlap = "edits-overlap"
        case validationFailed = "validation-failed"
    }

    public var rule: Rule
    /// 1-based line in the site's file.
    public var line: Int
    public var message: String

    public init(_ rule: Rule, line: Int, _ message: String) {
        self.rule = rule
        self.line = line
        self.message = message
    }
}
