import NotifySplitCore
import XCTest

/// The macro model learnt from a tree's mmu_notifier.h, for both eras.
final class MacroModelTests: XCTestCase {
    func testSixEraHeaderGivesRangeNotifierAndBothDefinitions() throws {
        let model = MacroModel(headerBytes: try fixtureBytes("tree/include/linux/mmu_notifier.h"),
                               names: MacroModel.defaultNames)
        let flush = try XCTUnwrap(model["ptep_clear_flush_notify"])
        XCTAssertEqual(flush.plainOp, "ptep_clear_flush")
        XCTAssertEqual(flush.combine, .discard)
        XCTAssertEqual(flush.notifier?.function, "mmu_notifier_invalidate_range")
        XCTAssertEqual(flush.notifier?.arguments,
                       ["__vma->vm_mm", "__address & PAGE_MASK", "(__address & PAGE_MASK) + PAGE_SIZE"])
        XCTAssertEqual(flush.definitions.map(\.form), [.notifier, .stub])
        XCTAssertEqual(flush.definitions.map(\.conditions), [["CONFIG_MMU_NOTIFIER"], ["!CONFIG_MMU_NOTIFIER"]])
        XCTAssertEqual(flush.definitions[0].lines, 43...54)
        XCTAssertEqual(flush.definitions[1].lines, 82...82)

        let young = try XCTUnwrap(model["ptep_clear_flush_young_notify"])
        XCTAssertEqual(young.plainOp, "ptep_clear_flush_young")
        XCTAssertEqual(young.combine, .or)
        XCTAssertEqual(young.notifier?.function, "mmu_notifier_clear_flush_young")
        XCTAssertEqual(young.notifierCall(arguments: ["vma", "vmf->address", "pte"]),
                       "mmu_notifier_clear_flush_young(vma->vm_mm, vmf->address, vmf->address + PAGE_SIZE)")
        XCTAssertEqual(flush.notifierCall(arguments: ["vma", "addr + off", "pte"]),
                       "mmu_notifier_invalidate_range(vma->vm_mm, (addr + off) & PAGE_MASK, "
                       + "((addr + off) & PAGE_MASK) + PAGE_SIZE)")
    }

    func testTwoSixEraHeaderGivesPageNotifier() throws {
        let model = MacroModel(headerBytes: try fixtureBytes("tree-2.6/include/linux/mmu_notifier.h"),
                               names: MacroModel.defaultNames)
        let flush = try XCTUnwrap(model["ptep_clear_flush_notify"])
        XCTAssertEqual(flush.notifierCall(arguments: ["vma", "address", "pte"]),
                       "mmu_notifier_invalidate_page(vma->vm_mm, address)")
        XCTAssertEqual(flush.combine, .discard)
        let young = try XCTUnwrap(model["ptep_clear_flush_young_notify"])
        XCTAssertEqual(young.notifierCall(arguments: ["v", "a", "p"]), "mmu_notifier_clear_flush_young(v->vm_mm, a)")
        XCTAssertEqual(young.combine, .or)
    }

    /// 6.12 left only the `#else` stub of ptep_clear_flush_notify.
    func testStubOnlyHeaderIsReportedNotAnError() throws {
        let header = """
            #ifdef CONFIG_MMU_NOTIFIER
            #define other_notify(a) ({ 0; })
            #else
            #define ptep_clear_flush_notify ptep_clear_flush
            #endif

            """
        let model = MacroModel(headerBytes: Array(header.utf8), names: ["ptep_clear_flush_notify", "absent_notify"])
        let flush = try XCTUnwrap(model["ptep_clear_flush_notify"])
        XCTAssertFalse(flush.hasNotifierDefinition)
        XCTAssertEqual(flush.definitions.map(\.form), [.stub])
        XCTAssertEqual(flush.definitions[0].conditions, ["!CONFIG_MMU_NOTIFIER"])
        XCTAssertEqual(flush.plainOp, "ptep_clear_flush")
        XCTAssertEqual(model["absent_notify"]?.definitions, [])
    }

    /// A body the model does not understand is kept as `other`, never guessed.
    func testUnrecognisedBodyIsOther() {
        let header = "#define ptep_clear_flush_notify(v, a, p) do_something_else(v, a, p); extra()\n"
        let model = MacroModel(headerBytes: Array(header.utf8), names: ["ptep_clear_flush_notify"])
        XCTAssertEqual(model["ptep_clear_flush_notify"]?.definitions.map(\.form), [.other])
        XCTAssertNil(model["ptep_clear_flush_notify"]?.notifier)
    }
}
