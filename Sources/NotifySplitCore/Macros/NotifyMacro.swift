/// One `*_notify` macro as the tree's `mmu_notifier.h` defines it.
public struct NotifyMacro: Hashable, Sendable {
    /// How the notifier's result combines with the plain op's result.
    public enum Combine: String, Hashable, Sendable {
        /// `young |= notifier(...)`: the macro returns plain | notifier.
        case or
        /// The notifier returns nothing; the macro returns the plain op's value.
        case discard
    }

    /// The form of one definition.
    public enum Form: String, Hashable, Sendable {
        /// The `CONFIG_MMU_NOTIFIER` statement expression calling a notifier.
        case notifier
        /// The `#else` stub: the plain op under another name.
        case stub
        /// Some other definition the tool does not understand.
        case other
    }

    public struct Definition: Hashable, Sendable {
        public var form: Form
        public var lines: ClosedRange<Int>
        public var conditions: [String]
    }

    /// The notifier call with its arguments written through the macro's
    /// parameters, e.g. `mmu_notifier_invalidate_range` with
    /// `[(__vma)->vm_mm, __address & PAGE_MASK, …]`.
    public struct NotifierCall: Hashable, Sendable {
        public var function: String
        public var arguments: [String]
    }

    public var name: String
    public var parameters: [String]
    public var definitions: [Definition]
    /// The plain page-table op the macro wraps (`ptep_clear_flush`).
    public var plainOp: String?
    public var notifier: NotifierCall?
    public var combine: Combine?

    /// True when the header still has the notifier form (not only a stub).
    public var hasNotifierDefinition: Bool { definitions.contains { $0.form == .notifier } }

    /// The notifier call for one invocation: parameters replaced by the
    /// invocation's argument texts, parenthesised where needed.
    public func notifierCall(arguments: [String]) -> String? {
        guard let notifier, let rendered = notifierArguments(arguments: arguments) else { return nil }
        return "\(notifier.function)(\(rendered.joined(separator: ", ")))"
    }

    /// The notifier's argument texts for one invocation.
    public func notifierArguments(arguments: [String]) -> [String]? {
        guard let notifier, arguments.count == parameters.count else { return nil }
        var substitutions: [String: [String]] = [:]
        for (parameter, argument) in zip(parameters, arguments) {
            substitutions[parameter] = CExpression.tokens(argument)
        }
        return notifier.arguments.map {
            CExpression.render(CExpression.substitute(CExpression.tokens($0), substitutions))
        }
    }
}
