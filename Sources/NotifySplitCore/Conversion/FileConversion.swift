/// What convert decided and wrote for one parsed file.
public struct FileConversion: Sendable {
    /// The edits of one function (a patch with `--split function`).
    public struct FunctionEdits: Sendable {
        public var function: String
        /// Where the function starts, for ordering.
        public var start: Int
        public var edits: [Edit]
        /// The sites converted by these edits.
        public var sites: [CallSite]
    }

    public var path: String
    public var original: [UInt8]
    public var decisions: [SiteDecision]
    public var functions: [FunctionEdits]
    /// Set when the converted file did not re-parse cleanly; the file is
    /// then left unconverted and the run fails loudly.
    public var validationFailure: String?
    /// Errors before and after conversion (the validation's evidence).
    public var errorsBefore: Int
    public var errorsAfter: Int

    public var allEdits: [Edit] { functions.flatMap(\.edits) }
}
