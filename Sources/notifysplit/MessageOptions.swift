import ArgumentParser
import Foundation
import NotifySplitCore

/// Who signs a series and when, as `git format-patch` decides it: the
/// author is git's (`git var GIT_AUTHOR_IDENT` in the tree) unless `--from`
/// names one; `-s` adds a `Signed-off-by:` of that author; the date is
/// `--date`, else `SOURCE_DATE_EPOCH`, else now.
struct MessageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Author of the patches, 'Name <email>' (default: git's author identity in the "
                               + "tree: GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, the tree's git config, the global one).",
                               valueName: "ident"))
    var from: String?

    @Flag(name: [.customShort("s"), .customLong("signoff")],
          help: "Add 'Signed-off-by:' of the author to each patch, as git format-patch -s does.")
    var signoff = false

    @Option(help: ArgumentHelp("Date of every message: RFC 2822 (weekday optional), ISO 8601, git's iso "
                               + "form or '@SECONDS +ZONE' (default: SOURCE_DATE_EPOCH when set, else now).",
                               valueName: "date"))
    var date: String?

    func validate() throws {
        if let from, AuthorIdentity(parsing: from) == nil {
            throw ValidationError("--from \(from): not 'Name <email>'")
        }
        if let date, MessageDate.parse(date) == nil {
            throw ValidationError("--date \(date): not a date; use \(MessageDate.acceptedForms)")
        }
    }

    /// The author: `--from`, else git's identity as seen from `tree`.
    func author(tree: KernelTree) throws(NotifySplitError) -> AuthorIdentity {
        if let from, let identity = AuthorIdentity(parsing: from) { return identity }
        return try AuthorIdentity.fromGit(in: tree.root)
    }

    /// `--date`, else `SOURCE_DATE_EPOCH` (reproducible builds), else now.
    func messageDate() throws(NotifySplitError) -> MessageDate {
        if let date, let parsed = MessageDate.parse(date) { return parsed }
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] {
            guard let parsed = MessageDate.sourceDateEpoch(epoch) else {
                throw .usage("SOURCE_DATE_EPOCH=\(epoch): not a number of seconds since 1970")
            }
            return parsed
        }
        return MessageDate.now()
    }
}
