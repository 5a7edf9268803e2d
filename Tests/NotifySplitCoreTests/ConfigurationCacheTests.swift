import Foundation
@testable import NotifySplitCore
import XCTest

/// The configuration cache: a second run reuses the Kconfig symbols and the
/// computed constants, and any change to a file they were computed from —
/// or a new file where the preprocessor would find it first — makes it
/// compute them again, with the new values.
final class ConfigurationCacheTests: XCTestCase {
    private struct Prepared {
        var journal: [String]
        var autoconf: String
        var bounds: String
        var offsets: String
        var errors: [String]
    }

    /// Prepares the synthetic configuration of `tree` with `cache` (nil:
    /// none) and reads the headers it wrote.
    private func prepare(_ tree: String, cache directory: String?) throws -> Prepared {
        let journal = ConfigurationCache.Journal()
        let cache = directory.map { ConfigurationCache(directory: $0, journal: journal) }
        let configuration = try SyntheticConfiguration(tree: try KernelTree(path: tree),
                                                       architecture: Architecture(name: "x86", source: "test"),
                                                       cache: cache)
        try configuration.prepared()
        let stubs = configuration.stubDirectory
        func read(_ relative: String) throws -> String {
            try String(contentsOfFile: stubs + "/" + relative, encoding: .utf8)
        }
        return Prepared(journal: journal.lines, autoconf: try read("include/generated/autoconf.h"),
                        bounds: try read("include/generated/bounds.h"),
                        offsets: try read("include/generated/asm-offsets.h"),
                        errors: configuration.generatedHeaderErrors)
    }

    private let everything = ["Kconfig symbols", "kernel/bounds.c", "arch/x86/kernel/asm-offsets.c"]

    private func assertSame(_ a: Prepared, _ b: Prepared, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.autoconf, b.autoconf, file: file, line: line)
        XCTAssertEqual(a.bounds, b.bounds, file: file, line: line)
        XCTAssertEqual(a.offsets, b.offsets, file: file, line: line)
        XCTAssertEqual(a.errors, b.errors, file: file, line: line)
    }

    func testASecondRunReusesEverythingAndWritesTheSameHeaders() throws {
        let tree = try copyFixture("era-3.x", self)
        let cache = try makeTemporaryDirectory(self) + "/cache"
        let uncached = try prepare(tree, cache: nil)
        let first = try prepare(tree, cache: cache)
        XCTAssertEqual(first.journal, everything.map { "computed " + $0 })
        let second = try prepare(tree, cache: cache)
        XCTAssertEqual(second.journal, everything.map { "reused " + $0 })
        assertSame(first, uncached)
        assertSame(second, uncached)
        XCTAssertTrue(second.bounds.contains("#define MAX_NR_ZONES 4 "), second.bounds)
        // Nothing of the run's temporary stub folder is kept in an entry.
        for name in try FileManager.default.contentsOfDirectory(atPath: cache) {
            let text = try String(contentsOfFile: cache + "/" + name, encoding: .utf8)
            XCTAssertFalse(text.contains("notifysplit-config."), name)
        }
    }

    func testChangingAnIncludedHeaderRecomputesItsConstants() throws {
        let tree = try copyFixture("era-3.x", self)
        let cache = try makeTemporaryDirectory(self) + "/cache"
        _ = try prepare(tree, cache: cache)
        // bounds.c includes linux/mmzone.h: one more zone.
        let header = tree + "/include/linux/mmzone.h"
        let text = try String(contentsOfFile: header, encoding: .utf8)
        try text.replacingOccurrences(of: "\tZONE_MOVABLE,\n", with: "\tZONE_MOVABLE,\n\tZONE_EXTRA,\n")
            .write(toFile: header, atomically: false, encoding: .utf8)
        let after = try prepare(tree, cache: cache)
        XCTAssertEqual(after.journal.first, "reused Kconfig symbols")
        XCTAssertTrue(after.journal.contains("computed kernel/bounds.c"), "\(after.journal)")
        XCTAssertTrue(after.bounds.contains("#define MAX_NR_ZONES 5 "), after.bounds)
        assertSame(after, try prepare(tree, cache: nil))
        XCTAssertEqual(try prepare(tree, cache: cache).journal, everything.map { "reused " + $0 })
    }

    func testAHeaderAppearingEarlierInTheIncludePathRecomputes() throws {
        let tree = try copyFixture("era-3.x", self)
        let cache = try makeTemporaryDirectory(self) + "/cache"
        _ = try prepare(tree, cache: cache)
        // <linux/mmzone.h> now found in arch/x86/include first.
        let text = try String(contentsOfFile: tree + "/include/linux/mmzone.h", encoding: .utf8)
        try FileManager.default.createDirectory(atPath: tree + "/arch/x86/include/linux",
                                                withIntermediateDirectories: true)
        try text.replacingOccurrences(of: "\tZONE_MOVABLE,\n", with: "\tZONE_MOVABLE,\n\tZONE_EXTRA,\n")
            .write(toFile: tree + "/arch/x86/include/linux/mmzone.h", atomically: false, encoding: .utf8)
        let after = try prepare(tree, cache: cache)
        XCTAssertTrue(after.journal.contains("computed kernel/bounds.c"), "\(after.journal)")
        XCTAssertTrue(after.bounds.contains("#define MAX_NR_ZONES 5 "), after.bounds)
        assertSame(after, try prepare(tree, cache: nil))
    }

    func testChangingAKconfigFileRecomputesTheSymbolsAndWhatReadsThem() throws {
        let tree = try copyFixture("era-3.x", self)
        let cache = try makeTemporaryDirectory(self) + "/cache"
        _ = try prepare(tree, cache: cache)
        let kconfig = tree + "/mm/Kconfig"
        let text = try String(contentsOfFile: kconfig, encoding: .utf8)
        try (text + "\nconfig NOTIFYSPLIT_CACHE_TEST\n\tdef_bool y\n")
            .write(toFile: kconfig, atomically: false, encoding: .utf8)
        let after = try prepare(tree, cache: cache)
        XCTAssertEqual(after.journal.first, "computed Kconfig symbols")
        XCTAssertTrue(after.autoconf.contains("#define CONFIG_NOTIFYSPLIT_CACHE_TEST 1"), after.autoconf)
        // autoconf.h changed, and both parses read it.
        XCTAssertTrue(after.journal.contains("computed kernel/bounds.c"), "\(after.journal)")
        XCTAssertTrue(after.journal.contains("computed arch/x86/kernel/asm-offsets.c"), "\(after.journal)")
        assertSame(after, try prepare(tree, cache: nil))
    }

    func testANewKconfigFileRecomputesTheSymbols() throws {
        let tree = try copyFixture("era-3.x", self)
        let cache = try makeTemporaryDirectory(self) + "/cache"
        _ = try prepare(tree, cache: cache)
        try "config NOTIFYSPLIT_CACHE_NEW\n\tdef_bool y\n"
            .write(toFile: tree + "/mm/Kconfig.extra", atomically: false, encoding: .utf8)
        let after = try prepare(tree, cache: cache)
        XCTAssertEqual(after.journal.first, "computed Kconfig symbols")
        XCTAssertTrue(after.autoconf.contains("#define CONFIG_NOTIFYSPLIT_CACHE_NEW 1"), after.autoconf)
    }

    func testADamagedEntryIsRecomputedAndReplaced() throws {
        let tree = try copyFixture("era-3.x", self)
        let cache = try makeTemporaryDirectory(self) + "/cache"
        let first = try prepare(tree, cache: cache)
        for name in try FileManager.default.contentsOfDirectory(atPath: cache) {
            try "{\"identity\": tru".write(toFile: cache + "/" + name, atomically: false, encoding: .utf8)
        }
        let damaged = try prepare(tree, cache: cache)
        XCTAssertEqual(damaged.journal, everything.map { "computed " + $0 })
        assertSame(damaged, first)
        XCTAssertEqual(try prepare(tree, cache: cache).journal, everything.map { "reused " + $0 })
        // No temporary file is left beside the entries.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasPrefix(".") }, [])
    }

    func testAnUnwritableCacheIsSkipped() throws {
        let tree = try copyFixture("era-3.x", self)
        let blocker = try makeTemporaryDirectory(self) + "/file"
        try "not a folder".write(toFile: blocker, atomically: false, encoding: .utf8)
        let result = try prepare(tree, cache: blocker + "/cache")
        assertSame(result, try prepare(tree, cache: nil))
    }

    func testTheUserCacheFollowsXDGAndCanBeTurnedOff() {
        XCTAssertEqual(ConfigurationCache.user(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"])?.directory,
                       "/x/notifysplit/configuration")
        XCTAssertEqual(ConfigurationCache.user(environment: ["HOME": "/h"])?.directory,
                       "/h/.cache/notifysplit/configuration")
        XCTAssertEqual(ConfigurationCache.user(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"])?.directory,
                       "/h/.cache/notifysplit/configuration", "a relative XDG_CACHE_HOME is ignored, as the spec says")
        XCTAssertNil(ConfigurationCache.user(environment: ["HOME": "/h", "NOTIFYSPLIT_NO_CACHE": "1"]))
        XCTAssertNotNil(ConfigurationCache.user(environment: ["HOME": "/h", "NOTIFYSPLIT_NO_CACHE": "0"]))
        XCTAssertNil(ConfigurationCache.user(environment: [:]))
    }

    func testTheCommandLineWritesTheCacheUnlessTold() throws {
        let tree = try copyFixture("era-3.x", self)
        let home = try makeTemporaryDirectory(self)
        let off = try runTool(["check", tree, "--no-cache"],
                              environment: ["XDG_CACHE_HOME": home, "NOTIFYSPLIT_NO_CACHE": ""])
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/notifysplit"), off.stderr)
        let on = try runTool(["scan", tree], environment: ["XDG_CACHE_HOME": home, "NOTIFYSPLIT_NO_CACHE": ""])
        XCTAssertEqual(on.status, 0, on.stderr)
        let entries = try FileManager.default.contentsOfDirectory(atPath: home + "/notifysplit/configuration")
        XCTAssertEqual(entries.filter { $0.hasPrefix("kconfig-") }.count, 1, "\(entries)")
        XCTAssertEqual(entries.filter { $0.hasPrefix("constants-") }.count, 2, "\(entries)")
        let again = try runTool(["scan", tree], environment: ["XDG_CACHE_HOME": home, "NOTIFYSPLIT_NO_CACHE": ""])
        XCTAssertEqual(again.stdout, on.stdout)
    }

    func testTheContentHashIsMurmur3() {
        func hash(_ text: String) -> String {
            ConfigurationCache.digest(text)
        }
        // MurmurHash3_x64_128, seed 0, the reference implementation's output.
        XCTAssertEqual(hash(""), "00000000000000000000000000000000")
        XCTAssertEqual(hash("The quick brown fox jumps over the lazy dog"), "e34bbc7bbc071b6c7a433ca9c49a9347")
        XCTAssertEqual(hash("hello world 123456789abcdef"), "1d647dcf2a15e204ba48b1c2db434d2b")
        XCTAssertNotEqual(hash("a"), hash("b"))
    }
}
