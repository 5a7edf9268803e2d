import Foundation

/// Wall time per phase, printed to stderr when NOTIFYSPLIT_PROFILE=1 (the
/// benchmark's profile of where a run's time goes).
public enum PhaseTimes {
    public static let enabled = ProcessInfo.processInfo.environment["NOTIFYSPLIT_PROFILE"] == "1"

    /// Reports a line without a time (what a phase did, e.g. a cache hit).
    public static func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("profile: \(text)\n".utf8))
    }

    /// Runs `body`, reporting its wall time under `name`.
    public static func measure<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        guard enabled else { return try body() }
        let start = DispatchTime.now()
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            FileHandle.standardError.write(Data(String(format: "profile: %-28@ %8.3f s\n", name as NSString, seconds).utf8))
        }
        return try body()
    }
}
