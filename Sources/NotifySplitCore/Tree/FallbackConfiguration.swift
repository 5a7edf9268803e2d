import Foundation

/// The tree's own configuration first, and for an architecture-independent
/// file (not under `arch/`) that does not parse clean under it, the
/// synthetic x86-64 configuration: a vendor `.config` can only be honoured
/// as far as its machine's headers are in the tree, and a candidate in
/// `mm/` is worth analysing either way. Each file's report names the
/// configuration it was parsed with and why.
public final class FallbackConfiguration: CompileArgumentsProvider, @unchecked Sendable {
    public let primary: SyntheticConfiguration
    private let makeFallback: @Sendable () throws(NotifySplitError) -> SyntheticConfiguration
    private let lock = NSLock()
    private var fallbackResult: Result<SyntheticConfiguration, NotifySplitError>?

    /// `makeFallback` is called the first time a file needs it (its stubs
    /// cost a Kconfig walk and a parse of `kernel/bounds.c`).
    public init(primary: SyntheticConfiguration,
                makeFallback: @escaping @Sendable () throws(NotifySplitError) -> SyntheticConfiguration) {
        self.primary = primary
        self.makeFallback = makeFallback
    }

    /// The fallback configuration, made on first use.
    public var fallback: SyntheticConfiguration? {
        lock.lock()
        defer { lock.unlock() }
        if fallbackResult == nil {
            do throws(NotifySplitError) { fallbackResult = .success(try makeFallback()) } catch {
                fallbackResult = .failure(error)
            }
        }
        return try? fallbackResult?.get()
    }

    public func prepared() throws(NotifySplitError) { try primary.prepared() }

    public func arguments(forFile relativePath: String) -> [String]? {
        primary.arguments(forFile: relativePath)
    }

    public func attempts(forFile relativePath: String) -> [ParseAttempt] {
        var attempts = primary.attempts(forFile: relativePath)
        if !relativePath.hasPrefix("arch/"), let fallback {
            attempts += fallback.attempts(forFile: relativePath)
        }
        return attempts
    }

    public var summary: String {
        primary.summary + "; the synthetic x86-64 configuration for an architecture-independent file "
            + "that does not parse clean under it"
    }
}
