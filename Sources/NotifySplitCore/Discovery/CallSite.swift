/// One use of a notify macro, as `scan` reports it.
public struct CallSite: Hashable, Sendable {
    /// How well the site is known.
    public enum Status: String, Hashable, Sendable {
        /// Parsed by libclang, the function's AST intact around it.
        case parsed
        /// In an `#if` branch the configuration does not take.
        case notParsedConfiguration = "not-parsed-config"
        /// In a header: headers are not parsed on their own.
        case header
        /// In an assembly file.
        case assembly
        /// The name appears but is not expanded as a macro here.
        case notExpanded = "not-expanded"
        /// The function's AST is damaged near the site (errors, recovery
        /// expressions, lost body): never guessed at.
        case notAnalysable = "not-analysable"
    }

    /// The innermost statement around the invocation.
    public struct Statement: Hashable, Sendable, Codable {
        public var kind: String
        public var line: Int
        public var column: Int
        public var start: Int
        public var end: Int
    }

    public var path: String
    public var line: Int
    public var column: Int
    /// The notify macro used.
    public var macro: String
    /// The wrapper macro the use goes through, if any.
    public var via: String?
    /// The enclosing function.
    public var function: String?
    /// Byte range of the invocation, name through closing parenthesis
    /// (only the name when the invocation was not expanded).
    public var start: Int
    public var end: Int
    /// The argument texts as written.
    public var arguments: [String]
    public var statement: Statement?
    public var status: Status
    /// Why the site is not `parsed`, in one sentence.
    public var reason: String?
    /// The first diagnostics near the site, when it is not analysable.
    public var diagnostics: [String]

    /// Identifies the use whatever is later learnt about it (status,
    /// statement): file, offset, macro.
    public var id: String { "\(path):\(start):\(macro)" }
}

/// A mention of a notify macro in a comment: a note, not a use.
public struct Mention: Hashable, Sendable {
    public var path: String
    public var line: Int
    public var column: Int
    public var macro: String
}

/// A candidate file libclang could not analyse.
public struct ParseProblem: Hashable, Sendable {
    public var path: String
    public var reason: String
    public var diagnostics: [String]
}
