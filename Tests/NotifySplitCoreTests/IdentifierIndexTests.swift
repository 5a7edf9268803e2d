import Foundation
@testable import NotifySplitCore
import XCTest

/// The audit's identifier index: which files may hold a name, and lookups
/// through it answering exactly as the whole-tree scans do.
final class IdentifierIndexTests: XCTestCase {
    /// Input: a small tree (below). Command: `IdentifierIndex.files(mayHoldAnyOf:)`.
    /// Expected, side by side: each query and the files it names. A name
    /// counts wherever it stands as a whole identifier — comments and
    /// strings too — and the tail of a digit run (`0x1f` holds `x1f`, as the
    /// token scan lexes it); never inside a longer identifier.
    func testNamesTheFilesHoldingAName() throws {
        let directory = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: directory + "/mm", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/include/linux", withIntermediateDirectories: true)
        let files = [
            "include/linux/mmu_notifier.h": "",
            "Makefile": "VERSION = 6\nPATCHLEVEL = 1\n",
            "mm/a.c": "int x = 0x1f; /* walk_one() in a comment */\nstatic void f(void) { g(); }\n",
            "mm/b.c": "const char *s = \"string_name\";\n#define WRAP(x) inner(x)\n",
            "mm/c.h": "struct s { int (*rmap_one)(void); };\n",
        ]
        for (path, text) in files {
            FileManager.default.createFile(atPath: directory + "/" + path, contents: Data(text.utf8))
        }
        let tree = try KernelTree(path: directory)
        let index = IdentifierIndex(tree: tree, overlay: TreeOverlay(), workers: 2)
        func ask(_ names: [String]) -> [String] { index.files(mayHoldAnyOf: names).sorted() }
        XCTAssertEqual(ask(["x1f"]), ["mm/a.c"])
        XCTAssertEqual(ask(["walk_one"]), ["mm/a.c"])
        XCTAssertEqual(ask(["string_name"]), ["mm/b.c"])
        XCTAssertEqual(ask(["g"]), ["mm/a.c"])             // not string_name's g
        XCTAssertEqual(ask(["inner", "rmap_one"]), ["mm/b.c", "mm/c.h"])
        XCTAssertEqual(ask(["rmap"]), [])                  // only inside rmap_one
        XCTAssertEqual(ask(["absent"]), [])
        XCTAssertEqual(ask(["VERSION"]), [])               // the Makefile is not listed

        // As a series leaves the tree: changed and created files' new bytes.
        var overlay = TreeOverlay()
        overlay.files["mm/a.c"] = Array("void h(void) { new_name(); }\n".utf8)
        overlay.files["mm/d.c"] = Array("int new_name;\n".utf8)
        overlay.created = ["mm/d.c"]
        overlay.deleted = ["mm/c.h"]
        let changed = IdentifierIndex(tree: tree, overlay: overlay, workers: 2)
        XCTAssertEqual(changed.files(mayHoldAnyOf: ["new_name"]).sorted(), ["mm/a.c", "mm/d.c"])
        XCTAssertEqual(changed.files(mayHoldAnyOf: ["walk_one", "rmap_one"]).sorted(), [])
    }

    /// Input: fingerprints with gaps of 0, 1, 254, 255 and 65000 (one
    /// byte, and the three-byte form). Command: `encode`, then `holdsAny`
    /// for each present and each absent value. Expected: present ones
    /// found, absent ones not.
    func testGapCodedFingerprintsFindExactlyTheirValues() {
        let present: [UInt16] = [0, 1, 255, 510, 65510, 65535]
        let entry = IdentifierIndex.encode(sorted: present)
        XCTAssertEqual(entry.count, 1 + 1 + 1 + 3 + 3 + 1)
        for value in present {
            XCTAssertTrue(IdentifierIndex.holdsAny(entry, [value]), "\(value)")
            XCTAssertTrue(IdentifierIndex.holdsAny(entry, [3, value].sorted()), "\(value) after an absent one")
        }
        for absent: UInt16 in [2, 254, 256, 509, 511, 65509, 65534] {
            XCTAssertFalse(IdentifierIndex.holdsAny(entry, [absent]), "\(absent)")
        }
        XCTAssertFalse(IdentifierIndex.holdsAny(IdentifierIndex.encode(sorted: []), [0]))
    }

    /// Input: Fixtures/audit. Command: every lookup the audit makes
    /// (uses with wrappers followed, field calls, definitions, files
    /// mentioning a lock's parts), for every identifier of the fixture, with
    /// the index and with a whole-tree scan. Expected: the same answers.
    func testLookupsThroughTheIndexAnswerAsTheWholeTreeScan() throws {
        let tree = try KernelTree(path: fixture("audit"))
        var names = Set<String>()
        for path in tree.listing.files {
            let text = try String(contentsOfFile: tree.absolute(path), encoding: .utf8)
            let regex = try NSRegularExpression(pattern: "[A-Za-z_][A-Za-z0-9_]*")
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert(String(text[Range(match.range, in: text)!]))
            }
        }
        XCTAssertGreaterThan(names.count, 100)
        let whole = NameLookup(tree: tree, overlay: TreeOverlay(), workers: 2)
        let indexed = NameLookup(tree: tree, overlay: TreeOverlay(), workers: 2,
                                 index: IdentifierIndex(tree: tree, overlay: TreeOverlay(), workers: 2))
        let uses = whole.uses(of: names).uses
        XCTAssertTrue(uses["unmap_anon_one"]?.contains { $0.path == "mm/rmap_spin.c" } ?? false)
        XCTAssertEqual(indexed.uses(of: names).uses, uses)
        let fields = whole.files(callingFields: names)
        XCTAssertTrue(fields["rmap_one"]?.isSuperset(of: ["mm/rmap_spin.c", "mm/rmap_mutex.c"]) ?? false)
        XCTAssertFalse(fields.isEmpty)
        XCTAssertEqual(indexed.files(callingFields: names), fields)
        let definitions = whole.files(defining: names)
        XCTAssertFalse(definitions.isEmpty)
        XCTAssertEqual(indexed.files(defining: names), definitions)
        for groups in [[["spinlock_t"]], [["lock"], ["anon_vma"]], [["i_mmap_lock", "i_mmap_rwsem"], ["address_space"]]] {
            XCTAssertEqual(indexed.files(mentioningAll: groups), whole.files(mentioningAll: groups), "\(groups)")
        }
    }
}
