import ArgumentParser
import Foundation
import NotifySplitCore

/// `export-compile-commands`: the arguments scan parses each candidate
/// file with, as a compile_commands.json, with the synthetic configuration's
/// stubs kept in DIR — so clang itself can be run over exactly those files
/// (the benchmark's parse limit).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-compile-commands",
        abstract: "Write compile_commands.json for the files scan parses (stubs kept in DIR).",
        shouldDisplay: false)

    @OptionGroup var options: TreeOptions

    @Option(name: [.short, .customLong("output")], help: "Directory for compile_commands.json and the stubs.")
    var output: String

    func run() throws {
        let tree: KernelTree
        do { tree = try KernelTree(path: options.tree) } catch { fail(error) }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch { fail(.io("\(output): \(error.localizedDescription)")) }
        let directory = URL(fileURLWithPath: output).standardizedFileURL.path
        let architecture = Architecture.choose(explicit: options.arch, tree: tree)
        let stubs = directory + "/objtree"
        let arguments: KbuildOutputConfiguration
        do {
            try KbuildStubs.write(tree: tree, architecture: architecture, objtree: stubs)
            arguments = try KbuildOutputConfiguration(tree: tree, architecture: architecture, outputDirectory: stubs)
        } catch { fail(error) }
        let scan: Scan
        do {
            scan = try Scan.run(tree: tree, arguments: arguments, options: .init(macroNames: options.macroNames,
                                                                                          scanCache: options.scanCache))
        } catch { fail(error) }
        let files = Set(scan.sites.filter { $0.path.hasSuffix(".c") && $0.status != .notParsedConfiguration }.map(\.path))
        let commands: [[String: Any]] = files.sorted().map { path in
            ["directory": tree.root, "file": tree.absolute(path),
             "arguments": ["clang"] + (arguments.arguments(forFile: path) ?? []) + ["-c", tree.absolute(path)]]
        }
        let data = try JSONSerialization.data(withJSONObject: commands, options: [.prettyPrinted, .sortedKeys,
                                                                                  .withoutEscapingSlashes])
        try data.write(to: URL(fileURLWithPath: directory + "/compile_commands.json"))
        print("\(commands.count) file(s): \(directory)/compile_commands.json")
    }
}
