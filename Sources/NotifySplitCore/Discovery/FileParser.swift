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

    /// Parses `relativePath` with a fresh or given index.
    public func parse(_ relativePath: String, index: Index,
                      unsavedFiles: [TranslationUnit.UnsavedFile] = []) throws -> TranslationUnit {
        let args = arguments.arguments(forFile: relativePath) ?? []
        return try TranslationUnit(index: index, path: tree.absolute(relativePath),
                                   arguments: args, unsavedFiles: unsavedFiles,
                                   options: Self.options)
    }
}
