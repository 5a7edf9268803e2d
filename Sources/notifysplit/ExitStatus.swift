import ArgumentParser
import Foundation
import NotifySplitCore

/// The documented exit statuses.
enum ExitStatus {
    static let complete: Int32 = 0
    static let usesRemain: Int32 = 1
    static let usage: Int32 = 2
    static let incomplete: Int32 = 3
    /// A bug in notifysplit (EX_SOFTWARE of sysexits.h).
    static let internalError: Int32 = 70
    static let interrupted: Int32 = 130
}

/// Prints `notifysplit: MESSAGE` on stderr and exits: status 2 for bad
/// input (one clear sentence, never a stack trace), 130 when interrupted,
/// 70 for an internal error.
func fail(_ error: NotifySplitError) -> Never {
    FileHandle.standardError.write(Data("notifysplit: \(error.description)\n".utf8))
    // exit() skips deinitialisers: the generated headers go now.
    TemporaryDirectories.removeAll()
    switch error {
    case .interrupted: exit(ExitStatus.interrupted)
    case .internal: exit(ExitStatus.internalError)
    case .usage, .io: exit(ExitStatus.usage)
    }
}

/// A progress line on stderr, only when stderr is a terminal and the work
/// has taken more than a moment.
struct Progress: Sendable {
    let start = Date()
    let enabled = isatty(2) != 0

    func callAsFunction(_ message: String) {
        guard enabled, Date().timeIntervalSince(start) > 0.5 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)…".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
