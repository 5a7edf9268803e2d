import Foundation

/// `--cc-maintainers`: who each patch goes to, from the tree's own
/// `scripts/get_maintainer.pl` and `MAINTAINERS` (the tree's, because the
/// maintainers of a 4.x tree are not today's). Run as
/// `perl scripts/get_maintainer.pl --no-rolestats --no-git-fallback PATCH`
/// in the tree: `--no-git-fallback` keeps the answer a function of
/// `MAINTAINERS` alone, so the same tree gives the same series twice.
public enum MaintainerCc {
    public static let script = "scripts/get_maintainer.pl"

    /// The addresses for each patch, in get_maintainer.pl's order.
    public static func addresses(tree: KernelTree, patches: [(name: String, bytes: [UInt8])])
        throws(NotifySplitError) -> [[String]] {
        guard tree.exists(script) else {
            throw .usage("\(tree.root)/\(script): no such file; --cc-maintainers runs the tree's own "
                         + "get_maintainer.pl (leave the option out for a tree without it)")
        }
        guard tree.exists("MAINTAINERS") else {
            throw .usage("\(tree.root)/MAINTAINERS: no such file; --cc-maintainers needs the tree's MAINTAINERS")
        }
        guard !patches.isEmpty else { return [] }
        var template = Array((NSTemporaryDirectory() + "/notifysplit-cc.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .io("cannot create a temporary directory for get_maintainer.pl (\(String(cString: strerror(errno))))")
        }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var result: [[String]] = []
        for (name, bytes) in patches {
            let path = directory + "/" + name
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw .io("\(path): cannot write the patch for get_maintainer.pl")
            }
            guard let output = ExternalCommand.run(["perl", script, "--no-rolestats", "--no-git-fallback", path],
                                                   in: tree.root) else {
                throw .usage("perl is not installed; --cc-maintainers runs the tree's \(script) with it")
            }
            guard output.succeeded else {
                let message = output.stderr.split(separator: "\n").first.map(String.init) ?? "exit \(output.status)"
                throw .usage("\(script) failed on \(name): \(message)")
            }
            result.append(output.stdout.split(separator: "\n").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty })
        }
        return result
    }

    /// Every address of the patches, first appearance first.
    static func union(_ lists: [[String]]) -> [String] {
        var seen = Set<String>()
        return lists.flatMap { $0 }.filter { seen.insert($0).inserted }
    }
}
