import CClang

/// A libclang index: the owner of translation units parsed with it.
///
/// An index is not thread-safe; parse in parallel with one index per worker.
public final class Index {
    let raw: CXIndex

    /// - Parameter displayDiagnostics: let libclang print diagnostics to
    ///   stderr itself (off: callers read them through `Diagnostic`).
    public init(displayDiagnostics: Bool = false) {
        raw = clang_createIndex(0, displayDiagnostics ? 1 : 0)
    }

    deinit {
        clang_disposeIndex(raw)
    }
}

/// The version string of the loaded libclang, e.g. "Debian clang version 14.0.6".
public var libclangVersion: String {
    String(consuming: clang_getClangVersion())
}
