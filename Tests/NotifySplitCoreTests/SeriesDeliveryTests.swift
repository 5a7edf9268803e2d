import Foundation
@testable import NotifySplitCore
import XCTest

/// What a series needs to be sent and applied: base-commit, the
/// maintainers to Cc, patches git itself would write byte for byte, and
/// checkpatch --strict clean.
final class SeriesDeliveryTests: XCTestCase {
    func run(_ arguments: [String], home: String? = nil, environment: [String: String] = [:]) throws -> ToolRun {
        try runIsolated(arguments, self, home: home, environment: environment)
    }

    func git(_ arguments: [String], in directory: String, home: String? = nil) throws {
        try runGit(arguments, in: directory, home: home)
    }

    func header(_ name: String, in mbox: String) -> [String] { headerValues(name, in: mbox) }

    /// A copy of the 2.6 fixture tree outside any git repository.
    func tree() throws -> String { try copyFixture("tree-2.6", self) }

    let date = ["--date", "2026-01-01"]

    // MARK: base-commit

    func testBaseCommitInAGitTree() throws {
        let tree = try tree()
        let home = try makeTemporaryDirectory(self)
        try "[user]\n\tname = A U Thor\n\temail = a@example.org\n"
            .write(toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)
        try git(["init", "-q"], in: tree, home: home)
        try git(["add", "-A"], in: tree, home: home)
        try git(["commit", "-qm", "base"], in: tree, home: home)
        let (_, head) = try shell(["git", "rev-parse", "HEAD"], in: tree)
        let clean = try run(["convert", tree, "--stdout", "-s"] + date, home: home)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertTrue(clean.stdout.contains("\n\nbase-commit: \(head.trimmingCharacters(in: .whitespacesAndNewlines))\n-- \n"),
                      clean.stdout)
        // The series applies with git am on that commit.
        let mbox = clean.stdout.components(separatedBy: "From 0000000000000000000000000000000000000000").dropFirst(2)
            .map { "From 0000000000000000000000000000000000000000" + $0 }.joined()
        let (amStatus, amOutput) = try shell(["env", "HOME=\(home)", "GIT_CONFIG_NOSYSTEM=1", "git", "am"], in: tree,
                                             input: Data(mbox.utf8))
        XCTAssertEqual(amStatus, 0, amOutput)
        try git(["reset", "-q", "--hard", "HEAD~3"], in: tree, home: home)
        // A file elsewhere may change; a touched one may not.
        try "x\n".write(toFile: tree + "/untouched.txt", atomically: true, encoding: .utf8)
        XCTAssertTrue(try run(["convert", tree, "--stdout"] + date, home: home).stdout.contains("base-commit: "))
        try "/* changed */\n".appendLine(to: tree + "/mm/rmap.c")
        let dirty = try run(["convert", tree, "--stdout"] + date, home: home)
        XCTAssertFalse(dirty.stdout.contains("\nbase-commit:"))
        XCTAssertTrue(dirty.stdout.contains("No base-commit: mm/rmap.c differs from HEAD. The series applies to Linux\n"
                                            + "2.6.27 as it was read.\n-- \n"), dirty.stdout)
        // Not a git tree at all.
        let plain = try run(["convert", try self.tree(), "--stdout", "--from", "A <a@example.org>"] + date)
        XCTAssertTrue(plain.stdout.contains("No base-commit: the tree is not the top of a git work tree."), plain.stdout)
    }

    // MARK: --cc-maintainers

    /// A copy of the 2.6 fixture tree that get_maintainer.pl accepts as
    /// the top of a kernel tree, with the Debian 6.1 tree's script and a
    /// small MAINTAINERS.
    func maintainedTree() throws -> String {
        guard let kernel = ProcessInfo.processInfo.environment["NOTIFYSPLIT_TREE_6_1"], !kernel.isEmpty else {
            throw XCTSkip("NOTIFYSPLIT_TREE_6_1 is not set; `make test` fetches the Debian tree and sets it")
        }
        let tree = try tree()
        let fm = FileManager.default
        for file in ["COPYING", "CREDITS", "Kbuild", "README"] { fm.createFile(atPath: tree + "/" + file, contents: Data()) }
        for directory in ["Documentation", "arch", "drivers", "fs", "init", "ipc", "kernel", "lib", "scripts"] {
            try fm.createDirectory(atPath: tree + "/" + directory, withIntermediateDirectories: true)
        }
        try fm.copyItem(atPath: kernel + "/scripts/get_maintainer.pl", toPath: tree + "/scripts/get_maintainer.pl")
        try """
            MEMORY MANAGEMENT
            M:\tAndrew Morton <akpm@linux-foundation.org>
            L:\tlinux-mm@kvack.org
            S:\tMaintained
            F:\tmm/

            MMU NOTIFIERS
            M:\t"Kirill A. Shutemov" <kirill@example.org>
            R:\tJérôme Reviewer <jerome@example.org>
            L:\tlinux-mm@kvack.org
            S:\tMaintained
            F:\tinclude/linux/mmu_notifier.h

            THE REST
            M:\tLinus Torvalds <torvalds@linux-foundation.org>
            L:\tlinux-kernel@vger.kernel.org
            S:\tBuried alive in reporters
            F:\t*
            F:\t*/

            """.write(toFile: tree + "/MAINTAINERS", atomically: true, encoding: .utf8)
        return tree
    }

    func testCcMaintainersFromAFixtureMaintainersFile() throws {
        let tree = try maintainedTree()
        let output = try makeTemporaryDirectory(self) + "/series"
        let result = try run(["convert", tree, "-o", output, "--cc-maintainers", "-s", "--from", "A <a@example.org>"]
                             + date)
        XCTAssertEqual(result.status, 0, result.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        func text(_ prefix: String) throws -> String {
            try String(contentsOfFile: output + "/" + files.first { $0.hasPrefix(prefix) }!, encoding: .utf8)
        }
        let first = try text("0001")
        XCTAssertTrue(first.contains("""
            Cc: Andrew Morton <akpm@linux-foundation.org>,
                linux-mm@kvack.org,
                linux-kernel@vger.kernel.org

            """), first)
        let deletion = try text("0003")
        XCTAssertTrue(deletion.contains("Cc: \"Kirill A. Shutemov\" <kirill@example.org>,\n"), deletion)
        XCTAssertTrue(deletion.contains("    \"Jérôme Reviewer\" <jerome@example.org>,\n"), deletion)
        XCTAssertTrue(deletion.contains("Content-Transfer-Encoding: 8bit\nCc: "), "MIME headers for the non-ASCII Cc")
        let cover = try text("0000")
        for address in ["Andrew Morton <akpm@linux-foundation.org>", "\"Kirill A. Shutemov\" <kirill@example.org>",
                        "linux-mm@kvack.org", "linux-kernel@vger.kernel.org"] {
            XCTAssertEqual(cover.components(separatedBy: address).count, 2, "\(address) once in the cover letter")
        }
        // Off by default.
        XCTAssertFalse(try run(["convert", tree, "--stdout", "--from", "A <a@example.org>"] + date).stdout.contains("Cc:"))
    }

    func testCcMaintainersWithoutTheScriptIsAClearError() throws {
        let tree = try tree()
        let result = try run(["convert", tree, "--stdout", "--cc-maintainers", "--from", "A <a@example.org>"] + date)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "notifysplit: \(tree)/scripts/get_maintainer.pl: no such file; --cc-maintainers "
                       + "runs the tree's own get_maintainer.pl (leave the option out for a tree without it)\n")
        XCTAssertEqual(result.stdout, "", "nothing written")
        let noMaintainers = try maintainedTree()
        try FileManager.default.removeItem(atPath: noMaintainers + "/MAINTAINERS")
        let missing = try run(["convert", noMaintainers, "--stdout", "--cc-maintainers", "--from", "A <a@example.org>"]
                              + date)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.hasSuffix("/MAINTAINERS: no such file; --cc-maintainers needs the tree's MAINTAINERS\n"))
    }

    /// The Debian 6.1 tree's own get_maintainer.pl and MAINTAINERS on the
    /// deletion patch of its mmu_notifier.h (made as if no user were left).
    func testCcMaintainersOfTheDebian61Tree() throws {
        guard let path = ProcessInfo.processInfo.environment["NOTIFYSPLIT_TREE_6_1"], !path.isEmpty else {
            throw XCTSkip("NOTIFYSPLIT_TREE_6_1 is not set; `make test` fetches the Debian tree and sets it")
        }
        let tree = try KernelTree(path: path)
        let header = try FileBytes(path: tree.absolute(KernelTree.notifierHeader)).bytes
        let model = MacroModel(headerBytes: header, names: ["ptep_clear_flush_notify"])
        let edits = HeaderDeletion(bytes: header, model: model).edits(removing: ["ptep_clear_flush_notify"]).edits
        let diff = try XCTUnwrap(FileDiff(path: KernelTree.notifierHeader, old: header,
                                          new: try XCTUnwrap(Edit.apply(edits, to: header))))
        XCTAssertEqual(diff.deletions, 14, "the notifier form, the blank line after it, and the stub")
        let patch = MailPatch(number: 1, total: 1, subject: "mm/mmu_notifier: remove ptep_clear_flush_notify()",
                              body: "Test.\n", diffs: [diff])
        let bytes = patch.render(from: AuthorIdentity(name: "A", email: "a@example.org"),
                                 date: MessageDate(seconds: 0, zoneMinutes: 0), prefix: "PATCH", signoff: nil)
        let cc = try MaintainerCc.addresses(tree: tree, patches: [("0001-x.patch", bytes)])
        XCTAssertEqual(cc.count, 1)
        XCTAssertTrue(cc[0].contains("linux-kernel@vger.kernel.org"), "\(cc)")
        XCTAssertTrue(cc[0].allSatisfy { !$0.contains("(") }, "--no-rolestats: addresses only: \(cc)")
    }

    // MARK: git as the oracle

    /// The patches are what git itself writes: applied with git am and
    /// written again with git format-patch (zero commit, 12-digit ids as
    /// the kernel configures core.abbrev, the same signature), every patch
    /// comes out byte for byte — CRLF and Latin-1 files, a non-ASCII
    /// author, folded subjects and Cc: lines included.
    func testGitFormatPatchWritesTheSameBytes() throws {
        for (name, extra) in [("tree", [] as [String]), ("tree-2.6", ["--from", "Jérôme Glisse <j@example.org>"])] {
            let source = try copyFixture(name, self)
            let output = try makeTemporaryDirectory(self) + "/series"
            let result = try run(["convert", source, "-o", output, "-s", "--date", "2026-01-01 10:00:00 +0100",
                                  "--from", "A U Thor <author@example.org>"] + extra)
            XCTAssertEqual(result.status, 0, result.stderr)
            let patches = try FileManager.default.contentsOfDirectory(atPath: output).filter {
                $0.hasSuffix(".patch") && $0 != "0000-cover-letter.patch"
            }.sorted()
            XCTAssertFalse(patches.isEmpty)
            let home = try makeTemporaryDirectory(self)
            try git(["init", "-q"], in: source, home: home)
            try git(["add", "-A"], in: source, home: home)
            try git(["-c", "user.name=B", "-c", "user.email=b@example.org", "commit", "-qm", "base"], in: source,
                    home: home)
            for patch in patches {
                try git(["-c", "user.name=B", "-c", "user.email=b@example.org", "am", "-q", "--keep-cr",
                         output + "/" + patch], in: source, home: home)
            }
            let again = try makeTemporaryDirectory(self)
            try git(["format-patch", "-q", "--zero-commit", "--abbrev=12", "--signature=notifysplit \(ToolVersion.current)",
                     "-o", again, "HEAD~\(patches.count)"], in: source, home: home)
            let written = try FileManager.default.contentsOfDirectory(atPath: again).sorted()
            XCTAssertEqual(written, patches, name)
            for patch in patches {
                let ours = try Data(contentsOf: URL(fileURLWithPath: output + "/" + patch))
                let gits = try Data(contentsOf: URL(fileURLWithPath: again + "/" + patch))
                XCTAssertTrue(ours == gits, "\(name)/\(patch):\n\(String(decoding: gits, as: UTF8.self))")
            }
        }
    }

    /// checkpatch.pl --strict of the Debian 6.12 tree: no ERROR and no
    /// WARNING on any patch (a CRLF file's own line ends excepted), the
    /// deletion patches included — the 6.12 tree's own among them.
    func testCheckpatchStrictIsClean() throws {
        guard let kernel = ProcessInfo.processInfo.environment["NOTIFYSPLIT_TREE_6_12"], !kernel.isEmpty else {
            throw XCTSkip("NOTIFYSPLIT_TREE_6_12 is not set; `make test` sets it")
        }
        let directory = try makeTemporaryDirectory(self)
        var checked = 0
        for (path, arguments) in [(fixture("tree"), [] as [String]), (fixture("tree-2.6"), []),
                                  (fixture("tree"), ["--delete-only", "--macro", "ptep_clear_young_notify"]),
                                  (fixture("audit"), []),
                                  (kernel, [])] {
            let output = directory + "/series-\(checked)"
            let result = try run(["convert", path, "-o", output, "-s", "--from", "A U Thor <author@example.org>"]
                                 + date + arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            for patch in try FileManager.default.contentsOfDirectory(atPath: output).sorted()
            where patch.hasSuffix(".patch") && patch != "0000-cover-letter.patch" {
                let (status, report) = try shell(["perl", kernel + "/scripts/checkpatch.pl", "--strict", "--no-tree",
                                                  "--terse", "--ignore", "DOS_LINE_ENDINGS", output + "/" + patch],
                                                 in: directory)
                XCTAssertEqual(status, 0, "\(patch):\n\(report)")
                XCTAssertFalse(report.contains("ERROR") || report.contains("WARNING") || report.contains("CHECK"),
                               "\(patch):\n\(report)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }
}

private extension String {
    func appendLine(to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(utf8))
        try handle.close()
    }
}
