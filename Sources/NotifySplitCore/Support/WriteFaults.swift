import Foundation

/// A fault-injection hook for the tests of partial writes: with
/// NOTIFYSPLIT_FAIL_WRITE_AFTER=N in the environment, the (N+1)th file
/// write fails as a full disk would (ENOSPC). Unset, it does nothing.
enum WriteFaults {
    private static let limit = ProcessInfo.processInfo.environment["NOTIFYSPLIT_FAIL_WRITE_AFTER"].flatMap(Int.init)
    private static let counter = Counter()

    /// Writes `bytes` to `path`, or fails like a full disk when the hook says so.
    static func write(_ bytes: [UInt8], to path: String) throws {
        if let limit, counter.next() >= limit {
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC),
                          userInfo: [NSLocalizedDescriptionKey: "No space left on device"])
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count - 1 }
    }
}
