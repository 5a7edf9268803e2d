import ArgumentParser
import Foundation
import NotifySplitCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "The CI gate: name every remaining use of the notify macros and say whether they can be deleted.",
        discussion: """
            Examines every .c, .h and .S file of the tree (uses in any #if branch \
            and through wrapper macros count), plus comments and Documentation/ \
            (notes). With --series DIR the tree is checked as it would be after \
            applying that series, in memory.

            --only MACRO (repeatable) gates exactly the macros named: a tree \
            that has finished one macro passes for it whatever the others are.

            Exit status: 0 complete (every checked macro deletable or gone); \
            1 uses remain; 2 usage or tree error (including a series that does \
            not apply); 3 incomplete (some file could not be read); 70 \
            internal error (a bug: please report it).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif, github }

    @OptionGroup var options: TreeOptions

    @Option(help: "Check the tree as a patch series in DIR would leave it (the tree is not written).")
    var series: String?

    @Option(help: "Output format: text, json, sarif (SARIF 2.1.0) or github (workflow annotations).")
    var format: Format = .text

    @Flag(help: "Write the patch deleting the deletable macros to -o DIR.")
    var fix = false

    @Option(name: [.short, .customLong("output")], help: "With --fix: the directory to write the patch to.")
    var output: String?

    @Option(help: ArgumentHelp("Check only this macro, not the default pair (repeatable); exit 0 when each is "
                               + "deletable or gone.", valueName: "macro"))
    var only: [String] = []

    @OptionGroup(title: "With --fix") var message: MessageOptions

    /// The macros checked: `--only`'s, else the default pair and `--macro`s.
    var macroNames: [String] {
        only.isEmpty ? options.macroNames : only.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    func validate() throws {
        for name in only where name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw ValidationError("--only \(name): not a C identifier")
        }
        if !only.isEmpty && !options.extraMacros.isEmpty {
            throw ValidationError("--only names every macro checked; give the siblings to --only, not --macro")
        }
        if fix && output == nil { throw ValidationError("--fix writes a patch: give -o DIR") }
        if fix && series != nil { throw ValidationError("--fix and --series do not go together") }
        if !fix && output != nil { throw ValidationError("-o goes with --fix") }
    }

    func run() throws {
        let tree: KernelTree
        do { tree = try KernelTree(path: options.tree) } catch { fail(error) }
        let check: TreeCheck
        do {
            var overlay = TreeOverlay()
            if let series { overlay = try SeriesOverlay.load(directory: series, tree: tree) }
            check = try TreeCheck.run(tree: tree, macroNames: macroNames,
                                      workers: options.jobs ?? defaultWorkerCount, overlay: overlay, series: series)
        } catch { fail(error) }
        let report = CheckReport(check)
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(report.json(), terminator: "")
        case .sarif: print(report.sarif(), terminator: "")
        case .github: print(report.github(), terminator: "")
        }
        if fix, let output {
            writeDeletionPatch(to: output)
        }
        if report.exit_status != 0 { throw ExitCode(Int32(report.exit_status)) }
    }

    /// `check --fix`: the deletion patch alone (`convert --delete-only`).
    private func writeDeletionPatch(to output: String) {
        do {
            let (tree, arguments) = try options.load()
            let author = try message.author(tree: tree)
            let date = try message.messageDate()
            let conversion = try Conversion.run(tree: tree, arguments: arguments,
                                                options: .init(macroNames: macroNames,
                                                               workers: options.jobs ?? defaultWorkerCount))
            var series = try SeriesBuilder(conversion: conversion, options: SeriesOptions(
                author: author, signoff: message.signoff, date: date, deleteOnly: true)).build()
            series.base = SeriesBase.detect(tree: tree, paths: series.touchedPaths)
            try SeriesWriter(series: series, conversion: conversion).write(to: output, force: false)
            FileHandle.standardError.write(Data(("notifysplit: wrote " + (series.patches.isEmpty
                ? "no patch (nothing to delete)" : series.patches.map(\.fileName).joined(separator: ", "))
                + " to \(output)\n").utf8))
        } catch {
            fail(error)
        }
    }
}
