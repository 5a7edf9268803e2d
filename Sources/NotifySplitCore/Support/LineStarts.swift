import Foundation

/// Where each line of a file starts, to turn byte offsets into line
/// numbers by binary search: counting newlines from the file's start for
/// every call the audit records costs the file's size per call (a
/// quadratic read of `mm/memory.c`).
final class LineStarts: Sendable {
    /// Offset of the first byte of each line; the first is 0.
    private let starts: [Int]

    init(_ bytes: [UInt8]) {
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var at = 0
            while at < buffer.count, let found = memchr(base + at, 0x0A, buffer.count - at) {
                at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base + 1
                starts.append(at)
            }
        }
        self.starts = starts
    }

    /// 1-based line of `offset` (an offset past the end is on the last line).
    func line(of offset: Int) -> Int {
        var low = 0, high = starts.count
        // The number of line starts at or before `offset`.
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= offset { low = middle + 1 } else { high = middle }
        }
        return max(low, 1)
    }

    /// Offset of the first byte of the line holding `offset`.
    func lineStart(of offset: Int) -> Int { starts[line(of: offset) - 1] }
}
