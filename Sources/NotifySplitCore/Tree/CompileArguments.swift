/// Where a file's compiler arguments come from.
public protocol CompileArgumentsProvider: Sendable {
    /// The arguments for one tree-relative `.c` file (no compiler name, no
    /// `-c`/`-o`, no source file), or nil when this provider has none.
    func arguments(forFile relativePath: String) -> [String]?
    /// One line for the report: "synthetic x86 configuration", ….
    var summary: String { get }
    /// Finishes any set-up done in the background; throws what it met.
    func prepared() throws(NotifySplitError)
}

extension CompileArgumentsProvider {
    public func prepared() throws(NotifySplitError) {}
}
