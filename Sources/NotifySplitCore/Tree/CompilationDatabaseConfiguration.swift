import Clang
import Foundation

/// Compile arguments from a `compile_commands.json` (the tree's own, or the
/// one `-p DIR` names), read with libclang's compilation-database API.
public struct CompilationDatabaseConfiguration: CompileArgumentsProvider {
    public let tree: KernelTree
    public let directory: String
    /// Arguments per absolute source path.
    private let commands: [String: [String]]

    public init(tree: KernelTree, directory: String) throws(NotifySplitError) {
        // Check first what libclang would complain about on stderr itself.
        let file = directory + "/compile_commands.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .usage("\(file): no such readable file")
        }
        guard (try? JSONSerialization.jsonObject(with: data)) is [Any] else {
            throw .usage("\(file): not a JSON array of compile commands")
        }
        let database: CompilationDatabase
        do {
            database = try CompilationDatabase(directory: directory)
        } catch {
            throw .usage("\(directory)/compile_commands.json: cannot be read as a compilation database")
        }
        var commands: [String: [String]] = [:]
        for command in database.allCommands {
            let file = command.filename.hasPrefix("/") ? command.filename
                : (command.directory as NSString).appendingPathComponent(command.filename)
            let resolved = (file as NSString).standardizingPath
            commands[resolved] = Self.clangArguments(command)
        }
        guard !commands.isEmpty else {
            throw .usage("\(directory)/compile_commands.json: holds no compile command")
        }
        self.tree = tree
        self.directory = directory
        self.commands = commands
    }

    public func arguments(forFile relativePath: String) -> [String]? {
        commands[tree.absolute(relativePath)]
    }

    public var summary: String { "compile_commands.json in \(directory)" }

    /// Drops the compiler, the source, `-c`, `-o FILE` and dependency-file
    /// flags; runs relative paths from the command's directory; turns off
    /// gcc-only options clang would reject.
    static func clangArguments(_ command: CompilationDatabase.Command) -> [String] {
        var result = ["-working-directory", command.directory]
        var skipNext = false
        let withValue: Set<String> = ["-o", "-MF", "-MT", "-MQ"]
        let dropped: Set<String> = ["-c", "-MD", "-MMD", "-MP", "-pipe"]
        for (i, argument) in command.arguments.enumerated() where i > 0 {
            if skipNext { skipNext = false; continue }
            if withValue.contains(argument) { skipNext = true; continue }
            if dropped.contains(argument) || argument == command.filename { continue }
            if argument.hasPrefix("-Wp,-MD") || argument.hasPrefix("-Wp,-MMD") { continue }
            result.append(argument)
        }
        return result + ["-Wno-unknown-warning-option", "-Qunused-arguments", "-ferror-limit=0"]
    }
}
