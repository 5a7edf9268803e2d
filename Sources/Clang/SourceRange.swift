import CClang

/// A half-open byte range `[start, end)` in one file.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// Maps both ends with `clang_getFileLocation`. For a range produced by a
    /// macro expansion (such as a `do { } while (0)` from `pte_unmap_unlock()`)
    /// libclang already reports the invocation's extent.
    init(_ raw: CXSourceRange) {
        start = SourceLocation(fileLocationOf: clang_getRangeStart(raw))
        end = SourceLocation(fileLocationOf: clang_getRangeEnd(raw))
    }

    public var file: String? { start.file }
    public var byteRange: Range<Int> { start.offset..<max(start.offset, end.offset) }

    /// True when `other` lies inside this range, in the same file.
    public func contains(_ other: SourceRange) -> Bool {
        file == other.file && start.offset <= other.start.offset && other.end.offset <= end.offset
    }

    public func contains(offset: Int) -> Bool {
        start.offset <= offset && offset < end.offset
    }

    public var description: String { "\(start)-\(end.line):\(end.column)" }
}
