import CClang

extension String {
    /// Copies a libclang string and disposes it: every `CXString` libclang
    /// hands out is owned by the caller and must be released exactly once.
    init(consuming cxString: CXString) {
        defer { clang_disposeString(cxString) }
        if let cString = clang_getCString(cxString) {
            self = String(cString: cString)
        } else {
            self = ""
        }
    }
}
