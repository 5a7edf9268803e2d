/// A replacement of a byte range of the original file. Everything outside
/// the edited ranges stays byte-identical (non-UTF-8 bytes, CRLF, …).
public struct Edit: Hashable, Sendable {
    public var range: Range<Int>
    public var replacement: [UInt8]

    public init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }

    public static func insert(at offset: Int, _ bytes: [UInt8]) -> Edit {
        Edit(range: offset..<offset, replacement: bytes)
    }

    public static func replace(_ range: Range<Int>, with text: String) -> Edit {
        Edit(range: range, replacement: Array(text.utf8))
    }

    /// Applies `edits` (non-overlapping, in original offsets) to `bytes`.
    /// Insertions at the same offset keep their order. Returns nil when
    /// two edits overlap: never guess which one wins.
    public static func apply(_ edits: [Edit], to bytes: [UInt8]) -> [UInt8]? {
        let sorted = edits.enumerated().sorted {
            ($0.element.range.lowerBound, $0.element.range.upperBound, $0.offset)
                < ($1.element.range.lowerBound, $1.element.range.upperBound, $1.offset)
        }.map(\.element)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + edits.reduce(0) { $0 + $1.replacement.count })
        var position = 0
        for edit in sorted {
            guard edit.range.lowerBound >= position, edit.range.upperBound <= bytes.count else { return nil }
            result += bytes[position..<edit.range.lowerBound]
            result += edit.replacement
            position = edit.range.upperBound
        }
        result += bytes[position...]
        return result
    }
}
