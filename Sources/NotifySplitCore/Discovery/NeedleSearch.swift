import CByteSearch
import Foundation

/// Finds a byte string fast: a vectorised search for two of its rarest
/// bytes at their distance (`ns_find_pair`), then a compare of the whole
/// needle at each candidate. In C source almost no position survives the
/// pair, so the search runs at memory speed where a `memchr` for one
/// byte stops every few dozen bytes.
struct NeedleSearch: Sendable {
    let needle: [UInt8]
    /// The two positions in the needle whose bytes are rarest in C source
    /// (the same one twice for a one-byte needle).
    let first: Int
    let second: Int

    init(_ needle: [UInt8]) {
        precondition(!needle.isEmpty, "an empty needle")
        self.needle = needle
        let byRarity = needle.indices.sorted {
            (Self.frequencyRank[Int(needle[$0])], $0) < (Self.frequencyRank[Int(needle[$1])], $1)
        }
        first = byRarity[0]
        // The second rarest byte that differs from the first, when there is
        // one: two equal bytes filter less than two different ones.
        second = byRarity.dropFirst().first { needle[$0] != needle[byRarity[0]] } ?? byRarity.dropFirst().first
            ?? byRarity[0]
    }

    /// The offset of the first occurrence at or after `from`, if any.
    func firstOccurrence(in base: UnsafeRawPointer, count: Int, from: Int = 0) -> Int? {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let length = needle.count
        var from = from
        return needle.withUnsafeBytes { n in
            while from + length <= count {
                let at = ns_find_pair(bytes, count, from, length, first, needle[first], second, needle[second])
                guard at < count else { return nil }
                if memcmp(base + at, n.baseAddress!, length) == 0 { return at }
                from = at + 1
            }
            return nil
        }
    }

    /// Each byte's rank by how often it occurs in a kernel tree's `.c`,
    /// `.h` and `.S` files (0 rarest, 255 most common; counted once over
    /// Debian's linux-source-6.12). Only the speed depends on it: a
    /// rarer pair leaves fewer candidates to compare.
    static let frequencyRank: [UInt8] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 250, 251, 9, 128, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        25, 26, 27, 28, 255, 168, 188, 205, 160, 169, 180, 165, 218, 219, 220, 173, 229, 208, 195, 203, 246, 216,
        212, 200, 197, 189, 190, 183, 192, 182, 179, 215, 175, 206, 201, 163, 166, 237, 204, 236, 228, 240, 217,
        209, 202, 231, 164, 191, 226, 222, 224, 221, 227, 178, 235, 239, 238, 207, 196, 184, 199, 187, 170, 177,
        172, 176, 161, 254, 159, 244, 210, 242, 243, 253, 234, 213, 214, 249, 167, 198, 233, 225, 247, 241, 230,
        181, 248, 245, 252, 232, 211, 194, 223, 193, 174, 186, 171, 185, 162, 82, 157, 108, 151, 83, 96, 88, 135,
        84, 115, 109, 29, 30, 122, 31, 116, 104, 132, 142, 110, 152, 156, 145, 133, 85, 118, 129, 89, 90, 146,
        147, 91, 124, 123, 136, 105, 111, 139, 113, 97, 114, 120, 154, 98, 117, 140, 121, 106, 92, 137, 131, 126,
        125, 130, 134, 144, 99, 138, 119, 127, 93, 143, 86, 94, 100, 32, 33, 155, 153, 95, 148, 87, 34, 35, 36,
        37, 38, 39, 40, 141, 107, 150, 149, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 158,
        57, 58, 101, 102, 103, 59, 60, 61, 62, 63, 64, 65, 66, 112, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77,
        78, 79, 80, 81,
    ]
}
