import Foundation

/// Which identifiers each file of a tree holds, read once per run: a lookup
/// then lexes only the files that may hold one of its names, instead of
/// reading the whole tree again for every batch of names (the audit looks
/// names up in 15–20 rounds; each whole-tree pass was 0.3–1.5 s of page-cache
/// copies on a 6.x tree).
///
/// A file's entry is the sorted set of 32-bit hashes of every identifier in
/// its bytes — code, comments, strings and directives alike — and, for a run
/// of identifier bytes that starts with digits, of its tail from the first
/// letter or underscore (the token scan's lexer reads `0x1f` as `0` and
/// `x1f`). That is a superset of the names `TokenScan` can report in the
/// file, so a search of the files the index names finds exactly what a
/// search of the whole tree finds; a hash collision only costs a read.
/// Memory: 4 bytes per distinct identifier per file (Debian 6.1: about
/// 22 million, 87 MB).
final class IdentifierIndex: Sendable {
    private let paths: [String]
    /// Per path, its identifiers' hashes, sorted, each once.
    private let entries: [[UInt32]]
    /// Files that could not be read when the index was built: every lookup
    /// names them, so the search that follows reports why they fail.
    private let unindexed: [String]

    /// Indexes the tree's listed files as the overlay leaves them.
    init(tree: KernelTree, overlay: TreeOverlay, workers: Int) {
        var files = tree.listing.files
        if !overlay.isEmpty {
            files = Array(Set(files).union(overlay.created).subtracting(overlay.deleted)).sorted()
        }
        let indexed = PhaseTimes.measure("audit: identifier index of \(files.count) files") {
            parallelMap(files, workers: workers, makeState: { Reader() }) { reader, path -> [UInt32]? in
                if let bytes = overlay.files[path] {
                    return bytes.withUnsafeBytes { reader.identifiers(in: $0) }
                }
                return reader.identifiers(ofFile: tree.absolute(path))
            }
        }
        var paths: [String] = []
        var entries: [[UInt32]] = []
        var unindexed: [String] = []
        paths.reserveCapacity(files.count)
        entries.reserveCapacity(files.count)
        for (path, entry) in zip(files, indexed) {
            if let entry {
                paths.append(path)
                entries.append(entry)
            } else {
                unindexed.append(path)
            }
        }
        self.paths = paths
        self.entries = entries
        self.unindexed = unindexed
    }

    /// The files that may hold one of `names` as an identifier (never
    /// leaving out one that does), and those the index could not read.
    func files(mayHoldAnyOf names: some Sequence<String>) -> Set<String> {
        let wanted = Array(Set(names.map(Self.hash(of:)))).sorted()
        var result = Set(unindexed)
        guard !wanted.isEmpty else { return result }
        for (index, entry) in entries.enumerated() where Self.holdsAny(entry, wanted) {
            result.insert(paths[index])
        }
        return result
    }

    /// True when the sorted `entry` and the sorted `wanted` share a hash.
    private static func holdsAny(_ entry: [UInt32], _ wanted: [UInt32]) -> Bool {
        guard let first = entry.first, let last = entry.last else { return false }
        for hash in wanted where hash >= first && hash <= last {
            var low = 0
            var high = entry.count
            while low < high {
                let middle = (low + high) / 2
                if entry[middle] < hash { low = middle + 1 } else { high = middle }
            }
            if low < entry.count && entry[low] == hash { return true }
        }
        return false
    }

    /// FNV-1a over the name's bytes, folded to 32 bits.
    static func hash(of name: String) -> UInt32 {
        var hash = Hasher32()
        for byte in name.utf8 { hash.add(byte) }
        return hash.value
    }

    struct Hasher32 {
        private var state: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ byte: UInt8) {
            state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        var value: UInt32 { UInt32(truncatingIfNeeded: state ^ (state >> 32)) }
    }

    /// One worker's read buffer and lexer: a file is read a piece at a time
    /// (a run of identifier bytes may cross pieces), so a tree's few huge
    /// generated headers do not grow the buffer.
    final class Reader {
        private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        private var found: [UInt32] = []
        private var hashing = false
        private var hash = Hasher32()

        deinit { buffer.deallocate() }

        /// Byte classes: 0 other, 1 digit, 2 letter or underscore
        /// (`CLexer.isIdentifierStart`).
        private static let classes: [UInt8] = (0...255).map { byte in
            let byte = UInt8(byte)
            if CLexer.isIdentifierStart(byte) { return 2 }
            return CLexer.isIdentifierByte(byte) ? 1 : 0
        }

        /// The file's identifier hashes, or nil when it cannot be read.
        func identifiers(ofFile path: String) -> [UInt32]? {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            start()
            while true {
                let n = read(fd, buffer.baseAddress!, buffer.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    return nil
                }
                if n == 0 { break }
                feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
            return finish()
        }

        func identifiers(in bytes: UnsafeRawBufferPointer) -> [UInt32] {
            start()
            feed(bytes)
            return finish()
        }

        private func start() {
            found.removeAll(keepingCapacity: true)
            hashing = false
        }

        private func feed(_ bytes: UnsafeRawBufferPointer) {
            // Locals in the loop: a class's stored properties are checked
            // for exclusive access at every use.
            var hashing = self.hashing
            var hash = self.hash
            var found = self.found
            self.found = []
            Self.classes.withUnsafeBufferPointer { classes in
                for byte in bytes {
                    let kind = classes[Int(byte)]
                    if kind == 0 {
                        if hashing { found.append(hash.value) }
                        hashing = false
                    } else {
                        if !hashing && kind == 2 {
                            // A run's start, or the tail of one that began
                            // with digits.
                            hashing = true
                            hash = Hasher32()
                        }
                        if hashing { hash.add(byte) }
                    }
                }
            }
            self.hashing = hashing
            self.hash = hash
            self.found = found
        }

        private func finish() -> [UInt32] {
            if hashing { found.append(hash.value) }
            hashing = false
            found.sort()
            var unique: [UInt32] = []
            var previous: UInt32?
            var count = 0
            for value in found where value != previous {
                count += 1
                previous = value
            }
            unique.reserveCapacity(count)
            previous = nil
            for value in found where value != previous {
                unique.append(value)
                previous = value
            }
            return unique
        }
    }
}
