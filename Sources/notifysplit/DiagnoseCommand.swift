import ArgumentParser
import Clang
import Foundation
import NotifySplitCore

/// `diagnose`: parse one file the way scan does and print its arguments and
/// errors — for finding out why a candidate file is not analysable.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Parse one file of the tree as scan would, and print the compile arguments and errors.")

    @OptionGroup var options: TreeOptions

    @Argument(help: "The file, relative to the tree.")
    var file: String

    @Flag(help: "Print warnings too.")
    var warnings = false

    func run() throws {
        let (tree, arguments): (KernelTree, any CompileArgumentsProvider)
        do { (tree, arguments) = try options.load() } catch { fail(error) }
        guard let args = arguments.arguments(forFile: file) else {
            fail(.usage("\(file): \(arguments.summary) has no compile command for it"))
        }
        print("# \(arguments.summary)")
        print(args.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " "))
        let unit: TranslationUnit
        do {
            unit = try FileParser(tree: tree, arguments: arguments).parse(file, index: Index())
        } catch {
            fail(.io("\(error)"))
        }
        let shown = unit.diagnostics.filter { warnings ? $0.severity >= .warning : $0.isError }
        for diagnostic in shown {
            print(tree.relativeDiagnostic(diagnostic.description))
        }
        print("\(shown.count) diagnostic(s)")
        if unit.diagnostics.contains(where: \.isError) { throw ExitCode(ExitStatus.incomplete) }
    }
}
