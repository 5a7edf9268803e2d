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
        bytes = try Self.withOpenFile(path) { fd, size throws(ReadError) in
            var result = [UInt8](repeating: 0, count: size)
            let read = result.withUnsafeMutableBytes { buffer in
                Result { () throws(ReadError) in
                    try Self.readFully(fd, into: buffer.baseAddress, from: 0, upTo: size, path: path)
                }
            }
            let filled = try read.get()
            if filled < result.count { result.removeSubrange(filled...) }
            return result
        }
    }

    /// Calls `body` with the open file and its size, closed afterwards.
    static func withOpenFile<R>(_ path: String,
                                _ body: (Int32, Int) throws(ReadError) -> R) throws(ReadError) -> R {
        try withOpenFile(path) { fd, info throws(ReadError) in try body(fd, Int(info.st_size)) }
    }

    /// Calls `body` with the open file and what `fstat` says of it.
    static func withOpenFile<R>(_ path: String,
                                _ body: (Int32, stat) throws(ReadError) -> R) throws(ReadError) -> R {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path, String(cString: strerror(errno))) }
        return try body(fd, info)
    }

    /// Reads `fd` into `base[start..<end]` until it is full or the file
    /// ends; the offset reached.
    static func readFully(_ fd: Int32, into base: UnsafeMutableRawPointer?, from start: Int, upTo end: Int,
                     path: String) throws(ReadError) -> Int {
        var filled = start
        while filled < end {
            let n = read(fd, base! + filled, end - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path, String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        return filled
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
        try FileBytes.withOpenFile(path) { fd, size throws(FileBytes.ReadError) in
            if size > storage.count {
                storage.deallocate()
                storage = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
            }
            let filled = try FileBytes.readFully(fd, into: storage.baseAddress, from: 0, upTo: size, path: path)
            return body(UnsafeRawBufferPointer(rebasing: storage[0..<filled]))
        }
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
        var signature: FileSignature?
        return try withContents(of: path, overlap: overlap, signature: &signature, ifAny: matches, body)
    }

    /// The same, setting `signature` to the file's as it was opened.
    func withContents<R>(of path: String, overlap: Int, signature: inout FileSignature?,
                         ifAny matches: (UnsafeRawBufferPointer) -> Bool,
                         _ body: (UnsafeRawBufferPointer) -> R) throws(FileBytes.ReadError) -> R? {
        precondition(overlap >= 0 && overlap < storage.count / 2, "overlap too large for the buffer")
        var opened: FileSignature?
        defer { signature = opened }
        // What the pieces said: the answer, or (matched) that the whole file is wanted.
        let outcome = try FileBytes.withOpenFile(path) { fd, info throws(FileBytes.ReadError) -> (matched: Bool, answer: R?) in
            opened = FileSignature(info)
            let size = Int(info.st_size)
            func fill(from start: Int, upTo end: Int) throws(FileBytes.ReadError) -> Int {
                try FileBytes.readFully(fd, into: storage.baseAddress, from: start, upTo: end, path: path)
            }
            if size <= storage.count {
                let filled = try fill(from: 0, upTo: size)
                let raw = UnsafeRawBufferPointer(rebasing: storage[0..<filled])
                return (false, matches(raw) ? body(raw) : nil)
            }
            var kept = 0
            while true {
                let filled = try fill(from: kept, upTo: storage.count)
                if filled == kept { return (false, nil) }                  // end of file
                if matches(UnsafeRawBufferPointer(rebasing: storage[0..<filled])) { return (true, nil) }
                if filled < storage.count { return (false, nil) }          // end of file
                kept = Swift.min(overlap, filled)
                storage.baseAddress!.copyMemory(from: storage.baseAddress! + (filled - kept), byteCount: kept)
            }
        }
        if !outcome.matched { return outcome.answer }
        // A piece matched: the whole file, read again from its start.
        let whole = try FileBytes(path: path)
        return whole.bytes.withUnsafeBytes { body($0) }
    }
}
