import Foundation

/// The temporary directories a run keeps for a while (the synthetic
/// configuration's generated headers), so that an early exit — which skips
/// deinitialisers — still removes them: `fail()` calls `removeAll()`.
public enum TemporaryDirectories {
    private static let lock = NSLock()
    /// Each directory with the work still writing into it, waited for first.
    nonisolated(unsafe) private static var paths: [String: DispatchGroup] = [:]

    static func register(_ path: String, writers: DispatchGroup) {
        lock.lock(); paths[path] = writers; lock.unlock()
    }

    static func unregister(_ path: String) {
        lock.lock(); paths[path] = nil; lock.unlock()
    }

    /// Removes every directory still registered (before exit()).
    public static func removeAll() {
        lock.lock()
        let all = paths
        paths = [:]
        lock.unlock()
        for (path, writers) in all {
            writers.wait()
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
