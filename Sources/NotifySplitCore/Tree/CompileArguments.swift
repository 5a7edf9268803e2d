/// Where a file's compiler arguments come from.
public protocol CompileArgumentsProvider: Sendable {
    /// The arguments for one tree-relative `.c` file (no compiler name, no
    /// `-c`/`-o`, no source file), or nil when this provider has none.
    func arguments(forFile relativePath: String) -> [String]?
    /// One line for the report: which configuration, and why it was chosen.
    var summary: String { get }
    /// Finishes any set-up done in the background; throws what it met.
    func prepared() throws(NotifySplitError)
    /// The configurations to parse `relativePath` with, in order of
    /// preference: the parser keeps the first that parses without error
    /// (else the one with the fewest errors). Empty when there is none.
    func attempts(forFile relativePath: String) -> [ParseAttempt]
}

/// One way to parse a file: its arguments, and the configuration they stand for.
public struct ParseAttempt: Sendable, Equatable {
    public var arguments: [String]
    /// A short name of the configuration for the per-file report, e.g.
    /// "synthetic x86-64 configuration".
    public var configuration: String
    /// Why this configuration cannot build the file at all (then it is not
    /// parsed with it), e.g. "its .config does not build mm/filemap_xip.c
    /// (needs CONFIG_FS_XIP)".
    public var unusable: String?
    /// Where the preambles of files parsed with these arguments are kept
    /// between runs (nil: every parse is whole).
    public var preambles: PreambleCache?

    public init(arguments: [String], configuration: String, unusable: String? = nil,
                preambles: PreambleCache? = nil) {
        self.arguments = arguments
        self.configuration = configuration
        self.unusable = unusable
        self.preambles = preambles
    }
}

extension CompileArgumentsProvider {
    public func prepared() throws(NotifySplitError) {}

    public func attempts(forFile relativePath: String) -> [ParseAttempt] {
        arguments(forFile: relativePath).map { [ParseAttempt(arguments: $0, configuration: summary)] } ?? []
    }
}
