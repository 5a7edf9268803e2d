import ArgumentParser
import Clang
import Foundation
import NotifySplitCore

/// `diagnose`: parse one file the way scan does and print the configuration
/// chosen (and why), its arguments and every error — for finding out why a
/// candidate file is not analysable.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Parse one file of the tree as scan would, and print the configuration, arguments and errors.")

    @OptionGroup var options: TreeOptions

    @Argument(help: "The file, relative to the tree.")
    var file: String

    @Flag(help: "Print warnings too.")
    var warnings = false

    func run() throws {
        let (tree, arguments): (KernelTree, any CompileArgumentsProvider)
        do { (tree, arguments) = try options.load() } catch { fail(error) }
        do { try arguments.prepared() } catch { fail(error) }
        guard !arguments.attempts(forFile: file).isEmpty else {
            fail(.usage("\(file): \(arguments.summary) has no compile command for it"))
        }
        let parsed: FileParser.Parsed
        do {
            parsed = try FileParser(tree: tree, arguments: arguments, allWarnings: warnings)
                .parseChoosingConfiguration(file, index: Index())
        } catch {
            fail(.io("\(error)"))
        }
        print("# configuration: \(arguments.summary)")
        for (configuration, reason) in parsed.rejected {
            print("# not used: \(configuration): \(reason)")
        }
        if let configuration = parsed.configuration { print("# parsed with: \(configuration)") }
        for error in generatedHeaderErrors(arguments) {
            print("# generating bounds.h: \(tree.relativeDiagnostic(error))")
        }
        print(parsed.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " "))
        let shown = parsed.unit.diagnostics.filter { warnings ? $0.severity >= .warning : $0.isError }
        for diagnostic in shown {
            print(tree.relativeDiagnostic(diagnostic.description))
        }
        print("\(shown.count) diagnostic(s)")
        if parsed.unit.diagnostics.contains(where: \.isError) { throw ExitCode(ExitStatus.incomplete) }
    }

    /// Errors met computing generated headers from the tree's own sources.
    private func generatedHeaderErrors(_ arguments: any CompileArgumentsProvider) -> [String] {
        if let synthetic = arguments as? SyntheticConfiguration { return synthetic.generatedHeaderErrors }
        if let fallback = arguments as? FallbackConfiguration { return fallback.primary.generatedHeaderErrors }
        return []
    }
}
