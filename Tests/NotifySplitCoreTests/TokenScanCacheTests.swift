import Foundation
@testable import NotifySplitCore
import XCTest

/// The token scan's cache: files an earlier scan found without the names,
/// unchanged since (git's test: inode, size, modification and change
/// times) and last written well before that scan, are not read again.
/// Whatever the cache holds, the scan reports what a full read reports.
final class TokenScanCacheTests: XCTestCase {
    private let macro = "ptep_clear_flush_notify"
    private let hour: Int64 = 3600

    /// mm/user.c calls the macro; mm/quiet.c and mm/other.c do not; all
    /// three were last written an hour ago.
    private func makeTree() throws -> String {
        let root = try makeTemporaryDirectory(self)
        try write(root, "Makefile", "VERSION = 6\nPATCHLEVEL = 1\n")
        try write(root, "include/linux/mmu_notifier.h", "")
        try write(root, "mm/user.c", "void f(void) { ptep_clear_flush_notify(vma, addr, pte); }\n")
        try write(root, "mm/quiet.c", "void g(void) { ptep_clear_flush(vma, addr, pte); }\n")
        try write(root, "mm/other.c", "int h(void) { return 0; }\n")
        for file in ["include/linux/mmu_notifier.h", "mm/user.c", "mm/quiet.c", "mm/other.c"] {
            try age(root + "/" + file, to: now() - hour)
        }
        return root
    }

    private func write(_ root: String, _ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    private func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Sets a file's modification time (its change time becomes now).
    private func age(_ path: String, to seconds: Int64) throws {
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
    }

    /// A cache in a new folder. The files a test writes changed (`ctime`)
    /// moments ago, which no test can set back: but for the test of that
    /// safeguard, files changed up to a minute after a scan began count as
    /// settled.
    private func cache(settling: Int64 = -60) throws -> TokenScanCache {
        TokenScanCache(directory: try makeTemporaryDirectory(self) + "/scan", settling: settling)
    }

    private func scan(_ root: String, _ cache: TokenScanCache?) throws -> [String] {
        let tree = try KernelTree(path: root)
        let result = TreeTokenScan.run(tree: tree, names: [macro], workers: 2, cache: cache)
        return result.hits.keys.sorted().map { path in "\(path): " + result.hits[path]!.map { "\($0.line):\($0.name)" }
            .joined(separator: " ") }
    }

    /// The files a scan's record says hold none of the names.
    private func recorded(_ cache: TokenScanCache, _ root: String) throws -> [String] {
        let tree = try KernelTree(path: root)
        let files = tree.listing.files
        let known = cache.known(root: tree.root, names: [macro], files: files)
        return zip(files, known.absent).compactMap { $0.1 == nil ? nil : $0.0 }
    }

    func testFilesWithoutTheNamesAreRecorded() throws {
        let root = try makeTree()
        let cache = try cache()
        XCTAssertEqual(try scan(root, cache), ["mm/user.c: 1:ptep_clear_flush_notify"])
        // The header, quiet.c and other.c: not user.c, which has a hit.
        XCTAssertEqual(try recorded(cache, root), ["include/linux/mmu_notifier.h", "mm/other.c", "mm/quiet.c"])
    }

    func testAFileChangedMomentsBeforeTheScanIsNotRecorded() throws {
        // Every file of the tree changed (ctime) just now, whatever its
        // modification time says: a write later in the same clock tick
        // would leave its signature as it is.
        let root = try makeTree()
        let cache = try cache(settling: 3)
        XCTAssertEqual(try scan(root, cache), ["mm/user.c: 1:ptep_clear_flush_notify"])
        XCTAssertEqual(try recorded(cache, root), [])
    }

    func testAFileChangedSinceItWasRecordedIsReadAgain() throws {
        let root = try makeTree()
        let cache = try cache()
        XCTAssertEqual(try scan(root, cache), ["mm/user.c: 1:ptep_clear_flush_notify"])
        // Same size, and the modification time set back to the recorded
        // one: only the change time (which no user can set) differs.
        let quiet = root + "/mm/quiet.c"
        var before = stat()
        XCTAssertEqual(stat(quiet, &before), 0)
        try write(root, "mm/quiet.c", "void g(void) { ptep_clear_flush_notify(v, a, p); }\n")
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, quiet, &times, 0), 0)
        var after = stat()
        XCTAssertEqual(stat(quiet, &after), 0)
        XCTAssertEqual([after.st_ino, UInt(after.st_size), UInt(after.st_mtim.tv_sec), UInt(after.st_mtim.tv_nsec)],
                       [before.st_ino, UInt(before.st_size), UInt(before.st_mtim.tv_sec), UInt(before.st_mtim.tv_nsec)])
        let expected = ["mm/quiet.c: 1:ptep_clear_flush_notify", "mm/user.c: 1:ptep_clear_flush_notify"]
        XCTAssertEqual(try scan(root, nil), expected)
        XCTAssertEqual(try scan(root, cache), expected)
    }

    func testAFileReplacedByAnotherIsReadAgain() throws {
        let root = try makeTree()
        let cache = try cache()
        _ = try scan(root, cache)
        // A new inode under the old name (as `git checkout` or an editor
        // that renames into place leaves it), backdated.
        try write(root, "mm/replacement", "int h(void) { ptep_clear_flush_notify(); }\n")
        try age(root + "/mm/replacement", to: now() - hour)
        XCTAssertEqual(rename(root + "/mm/replacement", root + "/mm/other.c"), 0)
        XCTAssertEqual(try scan(root, cache), ["mm/other.c: 1:ptep_clear_flush_notify",
                                                "mm/user.c: 1:ptep_clear_flush_notify"])
    }

    func testRecordsAreKeptPerTreeAndNames() throws {
        let root = try makeTree()
        let cache = try cache()
        _ = try scan(root, cache)
        let tree = try KernelTree(path: root)
        XCTAssertEqual(cache.known(root: tree.root, names: [macro, "other_notify"], files: tree.listing.files).count, 0)
        XCTAssertEqual(cache.known(root: tree.root + "x", names: [macro], files: tree.listing.files).count, 0)
        XCTAssertEqual(cache.known(root: tree.root, names: [macro], files: tree.listing.files).count, 3)
    }

    func testATornRecordIsNotUsed() throws {
        let root = try makeTree()
        let cache = try cache()
        _ = try scan(root, cache)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory).filter { $0.hasSuffix(".scan") }
        XCTAssertEqual(files.count, 1)
        let path = cache.directory + "/" + files[0]
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try recorded(cache, root), [])
        XCTAssertEqual(try scan(root, cache), ["mm/user.c: 1:ptep_clear_flush_notify"])
        XCTAssertEqual(try recorded(cache, root).count, 3)
    }

    /// On a fixture tree: the scan with a cold and a warm cache is the scan
    /// without one.
    func testScanOfAFixtureTreeIsTheSameWithTheCache() throws {
        let root = try makeTemporaryDirectory(self)
        let source = fixture("tree")
        let copy = Process()
        copy.executableURL = URL(fileURLWithPath: "/bin/cp")
        copy.arguments = ["-a", source + "/.", root]
        try copy.run()
        copy.waitUntilExit()
        let tree = try KernelTree(path: root)
        for file in tree.listing.files { try age(root + "/" + file, to: now() - hour) }
        let cache = try cache()
        let names = MacroModel.defaultNames
        func hits(_ cache: TokenScanCache?) -> String {
            let result = TreeTokenScan.run(tree: tree, names: names, workers: 2, cache: cache)
            return result.hits.keys.sorted().map { "\($0): \(result.hits[$0]!.map { "\($0.line):\($0.column):\($0.name)" })" }
                .joined(separator: "\n") + "\nwrappers: \(result.wrappers.keys.sorted())"
        }
        let expected = hits(nil)
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(hits(cache), expected)
        XCTAssertGreaterThan(cache.known(root: tree.root, names: Set(names), files: tree.listing.files).count, 0)
        XCTAssertEqual(hits(cache), expected)
    }
}
