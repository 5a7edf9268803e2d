/// Errors that stop a command, each with one sentence for the user.
public enum NotifySplitError: Error, Equatable, CustomStringConvertible {
    /// Bad arguments or a path that is not a usable kernel tree (exit 2).
    case usage(String)
    /// Something went wrong while reading or writing (exit 2).
    case io(String)
    /// SIGINT or SIGTERM stopped the run between two files (exit 130).
    case interrupted(String)
    /// A bug: an invariant of notifysplit itself broke (exit 70, EX_SOFTWARE).
    case `internal`(String)

    public var description: String {
        switch self {
        case .usage(let message), .io(let message), .interrupted(let message): message
        case .internal(let message):
            "internal error: \(message); this is a bug in notifysplit \(ToolVersion.current), please report it "
                + "with the command line and the tree's version"
        }
    }
}
