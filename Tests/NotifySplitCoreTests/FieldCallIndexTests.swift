import Foundation
@testable import NotifySplitCore
import XCTest

/// The identifier index's field-call fingerprints: which files may call
/// through a field of a name, never leaving out one the whole-tree field
/// lookup names.
final class FieldCallIndexTests: XCTestCase {
    /// A file bigger than the index's 1 MiB read piece, with one call cut
    /// at the first piece's end between `->` and the name, one at the
    /// second's between the name and its `(`.
    static let big: String = {
        let piece = 1 << 20
        var text = String(repeating: " ", count: piece - 2) + "->show(1);"
        text += String(repeating: " ", count: 2 * piece - text.utf8.count - 8) + "x->fault" + "\n\t(y);\n"
        return text
    }()

    static let files = [
        "include/linux/mmu_notifier.h": "",
        "Makefile": "VERSION = 6\nPATCHLEVEL = 1\n",
        "mm/arrow.c": "void f(struct ops *ops) { ops->write(1); }\n",
        "mm/paren.c": "void f(struct ops *ops) { (*ops->read)(1); ops . open \n ( 2 ); }\n",
        "mm/fill.c": "struct ops o = { .release = my_release, .mmap = m };\nvoid g(void) { o.mmap /* c */ (1); }\n",
        "mm/lines.c": "void f(struct ops *ops) { ops->\n\tfault\r\n(1); }\n",
        "mm/chain.c": "void f(struct s *x) { x->y.load_binary(x); x->no_call; x->- z(1); }\n",
        "mm/macro.c": "#define CALL(o, f) (o)->f(o)\nvoid f(struct s *x) { CALL(x, lookup); x->ops->get(); }\n",
        "mm/comment.c": "/* then ops->flush(page) is called */ int n = 0x1f (2);\n",
        "mm/big.c": big,
        "mm/header.h": "static inline void h(struct ops *o) { o->open(0); }\n",
    ]

    func makeTree() throws -> KernelTree {
        let directory = try makeTemporaryDirectory(self)
        for (path, text) in Self.files {
            let absolute = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (absolute as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: absolute, contents: Data(text.utf8)))
        }
        return try KernelTree(path: directory)
    }

    /// Input: the tree above. Command:
    /// `IdentifierIndex.files(mayCallThroughAnyOf:)`. Expected, side by
    /// side: each field and the files that may call through it — after
    /// `.` or `->` and white space, before `(` or `)(` and white space,
    /// across read pieces; not a field only filled in (`.release =`), not
    /// with a comment between (the lookup's own test rejects it too), not
    /// a name only passed to a macro.
    func testNamesTheFilesThatMayCallThroughAField() throws {
        let tree = try makeTree()
        let index = IdentifierIndex(tree: tree, overlay: TreeOverlay(), workers: 2)
        func ask(_ names: [String]) -> [String] { index.files(mayCallThroughAnyOf: names).sorted() }
        XCTAssertEqual(ask(["write"]), ["mm/arrow.c"])
        XCTAssertEqual(ask(["read"]), ["mm/paren.c"])
        XCTAssertEqual(ask(["open"]), ["mm/header.h", "mm/paren.c"])
        XCTAssertEqual(ask(["release"]), [])
        XCTAssertEqual(ask(["mmap"]), [])
        XCTAssertEqual(ask(["fault"]), ["mm/big.c", "mm/lines.c"])
        XCTAssertEqual(ask(["show"]), ["mm/big.c"])
        XCTAssertEqual(ask(["load_binary", "get"]), ["mm/chain.c", "mm/macro.c"])
        XCTAssertEqual(ask(["no_call", "z", "y", "ops"]), [])
        XCTAssertEqual(ask(["f"]), ["mm/macro.c"])          // the macro's own `->f(`
        XCTAssertEqual(ask(["lookup"]), [])
        XCTAssertEqual(ask(["flush"]), ["mm/comment.c"])    // a comment costs a read
        XCTAssertEqual(ask(["x1f"]), [])                    // a digit run's tail: after `0`, not `.`
        // Every file the identifier index names for a field is among them.
        for name in ["write", "read", "open", "fault", "get", "flush"] {
            XCTAssertTrue(Set(ask([name])).isSubset(of: index.files(mayHoldAnyOf: [name])), name)
        }

        // As a series leaves the tree.
        var overlay = TreeOverlay()
        overlay.files["mm/arrow.c"] = Array("void f(struct ops *ops) { ops->new_field(1); }\n".utf8)
        let changed = IdentifierIndex(tree: tree, overlay: overlay, workers: 2)
        XCTAssertEqual(changed.files(mayCallThroughAnyOf: ["new_field"]).sorted(), ["mm/arrow.c"])
        XCTAssertEqual(changed.files(mayCallThroughAnyOf: ["write"]).sorted(), [])
    }

    /// Input: the tree above and Fixtures/audit. Command:
    /// `NameLookup.files(callingFields:)` for each identifier of the tree
    /// alone, through the index and over the whole tree. Expected: the same
    /// files for every one.
    func testFieldLookupsThroughTheIndexAnswerAsTheWholeTreeScan() throws {
        for tree in [try makeTree(), try KernelTree(path: fixture("audit"))] {
            var names = Set<String>()
            let regex = try NSRegularExpression(pattern: "[A-Za-z_][A-Za-z0-9_]*")
            for path in tree.listing.files {
                let text = try String(contentsOfFile: tree.absolute(path), encoding: .utf8)
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    names.insert(String(text[Range(match.range, in: text)!]))
                }
            }
            let whole = NameLookup(tree: tree, overlay: TreeOverlay(), workers: 2)
            let indexed = NameLookup(tree: tree, overlay: TreeOverlay(), workers: 2,
                                     index: IdentifierIndex(tree: tree, overlay: TreeOverlay(), workers: 2))
            var called = 0
            for name in names.sorted() {
                let expected = whole.files(callingFields: [name])
                called += expected.isEmpty ? 0 : 1
                XCTAssertEqual(indexed.files(callingFields: [name]), expected, "\(tree.root): \(name)")
            }
            XCTAssertGreaterThan(called, 0, tree.root)   // Fixtures/audit: rmap_one only
        }
    }
}
