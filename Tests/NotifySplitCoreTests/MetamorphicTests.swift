import Foundation
import FuzzSupport
@testable import NotifySplitCore
import XCTest

/// The metamorphic oracle (Sources/FuzzSupport, which the fuzzer runs on
/// every input) over every function of Fixtures/tree, Fixtures/source-model
/// and Fixtures/verdict-rules: transformations that keep a function's
/// meaning keep each site's verdict, rules and plan; mutations that change
/// it between the op and the unlock turn a conversion into a refusal or a
/// flag.
final class MetamorphicTests: XCTestCase {
    static let trees = ["tree", "source-model", "verdict-rules"]

    /// A copy of the fixture tree, its conversion, and the oracle over its
    /// `mm/*.c` files.
    func oracle(_ name: String) throws -> (MetamorphicOracle, Conversion) {
        let root = try copyFixture(name, self)
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/mm")
            .filter { $0.hasSuffix(".c") }.sorted().map { "mm/" + $0 }
        let tree = try KernelTree(path: root)
        let configuration = try ConfigurationChoice.decide(tree: tree, arch: nil, config: nil).provider(tree: tree)
        let oracle = MetamorphicOracle(root: root, files: files, context: TransformContext.of(tree: root)) {
            try Conversion.run(tree: tree, arguments: configuration, options: .init(macroNames: MacroModel.defaultNames))
        }
        return (oracle, try oracle.convert())
    }

    /// The transformation keeps every site's outcome, breaks no parse, and
    /// applies to at least one site of the fixtures.
    /// `known`: the sites (tree/SiteKey) where a KnownDeviation is expected;
    /// the test fails when one no longer happens (then remove it from the
    /// list, and from KnownDeviation.all when it is the last).
    func assertKeepsOutcomes(_ transformation: Transformation, known: Set<String> = [],
                             file: StaticString = #filePath, line: UInt = #line) throws {
        var checked = 0
        var deviations = Set<String>()
        for name in Self.trees {
            let (oracle, original) = try oracle(name)
            let result = try oracle.check(transformation, original: original)
            XCTAssertEqual(result.broken, [], "\(name): \(transformation.name) broke the parse", file: file, line: line)
            for violation in result.violations {
                XCTFail("\(name): \(violation)", file: file, line: line)
            }
            deviations.formUnion(result.known.map { "\(name)/\($0.site)" })
            checked += result.checked
        }
        print("metamorphic: \(transformation.name): \(checked) sites kept their outcome"
              + (deviations.isEmpty ? "" : "; known deviations: \(deviations.sorted().joined(separator: ", "))"))
        XCTAssertGreaterThan(checked, 0, "\(transformation.name) applies to no fixture site", file: file, line: line)
        XCTAssertEqual(deviations, known, "the known deviations changed", file: file, line: line)
    }

    func testCommentsAndBlankLines() throws { try assertKeepsOutcomes(.commentsAndBlankLines) }
    func testLineEnds() throws { try assertKeepsOutcomes(.lineEnds) }
    func testRenamedLocals() throws { try assertKeepsOutcomes(.renamedLocals) }
    func testExpandedIteratorMacros() throws { try assertKeepsOutcomes(.expandedIteratorMacros) }
    /// Known: a pte loop written with a same-file iterator macro loses its
    /// range conversion (refused, range-not-possible; see KnownDeviation).
    func testIteratorMacrosReintroduced() throws {
        try assertKeepsOutcomes(.iteratorMacrosReintroduced,
                                known: ["tree/mm/pte_loop.c:age_pte_range#0", "verdict-rules/mm/locks.c:clear_range#0",
                                        "verdict-rules/mm/locks.c:unmap_cluster#0"])
    }
    func testLikelyYoungCondition() throws { try assertKeepsOutcomes(.likelyYoungCondition) }
    func testUnrelatedIfdefAtTop() throws { try assertKeepsOutcomes(.unrelatedIfdefAtTop) }
    func testUnrelatedIfdefAtEnd() throws { try assertKeepsOutcomes(.unrelatedIfdefAtEnd) }
    func testUnrelatedIfdefInFunctions() throws { try assertKeepsOutcomes(.unrelatedIfdefInFunctions) }
    func testReorderedDeclarations() throws { try assertKeepsOutcomes(.reorderedDeclarations) }

    func testEveryTransformationIsTested() {
        XCTAssertEqual(Transformation.all.count, 10, "add a test above for the new transformation")
    }

    /// Every convertible site the mutation applies to, mutated, is refused
    /// (or flagged, for the goto); no mutation breaks the parse.
    func assertTurnsConversionsAway(_ mutation: ConverseMutation, file: StaticString = #filePath,
                                    line: UInt = #line) throws {
        var checked = 0
        for name in Self.trees {
            let (oracle, original) = try oracle(name)
            let result = try oracle.check(mutation, original: original)
            XCTAssertEqual(result.broken, [], "\(name): \(mutation.name) broke the parse", file: file, line: line)
            for violation in result.violations {
                XCTFail("\(name): \(violation)", file: file, line: line)
            }
            XCTAssertEqual(result.skipped, 0, "\(name): \(mutation.name) found no place in some site's function",
                           file: file, line: line)
            checked += result.checked
            for (key, outcome) in result.outcomes.sorted(by: { $0.key < $1.key }) {
                print("metamorphic: \(mutation.name): \(name)/\(key): \(outcome)")
            }
        }
        XCTAssertGreaterThan(checked, 10, "\(mutation.name) mutated too few sites", file: file, line: line)
    }

    func testPutPageBetweenOpAndUnlock() throws { try assertTurnsConversionsAway(.putPage) }
    func testNewPageSetPteAtBetweenOpAndUnlock() throws { try assertTurnsConversionsAway(.repointedPte) }
    func testGotoBypassingTheOp() throws { try assertTurnsConversionsAway(.bypassingGoto) }

    // MARK: Known deviations, pinned (see KnownDeviation.all), and fixed ones

    /// The verdicts of `functions` (name → text after the includes) in a
    /// copy of Fixtures/tree, by function name.
    func verdicts(of functions: String) throws -> [String: String] {
        let tree = try copyFixture("tree", self)
        try ("#include <linux/mm.h>\n#include <linux/mmu_notifier.h>\n\n" + functions)
            .write(toFile: tree + "/mm/probe.c", atomically: true, encoding: .utf8)
        let (conversion, _) = try convertTree(tree)
        return Dictionary(conversion.decisions.filter { $0.site.path == "mm/probe.c" }
            .map { ($0.site.function ?? "-", "\($0.verdict.rawValue) \($0.rules.map(\.rawValue))") }) { a, _ in a }
    }

    static let branchBody = """
        \tspinlock_t *ptl;
        \tpte_t *pte;

        \tpte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
        \tif (pte_present(*pte)) {
        \t\tptep_clear_flush_notify(vma, addr, pte);
        \t\tvma->vm_mm->total_vm--;
        \t} else {
        \t\tvma->vm_flags |= VM_LOCKED;
        \t}
        \tpte_unmap_unlock(pte, ptl);
        }

        """

    /// A flag conversion is the same whether or not an #ifdef block opens
    /// the body before the declarations (found by the fuzz smoke: it was
    /// refused, configurations-differ; fixed on main by 294f9e0).
    func testFlagConversionAfterALeadingIfdefBlock() throws {
        let block = "#ifdef CONFIG_NOTIFYSPLIT_UNRELATED\n\t(void)0;\n#endif\n"
        let header = "(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)\n{\n"
        let verdicts = try verdicts(of: "void plain" + header + Self.branchBody
                                    + "void block_first" + header + block + Self.branchBody)
        XCTAssertEqual(verdicts["plain"], "convert-with-flag []")
        XCTAssertEqual(verdicts["block_first"], "convert-with-flag []")
    }

    /// A young call after a page_vma_mapped_walk() loop converts with the
    /// loop written out and is refused with the loop from a same-file
    /// macro. When this test fails because both agree, remove the
    /// KnownDeviation.
    func testKnownDeviationWalkerLoopFromAMacro() throws {
        func walk(_ name: String, _ loop: String) -> String {
            "bool \(name)(struct page *page, struct vm_area_struct *vma, unsigned long address, int *referenced)\n{\n"
                + "\tstruct page_vma_mapped_walk pvmw = { .page = page, .vma = vma, .address = address, };\n\n"
                + "\t\(loop) {\n\t\taddress = pvmw.address;\n\t\treturn false;\n\t}\n"
                + "\tif (ptep_clear_flush_young_notify(vma, address, pvmw.pte))\n\t\t(*referenced)++;\n"
                + "\tpage_vma_mapped_walk_done(&pvmw);\n\treturn true;\n}\n\n"
        }
        let verdicts = try verdicts(of: walk("plain", "while (page_vma_mapped_walk(&pvmw))")
                                    + "#define each_mapping() while (page_vma_mapped_walk(&pvmw))\n\n"
                                    + walk("from_macro", "each_mapping()"))
        XCTAssertEqual(verdicts["plain"], "convert []")
        XCTAssertEqual(verdicts["from_macro"], "refused [\"returns-locked\"]")
    }

    // MARK: The transformations themselves

    func testLoopMacrosExpandLikeThePreprocessor() {
        let text = "#define each(i, n) for (i = 0; i < (n); i++)\nvoid f(int k, int m)\n{\n\teach(k, m + 1) {\n\t}\n}\n"
        XCTAssertEqual(Transformation.expandedIteratorMacros.apply(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       "#define each(i, n) for (i = 0; i < (n); i++)\nvoid f(int k, int m)\n{\n\tfor ( k = 0 ; k < ( m + 1 ) ; k ++ ) {\n\t}\n}\n")
    }

    func testLoopHeadersBecomeSameFileMacros() {
        let text = "void f(int n)\n{\n\tint i;\n\n\tfor (i = 0; i < n;\n\t     i++)\n\t\tg(i);\n}\n"
        XCTAssertEqual(Transformation.iteratorMacrosReintroduced.apply(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       "#define notifysplit_loop_1() for (i = 0; i < n; \t     i++)\n\nvoid f(int n)\n{\n\tint i;\n\n\tnotifysplit_loop_1()\n\t\tg(i);\n}\n")
    }

    func testLikelyWrapsOnlyAWholeYoungCondition() {
        let text = "#include <linux/mm.h>\nint f(void)\n{\n\tif (ptep_clear_flush_young_notify(v, a, p))\n\t\tr++;\n"
            + "\tif (ptep_clear_flush_young_notify(v, a, p) && x)\n\t\tr++;\n}\n"
        XCTAssertEqual(Transformation.likelyYoungCondition.apply(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       "#include <linux/mm.h>\n#ifndef likely\n#define likely(x)\t__builtin_expect(!!(x), 1)\n#endif\n"
                       + "int f(void)\n{\n\tif (likely(ptep_clear_flush_young_notify(v, a, p)))\n\t\tr++;\n"
                       + "\tif (ptep_clear_flush_young_notify(v, a, p) && x)\n\t\tr++;\n}\n")
    }

    func testDeclarationsReorderOnlyWhenIndependent() {
        let text = "void f(struct vm_area_struct *vma)\n{\n\tstruct mm_struct *mm = vma->vm_mm;\n\tspinlock_t *ptl;\n"
            + "\tpte_t *pte = first(mm);\n\tint n = 0;\n\n\tg();\n}\n"
        XCTAssertEqual(Transformation.reorderedDeclarations.apply(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       "void f(struct vm_area_struct *vma)\n{\n\tspinlock_t *ptl;\n\tstruct mm_struct *mm = vma->vm_mm;\n"
                       + "\tpte_t *pte = first(mm);\n\tint n = 0;\n\n\tg();\n}\n")
    }

    func testRenamesNeitherMembersNorTagsNorIncludes() {
        let text = "#include <linux/page.h>\n#define W(pte) g(pte, addr)\nvoid f(struct page *page, unsigned long addr)\n{\n"
            + "\tpvmw.pte = page->page + addr; /* pte */\n}\n"
        XCTAssertEqual(Transformation.renamedLocals.apply(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       "#include <linux/page.h>\n#define W(pte_mt) g(pte_mt, addr_mt)\nvoid f(struct page *page_mt, unsigned long addr_mt)\n{\n"
                       + "\tpvmw.pte = page_mt->page + addr_mt; /* pte */\n}\n")
    }

    func testCRLFTogglesAndCommentsFollowTheLineEnds() {
        let text = "int f(void)\r\n{\r\n\treturn 0;\r\n}\r\n"
        XCTAssertEqual(Transformation.lineEnds.apply(Array(text.utf8)), Array("int f(void)\n{\n\treturn 0;\n}\n".utf8))
        XCTAssertEqual(Transformation.commentsAndBlankLines.apply(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       "int f(void)\r\n{\r\n\treturn 0;\r\n\r\n\t/* a comment; goto out; */\r\n}\r\n")
    }

    /// Mutations find the statement of the innermost block around the call,
    /// and none in plainly dead code (after a return with no label between).
    func testMutationsFindTheStatementAndSkipDeadCode() {
        let text = "int f(int *p)\n{\n\tlock();\n\tif (p) {\n\t\tcall(p);\n\t\tx();\n\t}\n\treturn 0;\n"
            + "\tcall(p);\nout:\n\tcall(p);\n}\n"
        let source = CSource(Array(text.utf8))
        let calls = text.ranges(of: "call(p)").map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) }
        XCTAssertEqual(calls.count, 3)
        let first = ConverseMutation.enclosing(calls[0], in: source).map { source.text(source.start($0.1)..<source.end($0.1)) }
        XCTAssertEqual(first, "call(p);")
        XCTAssertNil(ConverseMutation.enclosing(calls[1], in: source), "after the return: dead")
        let third = ConverseMutation.enclosing(calls[2], in: source).map { source.text(source.start($0.1)..<source.end($0.1)) }
        XCTAssertEqual(third, "out:\n\tcall(p);", "a label makes it reachable again")
    }

    func testGotoGoesBeforeTheOpStatementAndTheLabelOnTheUnlock() throws {
        let (oracle, original) = try oracle("tree")
        let decision = try XCTUnwrap(original.decisions.first { $0.site.path == "mm/straight.c" })
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: oracle.root + "/mm/straight.c"))
        let source = CSource(Array(bytes))
        let edits = try XCTUnwrap(ConverseMutation.bypassingGoto.editsForTesting(source, decision))
        let text = String(decoding: try XCTUnwrap(TextEdit.apply(edits, to: Array(bytes))), as: UTF8.self)
        XCTAssertTrue(text.contains("\tpte = pte_offset_map_lock(mm, pmd, addr, &ptl);\n\tif (notifysplit_oracle_bypass)\n"
                                    + "\t\tgoto notifysplit_oracle_out;\n\tentry = ptep_clear_flush_notify(vma, addr, pte);\n"
                                    + "\tmm->total_vm--;\nnotifysplit_oracle_out:\n\tpte_unmap_unlock(pte, ptl);\n"), text)
    }
}
