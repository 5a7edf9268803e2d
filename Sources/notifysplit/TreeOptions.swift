import ArgumentParser
import Foundation
import NotifySplitCore

/// Options every command takes: the tree, how to parse it, which macros.
struct TreeOptions: ParsableArguments {
    @Argument(help: "The top directory of a Linux kernel tree.")
    var tree: String

    @Option(help: "Architecture whose headers to parse with (default: the tree's .config's, else x86).")
    var arch: String?

    @Option(help: ArgumentHelp("A kernel configuration (a full .config) to parse with, instead of the tree's own.",
                               valueName: "file"))
    var config: String?

    @Option(name: .customShort("p"),
            help: ArgumentHelp("Directory holding compile_commands.json (default: the tree's own, if it has one).",
                               valueName: "dir"))
    var compileCommands: String?

    @Option(help: ArgumentHelp("A kbuild output directory made by 'make O=DIR defconfig prepare'.", valueName: "dir"))
    var kbuildOutput: String?

    @Option(name: .customLong("macro"),
            help: "A notify macro to handle besides ptep_clear_flush_notify and ptep_clear_flush_young_notify (repeatable).")
    var extraMacros: [String] = []

    @Option(help: "Parallel workers (default: one per core).")
    var jobs: Int?

    @Flag(help: ArgumentHelp("Neither read nor write the caches under $XDG_CACHE_HOME/notifysplit (default "
                             + "~/.cache/notifysplit): the configuration, the precompiled preambles and the files "
                             + "known not to mention the macros; NOTIFYSPLIT_NO_CACHE=1 does the same."))
    var noCache = false

    /// The token scan's record of files without the macros, unless off.
    var scanCache: TokenScanCache? { noCache ? nil : TokenScanCache.user() }

    var macroNames: [String] {
        var names = MacroModel.defaultNames
        for name in extraMacros where !names.contains(name) { names.append(name) }
        return names
    }

    func validate() throws {
        if compileCommands != nil && kbuildOutput != nil {
            throw ValidationError("give either -p or --kbuild-output, not both")
        }
        if config != nil && (compileCommands != nil || kbuildOutput != nil) {
            throw ValidationError("--config cannot be combined with -p or --kbuild-output (they bring their own)")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        for name in extraMacros where name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw ValidationError("--macro \(name): not a C identifier")
        }
    }

    /// The tree and the compile arguments to parse it with.
    func load() throws(NotifySplitError) -> (KernelTree, any CompileArgumentsProvider) {
        let kernel = try KernelTree(path: tree)
        let choice = try ConfigurationChoice.decide(tree: kernel, arch: arch, config: config)
        let architecture = choice.architecture
        if let compileCommands {
            return (kernel, try CompilationDatabaseConfiguration(tree: kernel, directory: compileCommands))
        }
        if let kbuildOutput {
            return (kernel, try KbuildOutputConfiguration(tree: kernel, architecture: architecture,
                                                          outputDirectory: kbuildOutput))
        }
        if kernel.exists("compile_commands.json") && config == nil {
            return (kernel, try CompilationDatabaseConfiguration(tree: kernel, directory: kernel.root))
        }
        return (kernel, try PhaseTimes.measure("synthetic configuration") { () throws(NotifySplitError) in
            try choice.provider(tree: kernel, cache: noCache ? nil : ConfigurationCache.user(),
                                preambles: noCache ? nil : PreambleCache.user())
        })
    }
}
