import Foundation

/// What the series applies to, for the end of the cover letter: the commit,
/// as `git format-patch --base` writes it (`base-commit: SHA`), when the
/// tree is the top of a git work tree and every file the series touches is
/// as `HEAD` has it; otherwise the tree's version and why there is no commit.
public enum SeriesBase: Equatable, Sendable {
    case commit(String)
    case version(String, reason: String)

    /// The lines for the cover letter.
    public var trailer: String {
        switch self {
        case .commit(let sha): return "base-commit: \(sha)\n"
        case .version(let version, let reason):
            return MailPatch.wrap("No base-commit: \(reason). The series applies to Linux \(version) as it was "
                                  + "read.") + "\n"
        }
    }

    /// Looks at `tree` with git; `paths` are the tree-relative files the
    /// series changes.
    public static func detect(tree: KernelTree, paths: [String]) -> SeriesBase {
        let version = tree.version.description
        // Never written, not even git's index refresh.
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        func git(_ arguments: [String]) -> ExternalCommand.Output? {
            ExternalCommand.git(arguments, in: tree.root, environment: environment)
        }
        // A tree inside another repository (a subdirectory) is no better
        // than none: that repository's commits have other paths.
        let notTop = "the tree is not the top of a git work tree"
        guard let top = git(["rev-parse", "--show-toplevel"]), top.succeeded,
              realPath(top.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == realPath(tree.root) else {
            return .version(version, reason: notTop)
        }
        guard let head = git(["rev-parse", "--verify", "-q", "HEAD^{commit}"]),
              head.succeeded else {
            return .version(version, reason: "the tree's git repository has no commit yet")
        }
        let sha = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if !paths.isEmpty {
            guard let status = git(["status", "--porcelain", "--untracked-files=all", "--ignored=no", "--"]
                                     + paths.sorted()),
                  status.succeeded else {
                return .version(version, reason: "git status failed in the tree")
            }
            let dirty = status.stdout.split(separator: "\n").map { String($0.dropFirst(3)) }
            if !dirty.isEmpty {
                return .version(version, reason: PatchMessage.list(dirty) + (dirty.count == 1 ? " differs" : " differ")
                                + " from HEAD")
            }
        }
        return .commit(sha)
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
