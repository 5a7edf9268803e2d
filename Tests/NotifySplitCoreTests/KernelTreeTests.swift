@testable import NotifySplitCore
import Foundation
import XCTest

/// Recognising a tree, its architecture, and the compile arguments for an
/// unconfigured one.
final class KernelTreeTests: XCTestCase {
    func testRecognisesBothFixtureEras() throws {
        XCTAssertEqual(try KernelTree(path: fixture("tree")).version, KernelVersion(6, 1, 0))
        XCTAssertEqual(try KernelTree(path: fixture("tree-2.6")).version, KernelVersion(2, 6, 27))
    }

    func testRejectsWhatIsNotATreeInOneSentence() throws {
        let directory = try makeTemporaryDirectory(self)
        func message(_ path: String) -> String? {
            do { _ = try KernelTree(path: path); return nil } catch { return error.description }
        }
        XCTAssertEqual(message(directory + "/missing"), "\(directory)/missing: no such file or directory")
        FileManager.default.createFile(atPath: directory + "/file", contents: Data())
        XCTAssertEqual(message(directory + "/file"),
                       "\(directory)/file: not a directory; give the top directory of a kernel tree")
        try FileManager.default.createDirectory(atPath: directory + "/empty", withIntermediateDirectories: false)
        XCTAssertEqual(message(directory + "/empty"),
                       "\(directory)/empty: not a kernel tree (no readable top-level Makefile)")
        try FileManager.default.createDirectory(atPath: directory + "/old", withIntermediateDirectories: false)
        try "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 3\n".write(toFile: directory + "/old/Makefile",
                                                                atomically: true, encoding: .utf8)
        XCTAssertEqual(message(directory + "/old"),
                       "\(directory)/old: kernel 6.12.3 has no include/linux/mmu_notifier.h; nothing to convert")
        try FileManager.default.createSymbolicLink(atPath: directory + "/loop", withDestinationPath: "loop")
        XCTAssertEqual(message(directory + "/loop"),
                       "\(directory)/loop: a symbolic link that does not resolve (dangling or a loop)")
    }

    func testArchitectureComesFromArchThenConfigNeverTheHost() throws {
        let tree = try KernelTree(path: fixture("tree"))
        XCTAssertEqual(Architecture.choose(explicit: "arm64", tree: tree).name, "arm64")
        XCTAssertEqual(Architecture.choose(explicit: "x86_64", tree: tree).name, "x86")
        XCTAssertEqual(Architecture.fromConfig("CONFIG_FOO=y\nCONFIG_ARM64=y\n"), "arm64")
        XCTAssertNil(Architecture.fromConfig("# CONFIG_X86 is not set\n"))
        // The fixture has no arch/ directory and no .config: x86 by default.
        XCTAssertEqual(Architecture.choose(explicit: nil, tree: tree).name, "x86")
    }

    func testForcedIncludesAreLearntFromTheMakefiles() {
        let six = "USERINCLUDE := -I$(srctree)/include/uapi \\\n  -include $(srctree)/include/linux/kconfig.h\n"
        XCTAssertEqual(KbuildFlags.forcedIncludePaths(in: six), ["include/linux/kconfig.h"])
        let old = "LINUXINCLUDE := -Iinclude -include include/linux/autoconf.h\n"
        XCTAssertEqual(KbuildFlags.forcedIncludePaths(in: old), ["include/linux/autoconf.h"])
    }

    func testKconfigEntriesSelectsDefaultsAndBlocks() {
        let kconfig = """
            config X86_64
            \tdef_bool y
            \tdepends on 64BIT
            \tselect HAVE_ONE
            \tselect HAVE_TWO if X86_64
            \tselect HAVE_THREE if SOMETHING_ELSE && !X86_32
            \thelp
            \t  select NOT_A_SELECT
            \t  depends on nothing

            if NUMA
            config USE_PERCPU_NUMA_NODE_ID
            \tbool
            \tdefault y if X86_64
            endif

            config CLANG_VERSION
            \tint
            \tdefault $(cc-version) if CC_IS_CLANG
            \tdefault 0

            """
        let entries = KconfigEntry.parse(kconfig)
        XCTAssertEqual(entries.map(\.name), ["X86_64", "USE_PERCPU_NUMA_NODE_ID", "CLANG_VERSION"])
        XCTAssertEqual(entries[0].selects.map(\.target), ["HAVE_ONE", "HAVE_TWO", "HAVE_THREE"])
        XCTAssertEqual(entries[0].selects[2].condition, "SOMETHING_ELSE && !X86_32")
        XCTAssertEqual(entries[0].dependencies, ["64BIT"], "help text is not read as attributes")
        XCTAssertEqual(entries[1].dependencies, ["NUMA"], "an if block's condition applies")
        XCTAssertEqual(entries[1].defaults, [KconfigEntry.Default(value: "y", condition: "X86_64")])
        XCTAssertFalse(entries[1].hasPrompt)
        XCTAssertEqual(entries[2].type, "int")
        XCTAssertEqual(entries[2].defaults.last, KconfigEntry.Default(value: "0", condition: nil))
        let values = SyntheticKconfig.defconfigValues("CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=m\nCONFIG_N=64\n")
        XCTAssertEqual(values.map(\.0), ["A", "N"])
        XCTAssertEqual(values.map(\.1), ["1", "64"])
        XCTAssertEqual(SyntheticKconfig.disabledOptions("# CONFIG_B is not set\nCONFIG_A=y\n"), ["B"])
    }

    func testKconfigExpressions() {
        let symbols = ["A": "1", "N": "64", "S": "\"x86\""]
        XCTAssertEqual(KconfigExpression.evaluate("A && !B", symbols: symbols), true)
        XCTAssertEqual(KconfigExpression.evaluate("(B || A) && N = 64", symbols: symbols), true)
        XCTAssertEqual(KconfigExpression.evaluate("S != \"x86\"", symbols: symbols), false)
        XCTAssertEqual(KconfigExpression.evaluate("B", symbols: symbols), false)
        XCTAssertNil(KconfigExpression.evaluate("$(cc-option,-mfoo)", symbols: symbols), "unknown, never true")
        XCTAssertNil(KconfigExpression.evaluate("A &&", symbols: symbols))
    }

    /// The stubs live in a private temporary directory, never in the tree,
    /// and disappear with the configuration.
    func testSyntheticConfigurationWritesStubsOutsideTheTree() throws {
        let tree = try KernelTree(path: fixture("tree-2.6"))
        var stubDirectory = ""
        do {
            let configuration = try SyntheticConfiguration(
                tree: tree, architecture: Architecture(name: "x86", source: "test"))
            stubDirectory = configuration.stubDirectory
            XCTAssertFalse(stubDirectory.hasPrefix(tree.root))
            let arguments = try XCTUnwrap(configuration.arguments(forFile: "mm/rmap.c"))
            XCTAssertTrue(arguments.contains("-nostdinc"))
            XCTAssertTrue(arguments.contains("-D__KERNEL__"))
            XCTAssertTrue(arguments.contains(stubDirectory + "/include/linux/autoconf.h"),
                          "2.6 trees force include/linux/autoconf.h from the objtree")
            let autoconf = try String(contentsOfFile: stubDirectory + "/include/linux/autoconf.h", encoding: .utf8)
            XCTAssertTrue(autoconf.contains("#define CONFIG_MMU_NOTIFIER 1"))
            XCTAssertTrue(autoconf.contains("#define CONFIG_MMU 1"))
            // include/asm holds a link to each entry of include/asm-x86, as
            // make's include/asm link would reach them.
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(
                atPath: stubDirectory + "/include/asm/pgtable.h"), tree.absolute("include/asm-x86/pgtable.h"))
            let isystem = try XCTUnwrap(arguments.firstIndex(of: "-isystem"))
            XCTAssertTrue(FileManager.default.fileExists(atPath: arguments[isystem + 1] + "/stdarg.h"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: stubDirectory))
        XCTAssertFalse(FileManager.default.fileExists(atPath: tree.absolute("include/generated")))
    }

    func testTreeWalkerDoesNotFollowSymlinks() throws {
        let directory = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory + "/mm", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/mm/a.c", contents: Data())
        FileManager.default.createFile(atPath: directory + "/mm/notes.txt", contents: Data())
        try FileManager.default.createSymbolicLink(atPath: directory + "/mm/loop", withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: directory + "/out", withDestinationPath: "/usr/include")
        let listing = TreeWalker(root: directory).list()
        XCTAssertEqual(listing.files, ["mm/a.c"])
    }

    /// The walk sorts each directory's entries, a directory's name with a
    /// slash after it; the listing must still be in String's order of the
    /// whole paths, where names that sort around "/" (".", "-", "0", "_")
    /// and prefixes of each other meet.
    func testTreeWalkerListsInStringOrder() throws {
        for names in [["a.c", "a-b.c", "a0.c", "A.c", "a_b.c", "ab.c", "Z.h", "a.h", "a.S"],
                      ["a.c", "ab.c", "é.c", "e\u{301}.c", "z.c"]] {
            let directory = try makeTemporaryDirectory(self)
            var expected: [String] = []
            for folder in ["", "a", "a.b", "a-b", "a0", "a/b", "a/b.c", "ab", "a/a", "b", "_", "B"] {
                let at = folder.isEmpty ? directory : directory + "/" + folder
                try FileManager.default.createDirectory(atPath: at, withIntermediateDirectories: true)
                for name in names {
                    FileManager.default.createFile(atPath: at + "/" + name, contents: Data())
                    expected.append(folder.isEmpty ? name : folder + "/" + name)
                }
            }
            // What the file system calls them (it may not keep a name's form).
            let listing = TreeWalker(root: directory).list(workers: 2)
            XCTAssertEqual(listing.files.count, expected.count)
            XCTAssertEqual(listing.files, listing.files.sorted(), "\(names)")
            XCTAssertEqual(Set(listing.files), Set(expected))
        }
    }
}
