import Clang

/// Parses one tree file with the arguments its provider gives, the way every
/// analysis needs it: keep going after errors, with the detailed
/// preprocessing record (macro expansions are what we look for).
public struct FileParser: Sendable {
    public let tree: KernelTree
    public let arguments: any CompileArgumentsProvider

    /// Keep every warning (diagnose --warnings); else the unread ones are off.
    public let allWarnings: Bool

    public init(tree: KernelTree, arguments: any CompileArgumentsProvider, allWarnings: Bool = false) {
        self.tree = tree
        self.arguments = arguments
        self.allWarnings = allWarnings
    }

    public static let options: TranslationUnit.Options = [
        .detailedPreprocessingRecord, .keepGoing, .ignoreNonErrorsFromIncludedFiles,
    ]

    /// Warnings that cost parse time and that nothing reads (the analysis
    /// reads errors only): -Wnull-conversion asks isNullPointerConstant()
    /// of every implicit conversion, 9% of the instructions of a parse of
    /// Debian 6.1's mm/memory.c (2.25 G -> 2.05 G, callgrind). It holds no
    /// diagnostic that is an error by default (diagtool show-enabled with
    /// the kernel's arguments lists the same errors with and without it).
    /// It goes first, so a compile command's own -Werror=null-conversion
    /// (or -Werror=conversion) still wins; with a plain -Werror, which
    /// makes every warning an error, nothing is turned off.
    static let unreadWarnings = ["-Wno-null-conversion"]

    /// The arguments libclang is given for a file whose configuration gives
    /// `arguments`.
    public func compilerArguments(_ arguments: [String]) -> [String] {
        allWarnings ? arguments : Self.withoutUnreadWarnings(arguments)
    }

    static func withoutUnreadWarnings(_ arguments: [String]) -> [String] {
        arguments.contains("-Werror") ? arguments : unreadWarnings + arguments
    }

    /// `path` (absolute) parsed with `arguments` as they are given to
    /// libclang: against its preamble kept in `preambles` when it has one
    /// that parses without error, else whole. Never with `allWarnings`:
    /// that parse is for reading everything clang says.
    public func unit(_ path: String, arguments: [String], unsavedFiles: [TranslationUnit.UnsavedFile] = [],
                     index: Index, preambles: PreambleCache?) throws -> TranslationUnit {
        if !allWarnings, let preambles, let unit = preambles.parse(path: path, arguments: arguments,
                                                                   unsavedFiles: unsavedFiles, options: Self.options) {
            return unit
        }
        return try TranslationUnit(index: index, path: path, arguments: arguments,
                                   unsavedFiles: unsavedFiles, options: Self.options)
    }

    /// A parsed file and the configuration it was parsed with.
    public struct Parsed {
        public var unit: TranslationUnit
        /// The configuration used (nil when the provider offered none).
        public var configuration: String?
        /// The arguments it was parsed with.
        public var arguments: [String]
        /// Where its preamble is kept (nil: not kept).
        public var preambles: PreambleCache? = nil
        /// The configurations tried first and why each was left, e.g.
        /// ("the configuration in .config (arm)", "3 error(s)").
        public var rejected: [(configuration: String, reason: String)]
    }

    /// Parses `relativePath` with a fresh or given index.
    public func parse(_ relativePath: String, index: Index, unsavedFiles: [TranslationUnit.UnsavedFile] = [],
                      wholeParse: Bool = false) throws -> TranslationUnit {
        try parseChoosingConfiguration(relativePath, index: index, unsavedFiles: unsavedFiles,
                                       wholeParse: wholeParse).unit
    }

    /// Parses `relativePath` with the provider's configurations in order,
    /// keeping the first that parses without error, else the one with the
    /// fewest errors (the first of those). A configuration that cannot
    /// build the file is skipped, unless no other is left. With
    /// `wholeParse`, no preamble is read from the cache: the unit's cursor
    /// then visits the headers' declarations too.
    public func parseChoosingConfiguration(_ relativePath: String, index: Index,
                                           unsavedFiles: [TranslationUnit.UnsavedFile] = [],
                                           wholeParse: Bool = false) throws -> Parsed {
        let path = tree.absolute(relativePath)
        let attempts = arguments.attempts(forFile: relativePath)
        guard !attempts.isEmpty else {
            let unit = try self.unit(path, arguments: compilerArguments([]), unsavedFiles: unsavedFiles, index: index,
                                     preambles: nil)
            return Parsed(unit: unit, configuration: nil, arguments: [], rejected: [])
        }
        var best: (unit: TranslationUnit, errors: Int, attempt: ParseAttempt)?
        var rejected: [(configuration: String, reason: String)] = []
        let usable = attempts.contains { $0.unusable == nil } ? attempts.filter { $0.unusable == nil } : [attempts[0]]
        for attempt in attempts where attempt.unusable != nil {
            rejected.append((attempt.configuration, attempt.unusable!))
        }
        for attempt in usable {
            let unit = try self.unit(path, arguments: compilerArguments(attempt.arguments),
                                     unsavedFiles: unsavedFiles, index: index,
                                     preambles: wholeParse ? nil : attempt.preambles)
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
                      arguments: best!.attempt.arguments, preambles: wholeParse ? nil : best!.attempt.preambles,
                      rejected: rejected)
    }
}
