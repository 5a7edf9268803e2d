/// Who the patches are from: `Name <email>`, found the way git finds the
/// author of a commit made in the tree, so `GIT_AUTHOR_NAME` and
/// `GIT_AUTHOR_EMAIL` (what CI systems set), the tree's own git config and
/// the global one all count, in git's order.
///
/// `user.useConfigOnly` is forced on: an identity git would only guess from
/// the host name and the password file is no identity to sign a patch with.
public struct AuthorIdentity: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var email: String

    public var description: String { "\(name) <\(email)>" }

    /// `Name <email>` as given to `--from`; nil when it is not that form.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else { return nil }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let email = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        guard !name.isEmpty, !email.isEmpty, email.contains("@"), !email.contains(where: { "<> \t\n".contains($0) }),
              !name.contains(where: { "<>\n".contains($0) }) else { return nil }
        self.name = name
        self.email = email
    }

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// The sentence for a run without any identity.
    public static let missing = "no author identity: set GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, or git config "
        + "user.name and user.email (in the tree or --global), or give --from 'Name <email>'"

    /// `git var GIT_AUTHOR_IDENT` run in `directory`: `Name <email> 1767225600 +0000`.
    public static func fromGit(in directory: String) throws(NotifySplitError) -> AuthorIdentity {
        guard let output = ExternalCommand.git(["-c", "user.useConfigOnly=true", "var", "GIT_AUTHOR_IDENT"],
                                               in: directory) else {
            throw .usage("git is not installed; " + missing)
        }
        guard output.succeeded else { throw .usage(missing) }
        // Drop the trailing "SECONDS ZONE" git appends.
        var line = output.stdout.split(separator: "\n").first.map(String.init) ?? ""
        for _ in 0..<2 {
            guard let space = line.lastIndex(of: " ") else { break }
            line = String(line[..<space])
        }
        guard let identity = AuthorIdentity(parsing: line) else {
            throw .usage("git var GIT_AUTHOR_IDENT printed '\(line)', not 'Name <email>'; " + missing)
        }
        return identity
    }
}
