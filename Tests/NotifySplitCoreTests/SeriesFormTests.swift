import Foundation
@testable import NotifySplitCore
import XCTest

/// The pieces of a series' form, one at a time: dates, mail headers, the
/// subject's area, the unlock named in the message.
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
