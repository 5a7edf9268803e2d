import CClang

/// A `compile_commands.json`, read with libclang's own compilation-database
/// API.
public final class CompilationDatabase {
    /// One compiler invocation for one file.
    public struct Command: Sendable, Hashable {
        /// The directory the command runs in (relative paths resolve here).
        public var directory: String
        /// The file compiled, as written in the database.
        public var filename: String
        /// The whole command line, compiler first.
        public var arguments: [String]
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var directory: String
        public var description: String {
            "cannot load compile_commands.json from \(directory)"
        }
    }

    let raw: CXCompilationDatabase

    /// Loads `DIR/compile_commands.json`.
    public init(directory: String) throws {
        var error = CXCompilationDatabase_NoError
        guard let database = clang_CompilationDatabase_fromDirectory(directory, &error),
              error == CXCompilationDatabase_NoError else {
            throw LoadError(directory: directory)
        }
        raw = database
    }

    deinit {
        clang_CompilationDatabase_dispose(raw)
    }

    /// Every command in the database.
    public var allCommands: [Command] {
        guard let commands = clang_CompilationDatabase_getAllCompileCommands(raw) else {
            return []
        }
        return Self.copy(commands)
    }

    private static func copy(_ commands: CXCompileCommands) -> [Command] {
        defer { clang_CompileCommands_dispose(commands) }
        return (0..<clang_CompileCommands_getSize(commands)).map { i in
            let command = clang_CompileCommands_getCommand(commands, i)
            let count = clang_CompileCommand_getNumArgs(command)
            return Command(
                directory: String(consuming: clang_CompileCommand_getDirectory(command)),
                filename: String(consuming: clang_CompileCommand_getFilename(command)),
                arguments: (0..<count).map {
                    String(consuming: clang_CompileCommand_getArg(command, $0))
                })
        }
    }
}
