import ArgumentParser
import Foundation
import NotifySplitCore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Say which notifier calls still run in atomic context, and which locks keep them there.",
        discussion: """
            For every notifier call of the tree (the mmu_notifier_*() calls that \
            run the notifiers, and the notify macros), as the tree would be after \
            --series DIR: the locks held at the call in its function, and up each \
            chain of callers (found by name, then parsed; calls through a struct \
            field a visible initialiser registers the function in, and through a \
            parameter it is passed to, included) to --depth N. Each call is \
            sleepable true, false (with every chain holding an atomic lock: the \
            lock, its kind from its declared type, the function that took it, the \
            chain) or unknown (with what could not be followed). Then the atomic \
            locks that keep calls atomic, each with its lock/unlock/trylock/init/ \
            assert sites in the tree.

            Exit status: 0 complete; 2 usage or tree error; 3 incomplete (a file \
            could not be read or parsed, listed); 70 internal error (a bug: please \
            report it).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: TreeOptions

    @Option(help: "Audit the tree as a patch series in DIR would leave it (the tree is not written).")
    var series: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "How many callers up each chain to follow.")
    var depth = 4

    func validate() throws {
        if depth < 0 || depth > 16 { throw ValidationError("--depth must be between 0 and 16") }
    }

    func run() throws {
        let (tree, arguments): (KernelTree, any CompileArgumentsProvider)
        let result: AuditResult
        do {
            (tree, arguments) = try options.load()
            var overlay = TreeOverlay()
            if let series { overlay = try SeriesOverlay.load(directory: series, tree: tree) }
            let architecture = try ConfigurationChoice.decide(tree: tree, arch: options.arch, config: options.config)
                .architecture.name
            result = try Audit.run(tree: tree, arguments: arguments, overlay: overlay,
                                   options: .init(depth: depth, workers: options.jobs ?? defaultWorkerCount,
                                                  architecture: architecture, series: series,
                                                  scanCache: options.scanCache))
        } catch { fail(error) }
        let report = AuditReport(result)
        print(format == .json ? report.json() : report.text(), terminator: "")
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
