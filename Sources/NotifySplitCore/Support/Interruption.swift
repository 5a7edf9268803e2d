import Foundation

/// SIGINT/SIGTERM during `--in-place`: the run finishes the file it is
/// writing (each is replaced atomically), writes no more, and says which
/// files were written.
public enum Interruption {
    nonisolated(unsafe) private static var raised: sig_atomic_t = 0

    /// Installs the handlers (once, for the writing phase).
    public static func catchSignals() {
        let handler: @convention(c) (Int32) -> Void = { _ in Interruption.raised = 1 }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }

    public static var wasRaised: Bool { raised != 0 }

    /// Test hook: NOTIFYSPLIT_INTERRUPT_AFTER=N sends this process SIGINT
    /// after the Nth file written.
    static func testHook(afterWriting count: Int) {
        if let limit = ProcessInfo.processInfo.environment["NOTIFYSPLIT_INTERRUPT_AFTER"].flatMap(Int.init),
           count == limit {
            kill(getpid(), SIGINT)
        }
    }
}
