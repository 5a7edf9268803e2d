import ArgumentParser
import Foundation
import NotifySplitCore

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write a patch series moving each notifier call after the page-table unlock.",
        discussion: """
            Writes 0000-cover-letter.patch, one NNNN-*.patch per function (or \
            file) in git format-patch mbox form, the last one deleting the \
            macros nobody uses any more, and refusals.tsv. The series is \
            validated first: each converted file is re-parsed and must have no \
            new error and no use left in a converted function. The tree is \
            never written unless --in-place is given.

            The author is git's (GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, the tree's \
            git config, the global one) unless --from names one; -s adds a \
            Signed-off-by: of that author. The cover letter ends with \
            base-commit: when the tree is a git work tree whose HEAD has every \
            touched file as it is. The converted functions are audited with the \
            series applied (as notifysplit audit, --audit-depth callers up; 0 \
            skips it): a notifier call still in atomic context is said so in its \
            patch and in the cover letter, with the lock that keeps it there.

            --in-place in a git work tree refuses to write a file with \
            uncommitted changes (staged, unstaged or untracked) and names them; \
            --force writes them anyway.

            Exit status: 0 written; 2 usage or tree error; 3 incomplete (a site \
            could not be analysed, or a converted file failed validation and was \
            left out); 70 internal error (a bug: please report it); 130 \
            interrupted (--in-place).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum Split: String, ExpressibleByArgument, CaseIterable { case function, file }

    @OptionGroup var options: TreeOptions

    @Option(name: [.short, .customLong("output")], help: "Directory to write the series to.")
    var output: String?

    @Flag(help: "Write the series as one mbox on stdout instead.")
    var stdout = false

    @Flag(help: "Apply the series to the tree instead (each file written atomically).")
    var inPlace = false

    @Flag(help: "Replace a non-empty output directory; with --in-place, write files that have uncommitted changes.")
    var force = false

    @Option(help: "One patch per function (default) or per file.")
    var split: Split = .function

    @Option(help: "Subject prefix.")
    var subjectPrefix = "PATCH"

    @OptionGroup var message: MessageOptions

    @Flag(help: ArgumentHelp("Add Cc: lines from the tree's scripts/get_maintainer.pl --no-rolestats "
                             + "--no-git-fallback (needs perl and MAINTAINERS)."))
    var ccMaintainers = false

    @Flag(help: "Write only the patch deleting the macros that no use is left of.")
    var deleteOnly = false

    @Option(help: "What to print on stdout: text (a line per site) or json.")
    var format: Format = .text

    @Option(help: "How many callers up the converted functions are audited for atomic context (0: not audited).")
    var auditDepth = 2

    func validate() throws {
        let targets = [output != nil, stdout, inPlace].filter { $0 }.count
        if targets != 1 { throw ValidationError("give exactly one of -o DIR, --stdout, --in-place") }
        if subjectPrefix.isEmpty || !subjectPrefix.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) {
            throw ValidationError("--subject-prefix \(subjectPrefix): printable ASCII only")
        }
        if ccMaintainers && inPlace { throw ValidationError("--cc-maintainers goes with -o or --stdout, not --in-place") }
        if auditDepth < 0 || auditDepth > 16 { throw ValidationError("--audit-depth must be between 0 and 16") }
    }

    func run() throws {
        let (tree, arguments): (KernelTree, any CompileArgumentsProvider)
        do { (tree, arguments) = try options.load() } catch { fail(error) }
        let progress = Progress()
        let conversion: Conversion
        var series: Series
        do {
            // Identity and date first: a missing identity fails before the work.
            let author = inPlace ? AuthorIdentity(name: "notifysplit", email: "in-place") : try message.author(tree: tree)
            let date = try message.messageDate()
            conversion = try Conversion.run(tree: tree, arguments: arguments,
                                            options: .init(macroNames: options.macroNames,
                                                           workers: options.jobs ?? defaultWorkerCount,
                                                           scanCache: options.scanCache),
                                            progress: { progress($0) })
            progress.finish()
            let seriesOptions = SeriesOptions(
                split: SeriesOptions.Split(rawValue: split.rawValue)!, subjectPrefix: subjectPrefix,
                author: author, signoff: message.signoff, date: date, deleteOnly: deleteOnly)
            series = try SeriesBuilder(conversion: conversion, options: seriesOptions).build()
            // The base asks git (a process or three, an index refresh on a
            // git tree): found while the audit parses.
            let touched = series.touchedPaths
            let base = inPlace ? nil : BackgroundResult { SeriesBase.detect(tree: tree, paths: touched) }
            if !deleteOnly && auditDepth > 0 {
                let architecture = try ConfigurationChoice.decide(tree: tree, arch: options.arch, config: options.config)
                    .architecture.name
                if let stillAtomic = try StillAtomic.audit(series: series, tree: tree, arguments: arguments,
                                                           architecture: architecture, depth: auditDepth,
                                                           workers: options.jobs ?? defaultWorkerCount,
                                                           scanCache: options.scanCache) {
                    series = try SeriesBuilder(conversion: conversion, options: seriesOptions,
                                               stillAtomic: stillAtomic).build()
                }
            }
            if !inPlace {
                series.base = base!.value
                if ccMaintainers { try series.addMaintainers(tree: tree) }
            }
            let writer = SeriesWriter(series: series, conversion: conversion)
            if stdout {
                FileHandle.standardOutput.write(Data(writer.mbox))
            } else if inPlace {
                let written = try writer.applyInPlace(force: force)
                FileHandle.standardError.write(Data(("written: " + (written.isEmpty ? "nothing"
                    : written.joined(separator: ", ")) + "\n").utf8))
            } else if let output {
                try writer.write(to: output, force: force)
            }
        } catch {
            progress.finish()
            fail(error)
        }
        if !stdout {
            let report = ConvertReport(conversion: conversion, series: series)
            print(format == .json ? report.json() : report.text(), terminator: "")
        }
        for failure in conversion.validationFailures {
            FileHandle.standardError.write(Data(("notifysplit: VALIDATION FAILED: \(failure.path): \(failure.message);"
                + " the file is left out of the series\n").utf8))
        }
        if !conversion.validationFailures.isEmpty || !conversion.scan.isComplete {
            throw ExitCode(ExitStatus.incomplete)
        }
    }
}
