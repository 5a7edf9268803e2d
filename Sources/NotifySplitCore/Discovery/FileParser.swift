import Clang

/// Parses one tree file with the arguments its provider gives, the way every
/// analysis needs it: keep going after errors, with the detailed
/// preprocessing record (macro expansions are what we look for).
public struct FileParser: Sendable {
    public let tree: KernelTree
    public let arguments: any CompileArgumentsProvider

    public init(tree: KernelTree, arguments: any CompileArgumentsProvider) {
        self.tree = tree
        self.arguments = arguments
    }

    public static let options: TranslationUnit.Options = [
        .detailedPreprocessingRecord, .keepGoing, .ignoreNonErrorsFromIncludedFiles,
    ]

    /// A parsed file and the configuration it was parsed with.
    public struct Parsed {
        public var unit: TranslationUnit
        /// The configuration used (nil when the provider offered none).
        public var configuration: String?
        /// The arguments it was parsed with.
        public var arguments: [String]
        /// The configurations tried first and why each was left, e.g.
        /// ("the configuration in .config (arm)", "3 error(s)").
        public var rejected: [(configuration: String, reason: String)]
    }

    /// Parses `relativePath` with a fresh or given index.
    public func parse(_ relativePath: String, index: Index,
                      unsavedFiles: [TranslationUnit.UnsavedFile] = []) throws -> TranslationUnit {
        try parseChoosingConfiguration(relativePath, index: index, unsavedFiles: unsavedFiles).unit
    }

    /// Parses `relativePath` with the provider's configurations in order,
    /// keeping the first that parses without error, else the one with the
    /// fewest errors (the first of those). A configuration that cannot
    /// build the file is skipped, unless no other is left.
    public func parseChoosingConfiguration(_ relativePath: String, index: Index,
                                           unsavedFiles: [TranslationUnit.UnsavedFile] = []) throws -> Parsed {
        let path = tree.absolute(relativePath)
        let attempts = arguments.attempts(forFile: relativePath)
        guard !attempts.isEmpty else {
            let unit = try TranslationUnit(index: index, path: path, arguments: [],
                                           unsavedFiles: unsavedFiles, options: Self.options)
            return Parsed(unit: unit, configuration: nil, arguments: [], rejected: [])
        }
        var best: (unit: TranslationUnit, errors: Int, attempt: ParseAttempt)?
        var rejected: [(configuration: String, reason: String)] = []
        let usable = attempts.contains { $0.unusable == nil } ? attempts.filter { $0.unusable == nil } : [attempts[0]]
        for attempt in attempts where attempt.unusable != nil {
            rejected.append((attempt.configuration, attempt.unusable!))
        }
        for attempt in usable {
            let unit = try TranslationUnit(index: index, path: path, arguments: attempt.arguments,
                                           unsavedFiles: unsavedFiles, options: Self.options)
            let errors = unit.diagnostics.filter(\.isError).count
            if let current = best {
                guard errors < current.errors else {
                    rejected.append((attempt.configuration, "\(errors) error(s)"))
                    continue
                }
                rejected.append((current.attempt.configuration, "\(current.errors) error(s)"))
            }
            best = (unit, errors, attempt)
            if errors == 0 { break }
        }
        // `usable` is never empty, so its first parse set `best`.
        return Parsed(unit: best!.unit, configuration: best!.attempt.configuration,
                      arguments: best!.attempt.arguments, rejected: rejected)
    }
}
