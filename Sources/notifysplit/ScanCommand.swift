import ArgumentParser
import Foundation
import NotifySplitCore

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "List every use of the notify macros, with its function and statement.",
        discussion: """
            One compiler-style line per site, notes for comment mentions, and a \
            summary; --format json gives the same as the JSON object documented \
            in README.md.

            Exit status: 0 the scan is complete; 2 usage or tree error; 3 some \
            candidate file could not be read or analysed.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: TreeOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let (tree, arguments): (KernelTree, any CompileArgumentsProvider)
        do { (tree, arguments) = try options.load() } catch { fail(error) }
        let progress = Progress()
        let scan: Scan
        do {
            scan = try Scan.run(tree: tree, arguments: arguments,
                                options: .init(macroNames: options.macroNames,
                                               workers: options.jobs ?? defaultWorkerCount,
                                               scanCache: options.scanCache),
                                progress: { progress($0) })
        } catch {
            progress.finish()
            fail(error)
        }
        progress.finish()
        let report = ScanReport(scan)
        print(format == .json ? report.json() : report.text(), terminator: "")
        if !scan.isComplete { throw ExitCode(ExitStatus.incomplete) }
    }
}
