import Foundation

/// Wall time per phase, printed to stderr when NOTIFYSPLIT_PROFILE=1 (the
/// benchmark's profile of where a run's time goes).
public enum PhaseTimes {
    public static let enabled = ProcessInfo.processInfo.environment["NOTIFYSPLIT_PROFILE"] == "1"

    /// The first report's start: each line also says when its phase ended
    /// after it, so phases overlapping on workers read as a timeline.
    private static let origin = DispatchTime.now()

    /// Reports a line without a time (what a phase did, e.g. a cache hit).
    public static func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("profile: \(text)\n".utf8))
    }

    /// Runs `body`, reporting its wall time under `name`.
    public static func measure<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        guard enabled else { return try body() }
        let origin = origin
        let start = DispatchTime.now()
        defer {
            let end = DispatchTime.now().uptimeNanoseconds
            let seconds = Double(end - start.uptimeNanoseconds) / 1e9
            let at = Double(end - origin.uptimeNanoseconds) / 1e9
            FileHandle.standardError.write(Data(String(format: "profile: %-28@ %8.3f s  (ends at %.3f s)\n",
                                                       name as NSString, seconds, at).utf8))
        }
        return try body()
    }
}
