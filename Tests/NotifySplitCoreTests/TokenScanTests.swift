import NotifySplitCore
import XCTest

/// The comment- and string-aware token scan.
final class TokenScanTests: XCTestCase {
    func hits(_ text: String, names: [String] = ["ptep_clear_flush_notify"]) -> [TokenHit] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { TokenScan(names: names).hits(in: $0) }
    }

    func testTellsCodeFromCommentsStringsAndDirectives() {
        let found = hits("""
            /* ptep_clear_flush_notify() in a block comment */
            // ptep_clear_flush_notify in a line comment
            const char *s = "ptep_clear_flush_notify";
            char c = 'p';
            #ifdef ptep_clear_flush_notify
            #endif
            void f(void)
            {
            \tptep_clear_flush_notify(vma, addr, pte);
            \tmy_ptep_clear_flush_notify_x(1);
            }

            """)
        XCTAssertEqual(found.map(\.kind), [.comment, .comment, .directive, .use])
        XCTAssertEqual(found.map(\.line), [1, 2, 5, 9])
        XCTAssertEqual(found.last?.column, 2)
        XCTAssertEqual(found.last?.function, "f")
    }

    func testDefinitionsAndWrappers() {
        let found = hits("""
            #define ptep_clear_flush_notify ptep_clear_flush
            #define wrap(v, a, p) \\
            \tptep_clear_flush_notify(v, a, p)

            """)
        XCTAssertEqual(found.map(\.kind), [.definition, .inMacroBody(wrapper: "wrap")])
        XCTAssertEqual(found.map(\.line), [1, 3])
    }

    func testCRLFAndNonUTF8AndNULBytesAreHarmless() {
        var bytes = Array("/* caf".utf8) + [0xE9, 0x00, 0xFF] + Array(" */\r\n".utf8)
        bytes += Array("int g(void)\r\n{\r\n\treturn ptep_clear_flush_notify(a, b, c);\r\n}\r\n".utf8)
        let found = bytes.withUnsafeBytes { TokenScan(names: ["ptep_clear_flush_notify"]).hits(in: $0) }
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found[0].kind, .use)
        XCTAssertEqual(found[0].line, 4)
        XCTAssertEqual(found[0].column, 9)
        XCTAssertEqual(found[0].function, "g")
        XCTAssertEqual(Array(bytes[found[0].start..<found[0].end]), Array("ptep_clear_flush_notify".utf8))
    }

    /// The function a use is placed in is the one whose body holds it:
    /// not `void` of a function-pointer parameter, not an annotation before
    /// or after the parameter list, and found when its own name is one of
    /// the names looked up (a header inline of a name whose callers are
    /// wanted). Expected: g, h, split_pmd, k.
    func testPlacesUsesInTheFunctionWhoseBodyHoldsThem() {
        let found = hits("""
            static inline int g(struct mm *mm, void (*fn)(void *), void *arg)
            {
            \treturn split_pmd(mm);
            }
            __printf(1, 2) void h(const char *f, ...) __releases(lock)
            {
            \tsplit_pmd(NULL);
            }
            static inline void split_pmd(struct mm *mm)
            {
            \tmmu_notifier_release(mm);
            }
            static int (*k(int a))(int)
            {
            \tmmu_notifier_release(NULL);
            }

            """, names: ["split_pmd", "mmu_notifier_release"])
        let uses = found.filter { $0.kind == .use && $0.function != nil }
        XCTAssertEqual(uses.map(\.function), ["g", "h", "split_pmd", "k"])
    }

    func testPrefilter() {
        let scan = TokenScan(names: ["ptep_clear_flush_notify"])
        XCTAssertTrue(Array("xx ptep_clear_flush_notify".utf8).withUnsafeBytes { scan.mayContain($0) })
        XCTAssertFalse(Array("ptep_clear_flush_notif".utf8).withUnsafeBytes { scan.mayContain($0) })
        XCTAssertFalse([UInt8]().withUnsafeBytes { scan.mayContain($0) })
    }

    func testUnterminatedCommentAndStringDoNotCrash() {
        XCTAssertEqual(hits("/* ptep_clear_flush_notify").map(\.kind), [.comment])
        XCTAssertEqual(hits("\"ptep_clear_flush_notify").count, 0)
        XCTAssertEqual(hits("#define").count, 0)
    }
}

/// Files bigger than the read buffer are searched a piece at a time, the
/// pieces overlapping by the longest name less one byte: a name across the
/// boundary of two pieces, or at the very end, is still found, and the
/// hits are those of the whole file.
final class PiecewiseReadTests: XCTestCase {
    func testANameAcrossAPieceBoundaryIsFound() throws {
        let directory = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory + "/mm", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/Makefile",
                                       contents: Data("VERSION = 6\nPATCHLEVEL = 1\n".utf8))
        try FileManager.default.createDirectory(atPath: directory + "/include/linux", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/include/linux/mmu_notifier.h", contents: Data())
        let name = "ptep_clear_flush_young_notify"
        let filler = Array(repeating: UInt8(ascii: "x"), count: 80) + [UInt8(ascii: "\n")]
        func bigFile(nameAt offsets: [Int], size: Int) -> Data {
            var bytes: [UInt8] = []
            while bytes.count < size { bytes += filler }
            bytes = Array(bytes.prefix(size))
            for offset in offsets {
                let use = Array(" \(name)(vma, addr, pte);\n".utf8)
                bytes.replaceSubrange(offset..<(offset + use.count), with: use)
            }
            return Data(bytes)
        }
        let piece = 1 << 20
        // Across the first boundary (the name's middle byte on it), at the end, and nowhere.
        FileManager.default.createFile(atPath: directory + "/mm/across.c",
                                       contents: bigFile(nameAt: [piece - 15], size: 3 * piece + 123))
        let endSize = 2 * piece + 7
        let tail = " \(name)(vma, addr, pte);\n".utf8.count
        FileManager.default.createFile(atPath: directory + "/mm/end.c",
                                       contents: bigFile(nameAt: [endSize - tail], size: endSize))
        FileManager.default.createFile(atPath: directory + "/mm/none.c", contents: bigFile(nameAt: [], size: 2 * piece + 5))
        let tree = try KernelTree(path: directory)
        let scan = TreeTokenScan.run(tree: tree, names: [name], workers: 2)
        XCTAssertEqual(scan.hits.keys.sorted(), ["mm/across.c", "mm/end.c"])
        XCTAssertEqual(scan.hits["mm/across.c"]?.map(\.start), [piece - 15 + 1])
        XCTAssertEqual(scan.hits["mm/end.c"]?.map(\.start), [endSize - tail + 1])
        XCTAssertEqual(scan.unreadable.count, 0)
    }
}
