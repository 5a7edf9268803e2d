import Foundation
@testable import NotifySplitCore
import XCTest

/// The pieces of a series' form, one at a time: dates, mail headers, the
/// subject's area, the unlock named in the message, and the header
/// deletion with its #if skeletons and comments.
final class MessageDateTests: XCTestCase {
    func testEveryAcceptedFormAndItsZone() {
        let cases: [(String, String)] = [
            ("Thu, 1 Jan 2026 10:00:00 +0100", "Thu, 1 Jan 2026 10:00:00 +0100"),     // RFC 2822
            ("1 Jan 2026 10:00:00 +0100", "Thu, 1 Jan 2026 10:00:00 +0100"),          // without weekday
            ("Thu, 01 Jan 2026 10:00 -0530", "Thu, 1 Jan 2026 10:00:00 -0530"),       // no seconds
            ("1 Jan 2026 09:00:00 GMT", "Thu, 1 Jan 2026 09:00:00 +0000"),
            ("2026-01-01T10:00:00+01:00", "Thu, 1 Jan 2026 10:00:00 +0100"),          // ISO 8601
            ("2026-01-01T09:00:00Z", "Thu, 1 Jan 2026 09:00:00 +0000"),
            ("2026-01-01T10:00:00+0100", "Thu, 1 Jan 2026 10:00:00 +0100"),
            ("2026-01-01", "Thu, 1 Jan 2026 00:00:00 +0000"),
            ("2026-01-01 10:00:00 +0100", "Thu, 1 Jan 2026 10:00:00 +0100"),          // git log --date=iso
            ("@1767258000 +0100", "Thu, 1 Jan 2026 10:00:00 +0100"),                  // git's raw form
            ("1767258000 +0100", "Thu, 1 Jan 2026 10:00:00 +0100"),                   // git log --date=raw
            ("2024-02-29 23:59:59 -1200", "Thu, 29 Feb 2024 23:59:59 -1200"),         // leap day, far west
        ]
        for (input, expected) in cases {
            XCTAssertEqual(MessageDate.parse(input)?.rfc2822, expected, input)
        }
        XCTAssertEqual(MessageDate.parse("@1767258000 +0100")?.seconds, 1_767_258_000)
        XCTAssertEqual(MessageDate.parse("2026-01-01T10:00:00+01:00"), MessageDate.parse("1 Jan 2026 10:00:00 +0100"))
    }

    func testWhatIsNotADateIsRefused() {
        for input in ["", "yesterday", "Fri, 1 Jan 2026 00:00:00 +0000" /* a Thursday */, "2026-13-01",
                      "2026-02-30", "2026-01-01T10:00:00" /* no zone */, "2026-01-01 10:00:00", "1 Jan 2026",
                      "1 Jan 2026 25:00:00 +0000", "Thu 1 Jan 2026 00:00:00 +0000", "@12x +0000", "@1767258000",
                      "1 Jan 2026 00:00:00 +2500"] {
            XCTAssertNil(MessageDate.parse(input), input)
        }
    }

    func testSourceDateEpoch() {
        XCTAssertEqual(MessageDate.sourceDateEpoch("0")?.rfc2822, "Thu, 1 Jan 1970 00:00:00 +0000")
        XCTAssertEqual(MessageDate.sourceDateEpoch("1767225600")?.rfc2822, "Thu, 1 Jan 2026 00:00:00 +0000")
        XCTAssertNil(MessageDate.sourceDateEpoch("-1"))
        XCTAssertNil(MessageDate.sourceDateEpoch("1e9"))
    }
}

final class MailHeaderTests: XCTestCase {
    func testFromIsQuotedOrEncodedAsGitDoes() {
        XCTAssertEqual(MailHeaders.from(AuthorIdentity(name: "A U Thor", email: "a@example.org")),
                       "From: A U Thor <a@example.org>")
        XCTAssertEqual(MailHeaders.from(AuthorIdentity(name: "Kirill A. Shutemov", email: "k@example.org")),
                       "From: \"Kirill A. Shutemov\" <k@example.org>")
        XCTAssertEqual(MailHeaders.from(AuthorIdentity(name: "Jérôme Glisse", email: "j@example.org")),
                       "From: =?UTF-8?q?J=C3=A9r=C3=B4me=20Glisse?= <j@example.org>")
    }

    func testLongSubjectsFoldAt78Columns() {
        let folded = MailHeaders.subject("[PATCH 3/3] mm/mmu_notifier: remove ptep_clear_flush_notify() and "
                                         + "ptep_clear_flush_young_notify()")
        XCTAssertEqual(folded, "Subject: [PATCH 3/3] mm/mmu_notifier: remove ptep_clear_flush_notify() and\n"
                       + " ptep_clear_flush_young_notify()")
        XCTAssertEqual(MailHeaders.subject("[PATCH] short"), "Subject: [PATCH] short")
    }

    func testCcOneAddressPerLine() {
        XCTAssertEqual(MailHeaders.cc(["A <a@x>", "list@x"]), "Cc: A <a@x>,\n    list@x")
        XCTAssertNil(MailHeaders.cc([]))
    }

    func testIdentityParsing() {
        XCTAssertEqual(AuthorIdentity(parsing: " A U Thor <a@example.org> "),
                       AuthorIdentity(name: "A U Thor", email: "a@example.org"))
        for bad in ["A U Thor", "<a@example.org>", "A <no-at>", "A <a@b> trailing", "A <a b@c>"] {
            XCTAssertNil(AuthorIdentity(parsing: bad), bad)
        }
    }

    func testWrapKeepsCallsTogetherAndNoLineStartsWithAHash() {
        let text = MailPatch.wrap("and mmu_notifier_clear_flush_young() after pte_unmap_unlock(pte, ptl) releases "
                                  + "it and the #else branch left empty by the stubs, in 'mk_pte(new_page, prot)'",
                                  width: 40)
        for line in text.split(separator: "\n") {
            XCTAssertFalse(line.hasPrefix("#"), text)
            XCTAssertEqual(line.filter { $0 == "(" }.count, line.filter { $0 == ")" }.count, text)
        }
        XCTAssertTrue(text.contains("pte_unmap_unlock(pte, ptl)"))
        XCTAssertTrue(text.contains("'mk_pte(new_page, prot)'"))
    }
}

final class MessagePieceTests: XCTestCase {
    func testSubjectAreaFromThePath() {
        XCTAssertEqual(SubjectArea.of("mm/rmap.c", tree: nil), "mm/rmap")
        XCTAssertEqual(SubjectArea.of("kernel/events/uprobes.c", tree: nil), "kernel/events/uprobes")
        XCTAssertEqual(SubjectArea.of("arch/x86/mm/pgtable.c", tree: nil), "x86/mm/pgtable")
        XCTAssertEqual(SubjectArea.of("include/linux/mmu_notifier.h", tree: nil), "mm/mmu_notifier")
        XCTAssertEqual(SubjectArea.of("include/linux/rmap.h", tree: nil), "rmap")
    }

    func testTheUnlockCallIsReadBackFromTheBytes() {
        let text = Array("\tpte_unmap_unlock(pte,\n\t\t\t ptl);\n\tspin_unlock(&mm->page_table_lock);\n".utf8)
        let first = text.firstIndex(of: .semicolon)! + 1
        XCTAssertEqual(UnlockCall.text(in: text, endingAt: first), "pte_unmap_unlock(pte, ptl)")
        let second = text.lastIndex(of: .semicolon)! + 1
        XCTAssertEqual(UnlockCall.text(in: text, endingAt: second), "spin_unlock(&mm->page_table_lock)")
        XCTAssertNil(UnlockCall.text(in: Array("x = 1;".utf8), endingAt: 6))
    }

    /// The messages name the unlock and the function, and carry no line
    /// number, no "may sleep" claim and no historical reference.
    func testMessagesAreHonest() throws {
        let (_, series) = try ConvertTests.fixtureTree.get()
        for patch in series.patches {
            let message = patch.body
            XCTAssertNil(message.range(of: #"\bline[s]? [0-9]"#, options: .regularExpression), patch.subject)
            XCTAssertFalse(message.contains("may sleep"), patch.subject)
            XCTAssertFalse(message.contains("2008"), patch.subject)
            if let function = patch.sites.first?.function {
                XCTAssertTrue(patch.subject.hasSuffix("in \(function)()"), patch.subject)
                XCTAssertTrue(message.contains("\(function)()"), patch.subject)
                XCTAssertTrue(message.contains("pte_unmap_unlock(") || message.contains("spin_unlock("), message)
            }
        }
        let straight = try XCTUnwrap(series.patches.first { $0.subject.hasPrefix("mm/straight:") })
        XCTAssertEqual(straight.subject, "mm/straight: notify secondary MMUs after the PTL unlock in zap_one_pte()")
        XCTAssertTrue(straight.body.contains("mmu_notifier_invalidate_range() after pte_unmap_unlock(pte, ptl)\nreleases it."),
                      straight.body)
    }
}

final class HeaderDeletionTests: XCTestCase {
    func deletion(_ header: String, removing names: Set<String>) -> (text: String, result: HeaderDeletion.Result) {
        let bytes = Array(header.utf8)
        let model = MacroModel(headerBytes: bytes, names: MacroModel.defaultNames + ["ptep_clear_young_notify"])
        let result = HeaderDeletion(bytes: bytes, model: model).edits(removing: names)
        return (String(decoding: Edit.apply(result.edits, to: bytes)!, as: UTF8.self), result)
    }

    static let stubs = "#define ptep_clear_flush_young_notify ptep_clear_flush_young\n"
        + "#define ptep_clear_flush_notify ptep_clear_flush\n"
    static let forms = """
        #define ptep_clear_flush_notify(__vma, __address, __ptep)\t\t\\
        ({\t\t\t\t\t\t\t\t\t\\
        \tptep_clear_flush(__vma, __address, __ptep);\t\t\t\\
        })
        #define ptep_clear_flush_young_notify(__vma, __address, __ptep)\t\\
        ({\t\t\t\t\t\t\t\t\t\\
        \tptep_clear_flush_young(__vma, __address, __ptep);\t\t\\
        })

        """

    /// The 2.6 header: declarations stay in the #ifdef branch, the #else
    /// branch had only the stubs and goes with them.
    func testAnEmptiedElseBranchGoes() {
        let header = "#ifdef CONFIG_MMU_NOTIFIER\n\nvoid f(void);\n\n" + Self.forms
            + "\n#else /* CONFIG_MMU_NOTIFIER */\n\n" + Self.stubs + "\n#endif /* CONFIG_MMU_NOTIFIER */\n"
        let (text, result) = deletion(header, removing: ["ptep_clear_flush_notify", "ptep_clear_flush_young_notify"])
        XCTAssertEqual(text, "#ifdef CONFIG_MMU_NOTIFIER\n\nvoid f(void);\n\n#endif /* CONFIG_MMU_NOTIFIER */\n")
        XCTAssertEqual(result.tidied, ["the #else branch left empty"])
    }

    func testAGroupLeftEmptyGoesWhole() {
        let header = "void g(void);\n\n#ifdef CONFIG_MMU_NOTIFIER\n" + Self.forms + "#else\n" + Self.stubs
            + "#endif\n\nvoid h(void);\n"
        let (text, result) = deletion(header, removing: ["ptep_clear_flush_notify", "ptep_clear_flush_young_notify"])
        XCTAssertEqual(text, "void g(void);\n\nvoid h(void);\n")
        XCTAssertEqual(result.tidied, ["the #ifdef CONFIG_MMU_NOTIFIER block left empty"])
    }

    func testAnEmptiedIfdefBranchBecomesIfndef() {
        let header = "#ifdef CONFIG_MMU_NOTIFIER\n" + Self.forms + "#else /* CONFIG_MMU_NOTIFIER */\n"
            + "static inline void f(void) {}\n" + Self.stubs + "#endif /* CONFIG_MMU_NOTIFIER */\n"
        let (text, _) = deletion(header, removing: ["ptep_clear_flush_notify", "ptep_clear_flush_young_notify"])
        XCTAssertEqual(text, "#ifndef CONFIG_MMU_NOTIFIER\nstatic inline void f(void) {}\n"
                       + "#endif /* CONFIG_MMU_NOTIFIER */\n")
    }

    /// Only what the deletion empties goes: an #else that was empty
    /// before, and a double blank line that was there, stay.
    func testWhatWasAlreadyEmptyStays() {
        let header = "#ifdef A\nint a;\n#else\n#endif\n\n\nvoid f(void);\n" + "#ifdef CONFIG_MMU_NOTIFIER\n"
            + Self.forms + "void g(void);\n#endif\n"
        let (text, _) = deletion(header, removing: ["ptep_clear_flush_notify", "ptep_clear_flush_young_notify"])
        XCTAssertEqual(text, "#ifdef A\nint a;\n#else\n#endif\n\n\nvoid f(void);\n#ifdef CONFIG_MMU_NOTIFIER\n"
                       + "void g(void);\n#endif\n")
    }

    /// The fixture tree's comment introduces both macros: deleting one
    /// rewords it (list, verbs, wrap); deleting both removes it.
    func testTheIntroducingCommentIsRewordedOrRemoved() throws {
        let header = String(decoding: try fixtureBytes("tree/include/linux/mmu_notifier.h"), as: UTF8.self)
        let (one, result) = deletion(header, removing: ["ptep_clear_flush_young_notify"])
        XCTAssertTrue(one.contains("""

            /*
             * ptep_clear_flush_notify() does the plain page-table operation and then
             * tells the secondary MMUs, all while the caller still holds the page-table
             * lock. A notifier that may sleep cannot be called there: callers are being
             * converted to call the plain operation under the lock and the notifier
             * after the lock is dropped.
             */
            #define ptep_clear_flush_notify(
            """), one)
        XCTAssertEqual(result.tidied, ["their names in the comment that introduced them with other macros"])
        let (both, _) = deletion(header, removing: ["ptep_clear_flush_notify", "ptep_clear_flush_young_notify"])
        XCTAssertFalse(both.contains("do the plain"))
        XCTAssertTrue(both.contains(" * ptep_clear_young_notify() tests and clears"), "another macro's comment stays")
        let (all, _) = deletion(header, removing: ["ptep_clear_flush_notify", "ptep_clear_flush_young_notify",
                                                   "ptep_clear_young_notify"])
        XCTAssertFalse(all.contains("ptep_clear_young_notify"))
        XCTAssertFalse(all.contains("\n\n\n"), all)
        XCTAssertTrue(all.contains("\t\t\t\t   unsigned long end);\n\n#else /* CONFIG_MMU_NOTIFIER */\n\n"
                                   + "static inline void mmu_notifier_invalidate_range("), all)
    }

    func testVerbAgreement() {
        XCTAssertEqual(CommentRewording.rewordParagraph("a() and b() do x and then tell y.".split(separator: " ")
            .map(String.init), removing: ["a"]), "b() does x and then tells y.".split(separator: " ").map(String.init))
        XCTAssertEqual(CommentRewording.rewordParagraph("Both a() and b() only go.".split(separator: " ")
            .map(String.init), removing: ["b"]), "a() only goes.".split(separator: " ").map(String.init))
        XCTAssertEqual(CommentRewording.rewordParagraph("a(), b() and c() are x.".split(separator: " ")
            .map(String.init), removing: ["b"]), "a() and c() are x.".split(separator: " ").map(String.init))
        XCTAssertNil(CommentRewording.rewordParagraph("a() is x.".split(separator: " ").map(String.init),
                                                      removing: ["a"]), "nothing would be left of the list")
    }
}
