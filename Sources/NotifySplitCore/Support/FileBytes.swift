import Foundation

/// A file's bytes, read whole in one go (no decoding, no per-line work).
public struct FileBytes: Sendable {
    public let bytes: [UInt8]

    public enum ReadError: Error, CustomStringConvertible {
        case cannotOpen(String, String)
        case cannotRead(String, String)

        public var description: String {
            switch self {
            case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
            case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
            }
        }
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(path: String) throws(ReadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path, String(cString: strerror(errno))) }
        var result = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        var failure: Int32 = 0
        result.withUnsafeMutableBytes { buffer in
            while filled < buffer.count {
                let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                if n == 0 { break }
                filled += n
            }
        }
        if failure != 0 { throw .cannotRead(path, String(cString: strerror(failure))) }
        if filled < result.count { result.removeSubrange(filled...) }
        bytes = result
    }

    /// The text of a byte range, decoded leniently (for reports only).
    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

/// A per-worker read buffer, reused from file to file: the whole-tree
/// prefilter reads every file once with no allocation per file.
final class ReadBuffer {
    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)

    deinit { storage.deallocate() }

    /// Reads the whole file into the buffer and calls `body` with its bytes.
    func withContents<R>(of path: String,
                         _ body: (UnsafeRawBufferPointer) -> R) throws(FileBytes.ReadError) -> R {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path, String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        if size > storage.count {
            storage.deallocate()
            storage = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        }
        var filled = 0
        while filled < size {
            let n = read(fd, storage.baseAddress! + filled, size - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path, String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        return body(UnsafeRawBufferPointer(rebasing: storage[0..<filled]))
    }

    /// For a search that rarely matches: reads the file a buffer at a time
    /// and asks `matches` of each piece, and only when one matches reads the
    /// whole file and calls `body` with it (nil otherwise). Each piece
    /// starts with the last `overlap` bytes of the one before, so an
    /// occurrence up to `overlap + 1` bytes long is never cut in two:
    /// `matches` is true of some piece exactly when it is true of the whole
    /// file, if it asks whether such a string occurs. The buffer stays at
    /// its 1 MiB: a tree's few big generated headers (24 MB in 6.12) no
    /// longer grow it and fault in fresh pages.
    func withContents<R>(of path: String, overlap: Int, ifAny matches: (UnsafeRawBufferPointer) -> Bool,
                         _ body: (UnsafeRawBufferPointer) -> R) throws(FileBytes.ReadError) -> R? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path, String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        precondition(overlap >= 0 && overlap < storage.count / 2, "overlap too large for the buffer")
        func fill(from start: Int, upTo end: Int) throws(FileBytes.ReadError) -> Int {
            var filled = start
            while filled < end {
                let n = read(fd, storage.baseAddress! + filled, end - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .cannotRead(path, String(cString: strerror(errno)))
                }
                if n == 0 { break }
                filled += n
            }
            return filled
        }
        if size <= storage.count {
            let filled = try fill(from: 0, upTo: size)
            let raw = UnsafeRawBufferPointer(rebasing: storage[0..<filled])
            return matches(raw) ? body(raw) : nil
        }
        var kept = 0
        while true {
            let filled = try fill(from: kept, upTo: storage.count)
            if filled == kept { return nil }                           // end of file
            if matches(UnsafeRawBufferPointer(rebasing: storage[0..<filled])) { break }
            if filled < storage.count { return nil }                   // end of file
            kept = Swift.min(overlap, filled)
            storage.baseAddress!.copyMemory(from: storage.baseAddress! + (filled - kept), byteCount: kept)
        }
        // A piece matched: the whole file, read again from its start.
        let whole = try FileBytes(path: path)
        return whole.bytes.withUnsafeBytes { body($0) }
    }
}
