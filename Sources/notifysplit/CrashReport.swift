import Foundation
import NotifySplitCore

/// A crash (a trap, a bad access) is a bug too: one line asking for a
/// report and status 70, not a signal death with a backtrace the user
/// cannot act on. `NOTIFYSPLIT_BACKTRACE=1` keeps the runtime's backtrace
/// for developers.
enum CrashReport {
    private nonisolated(unsafe) static var message: [UInt8] = []

    static func install() {
        guard ProcessInfo.processInfo.environment["NOTIFYSPLIT_BACKTRACE"] != "1" else { return }
        message = Array(("notifysplit: internal error: the program crashed; this is a bug in notifysplit "
                         + "\(ToolVersion.current), please report it with the command line and the tree's version\n").utf8)
        for signal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                // Only async-signal-safe calls here.
                CrashReport.message.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
                _exit(ExitStatus.internalError)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// `NOTIFYSPLIT_TEST_INTERNAL_ERROR=error|crash`: the tests' way to
    /// reach both paths without a real bug.
    static func testHook() {
        switch ProcessInfo.processInfo.environment["NOTIFYSPLIT_TEST_INTERNAL_ERROR"] {
        case "error": fail(.internal("test hook"))
        case "crash": raise(SIGILL)
        default: break
        }
    }
}
