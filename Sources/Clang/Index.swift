import CClang
import Foundation

/// A libclang index: the owner of translation units parsed with it.
///
/// An index is not thread-safe; parse in parallel with one index per worker.
public final class Index {
    let raw: CXIndex

    /// - Parameters:
    ///   - excludeDeclarationsFromPCH: a unit parsed against a precompiled
    ///     header visits only its own declarations and macro expansions,
    ///     not every one the AST file holds (which it would read in).
    ///   - displayDiagnostics: let libclang print diagnostics to stderr
    ///     itself (off: callers read them through `Diagnostic`).
    public init(excludeDeclarationsFromPCH: Bool = false, displayDiagnostics: Bool = false) {
        raw = clang_createIndex(excludeDeclarationsFromPCH ? 1 : 0, displayDiagnostics ? 1 : 0)
        LiveCount.indexes.adjust(+1)
    }

    deinit {
        clang_disposeIndex(raw)
        LiveCount.indexes.adjust(-1)
    }

    /// How many indexes are alive (for leak tests).
    public static var liveCount: Int { LiveCount.indexes.value }
}

/// The version string of the loaded libclang, e.g. "Debian clang version 14.0.6".
public var libclangVersion: String {
    String(consuming: clang_getClangVersion())
}

/// Counts live libclang owners, so tests can prove each is disposed once.
final class LiveCount: @unchecked Sendable {
    static let indexes = LiveCount()
    static let translationUnits = LiveCount()
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func adjust(_ delta: Int) { lock.lock(); count += delta; lock.unlock() }
}
