import Foundation
@testable import NotifySplitCore
import XCTest

/// The pieces of a series' form, one at a time: dates and mail headers.
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
}
