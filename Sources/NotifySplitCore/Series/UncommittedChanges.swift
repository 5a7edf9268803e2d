import Foundation

/// Which of the files `convert --in-place` would write have changes git
/// has not committed (staged, unstaged, untracked or ignored): writing
/// over them would mix the series with work that `git checkout` cannot
/// bring back.
enum UncommittedChanges {
    /// The tree-relative paths among `paths` that differ from HEAD, sorted;
    /// nil when the tree is not in a git work tree (or git cannot say).
    static func among(_ paths: [String], tree: KernelTree) -> [String]? {
        guard !paths.isEmpty else { return [] }
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_OPTIONAL_LOCKS"] = "0"          // never written, not even the index
        func git(_ arguments: [String]) -> ExternalCommand.Output? {
            ExternalCommand.git(arguments, in: tree.root, environment: environment)
        }
        guard let inside = git(["rev-parse", "--is-inside-work-tree", "--show-prefix"]), inside.succeeded else {
            return nil
        }
        let lines = inside.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == "true" else { return nil }
        // Porcelain paths are relative to the repository's top; the tree
        // may be a directory below it.
        let prefix = lines.count > 1 ? lines[1] : ""
        guard let status = git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching", "--"]
                                 + paths.map { ":(literal)" + $0 }),
              status.succeeded else { return nil }
        var fields = status.stdout.split(separator: "\0", omittingEmptySubsequences: true).map(String.init)[...]
        var dirty = Set<String>()
        while let entry = fields.popFirst() {
            guard entry.count > 3 else { continue }
            let code = entry.prefix(2)
            var path = String(entry.dropFirst(3))
            if code.contains("R") || code.contains("C") { _ = fields.popFirst() }    // the old name follows
            if path.hasPrefix(prefix) { path.removeFirst(prefix.count) }
            dirty.insert(path)
        }
        return paths.filter { dirty.contains($0) }.sorted()
    }
}
