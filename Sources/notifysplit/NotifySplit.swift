import ArgumentParser
import Foundation
import NotifySplitCore

@main
struct NotifySplit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifysplit",
        abstract: "Move mmu-notifier calls out of page-table-locked regions in a Linux tree.",
        discussion: """
            Finds every use of the *_notify macros of include/linux/mmu_notifier.h \
            (ptep_clear_flush_notify, ptep_clear_flush_young_notify, and siblings \
            named with --macro) with libclang, in a plain unpacked tree or a built one.

            Exit status (each command's help says more): 0 complete; 1 uses \
            remain (check); 2 usage or tree error, one sentence on stderr; 3 \
            incomplete (some file could not be read or analysed, listed); 70 \
            internal error (a bug in notifysplit: one line on stderr asking \
            for a report); 130 interrupted (convert --in-place).
            """,
        version: ToolVersion.current,
        subcommands: [ScanCommand.self, ConvertCommand.self, CheckCommand.self, AuditCommand.self, DiagnoseCommand.self, DumpCommand.self, ExportCommand.self])

    /// Like ArgumentParser's own `main()`, but a usage error exits with the
    /// documented status 2 (not EX_USAGE, 64), and a crash with 70.
    static func main() {
        CrashReport.install()
        do {
            var command = try parseAsRoot()
            CrashReport.testHook()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            if let error = error as? NotifySplitError { fail(error) }
            if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            // An error no command turned into a sentence is a bug too.
            fail(.internal("unexpected error: \(error)"))
        }
    }
}
