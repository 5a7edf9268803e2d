import FuzzSupport
@testable import NotifySplitCore
import XCTest

/// The vectorised prefilter finds exactly what a plain search finds: at
/// every position, near both ends of the buffer (where the 16- and 32-byte
/// steps hand over to the byte loop), for names with and without a
/// common anchor.
final class NeedleSearchTests: XCTestCase {
    private func naive(_ needle: [UInt8], _ haystack: [UInt8], from: Int = 0) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        return (from...(haystack.count - needle.count)).first {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }

    func testEveryPositionAndLength() {
        for needle in ["ptep_clear_flush_notify", "_notify", "x", "zz", "abcabcabd"].map({ Array($0.utf8) }) {
            let search = NeedleSearch(needle)
            for length in 0..<150 {
                let filler = Array(repeating: needle.last == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a"),
                                   count: length)
                XCTAssertNil(filler.withUnsafeBytes { search.firstOccurrence(in: $0.baseAddress!, count: $0.count) })
                guard length >= needle.count else { continue }
                for at in 0...(length - needle.count) {
                    var bytes = filler
                    bytes.replaceSubrange(at..<(at + needle.count), with: needle)
                    let found = bytes.withUnsafeBytes { search.firstOccurrence(in: $0.baseAddress!, count: $0.count) }
                    XCTAssertEqual(found, naive(needle, bytes), "needle \(needle.count) at \(at) of \(length)")
                }
            }
        }
    }

    func testRandomTextAgainstAPlainSearch() {
        var generator = SplitMix(seed: 7)
        let alphabet = Array("_notifyptep clear\n".utf8)
        let needle = Array("_notify".utf8)
        let search = NeedleSearch(needle)
        for _ in 0..<300 {
            let bytes = (0..<Int(generator.next() % 400)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            var from = 0
            while true {
                let expected = naive(needle, bytes, from: from)
                let found = bytes.withUnsafeBytes { raw in
                    raw.count == 0 ? nil : search.firstOccurrence(in: raw.baseAddress!, count: raw.count, from: from)
                }
                XCTAssertEqual(found, expected)
                guard let found else { break }
                from = found + 1
            }
        }
    }

    func testPrefilterConfirmsWholeNames() {
        let pair = TokenScan(names: ["ptep_clear_flush_notify", "ptep_clear_flush_young_notify"])
        let contains = { (scan: TokenScan, text: String) in Array(text.utf8).withUnsafeBytes { scan.mayContain($0) } }
        // The anchor alone (the plain op) is not a name.
        XCTAssertFalse(contains(pair, "ptep_clear_flush_young(vma, a, p); ptep_clear_flush(vma, a, p);"))
        XCTAssertTrue(contains(pair, "x = ptep_clear_flush_young_notify(vma, a, p);"))
        XCTAssertTrue(contains(pair, "ptep_clear_flush_notify"))
        // Names with no long common substring: each is searched.
        let mixed = TokenScan(names: ["set_pte_at", "ptep_clear_flush_notify", "ab"])
        XCTAssertTrue(contains(mixed, "  ab"))
        XCTAssertTrue(contains(mixed, "set_pte_at"))
        XCTAssertFalse(contains(mixed, "set_pte_a ptep_clear_flush_notif a b"))
        // A wrapper whose name holds the anchor twice.
        let twice = TokenScan(names: ["_notify_x_notify", "y_notify"])
        XCTAssertTrue(contains(twice, "a_notify_x_notify"))
        XCTAssertFalse(contains(twice, "_notify_x_notif"))
    }
}
