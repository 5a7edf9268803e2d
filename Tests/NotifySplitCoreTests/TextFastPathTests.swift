import Foundation
@testable import NotifySplitCore
import XCTest

/// The byte-level stand-ins used on every Kconfig line and tree path give
/// what the Character- and Foundation-level calls they replace give.
final class TextFastPathTests: XCTestCase {
    private let samples = [
        "", " ", "\t", "a", " a ", "\tconfig FOO\t", "a\r\nb\nc\r\r\nd\n", "\n\n", "x\n", "\r\n",
        "\u{A0}help\u{A0}", " \u{301}x ", "caf\u{E9} ", " \u{3000}y", "  default \"a b\" if X  ",
        "line\rwith cr\n", "é\nü\r\n\n",
    ]

    func testLinesSplitAsTheCharacterSplitDoes() {
        for text in samples {
            XCTAssertEqual(KconfigEntry.lines(text).map(String.init),
                           text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                           "\(text.debugDescription)")
        }
    }

    func testHelpTextSkippedOnTheBytesAsByCharacters() {
        let kconfig = """
            config A
            \tbool "a"
            \thelp
            \t  text  \u{A0}
            \u{A0}
            \t  config NOT_AN_ENTRY
            \r
            \tdefault y

            config B
            \tbool
            \thelp
            \t  more
            \tdepends on A
            """
        let entries = KconfigEntry.parse(kconfig)
        XCTAssertEqual(entries.map(\.name), ["A", "B"])
        XCTAssertEqual(entries[1].dependencies, ["A"])
        let odd = "\t \u{301}x\n \r\n\t\r\n  \u{A0}\n\t\t  y\n"
        for line in (kconfig + odd).split(separator: "\n", omittingEmptySubsequences: false) {
            guard let (width, blank) = KconfigEntry.asciiIndent(line) else { continue }
            XCTAssertEqual(width, KconfigEntry.indentWidth(String(line)))
            XCTAssertEqual(blank, String(line).trimmingCharacters(in: .whitespaces).isEmpty)
        }
    }

    func testTrimAsFoundationDoes() {
        for text in samples + samples.map({ $0 + " " }) + samples.map({ "\t" + $0 }) {
            XCTAssertEqual(text.trimmingWhitespace(), text.trimmingCharacters(in: .whitespaces),
                           "\(text.debugDescription)")
            let sub = text.dropFirst(min(1, text.count))
            XCTAssertEqual(sub.trimmingWhitespace(), sub.trimmingCharacters(in: .whitespaces))
        }
    }

    func testUTF8Affixes() {
        XCTAssertTrue("mm/Kconfig.debug".utf8LastComponent.starts(with: "Kconfig".utf8))
        XCTAssertFalse("Kconfig/x.c".utf8LastComponent.starts(with: "Kconfig".utf8))
        XCTAssertTrue("Kconfig".utf8LastComponent.starts(with: "Kconfig".utf8))
        XCTAssertTrue("a/b.mod.c".utf8HasSuffix(".mod.c"))
        XCTAssertFalse(".c".utf8HasSuffix(".mod.c"))
        XCTAssertTrue("include/asm-x86/x.h".utf8HasPrefix("include/asm-"))
        XCTAssertTrue("x".utf8HasPrefix(""))
        XCTAssertFalse("".utf8HasSuffix("c"))
    }
}
