import Foundation

/// Which identifiers each file of a tree holds, read once per run: a lookup
/// then lexes only the files that may hold one of its names, instead of
/// reading the whole tree again for every batch of names (the audit looks
/// names up in 15–20 rounds; each whole-tree pass was 0.3–1.5 s of page-cache
/// copies on a 6.x tree).
///
/// A file's entry is the set of 16-bit fingerprints of every identifier in
/// its bytes — code, comments, strings and directives alike — and, for a run
/// of identifier bytes that starts with digits, of its tail from the first
/// letter or underscore (the token scan's lexer reads `0x1f` as `0` and
/// `x1f`). That is a superset of the names `TokenScan` can report in the
/// file, so a search of the files the index names finds exactly what a
/// search of the whole tree finds. A fingerprint shared by chance costs a
/// read: a file of 400 distinct identifiers is named for an absent one once
/// in 160 lookups (Debian 6.1: ~330 of 58000 files per name, against
/// reading all). The fingerprints are kept sorted and delta-coded, about
/// 1.3 bytes each (6.1: 22 million, ~28 MB; 32-bit hashes took 87 MB).
///
/// Beside it, read in the same pass, each file's field-call fingerprints
/// (`FieldCallShape`): those of the identifiers standing where
/// `NameLookup`'s field-call test can accept a hit, `->name(`. A field
/// lookup (`write`, `open`: in thousands of files) then reads only the
/// files that may call through a field of the name (a few hundred).
final class IdentifierIndex: Sendable {
    private let paths: [String]
    /// Per path, its fingerprints, sorted, each once, as gaps: a gap below
    /// 255 is one byte, another is 255 and two bytes (little-endian). All
    /// entries in one block, path `i`'s at `offsets[i]..<offsets[i + 1]`:
    /// 58000 small arrays made on the reading threads, kept for the whole
    /// run, left the heap those threads then parse on fragmented (6.1's
    /// peak RSS 286 -> 389 MB with a 29 MB index).
    private let block: [UInt8]
    private let offsets: [Int]
    /// The field-call fingerprints, coded and laid out the same way.
    private let fieldBlock: [UInt8]
    private let fieldOffsets: [Int]
    /// Files that could not be read when the index was built: every lookup
    /// names them, so the search that follows reports why they fail.
    private let unindexed: [String]
    private let workers: Int

    /// Indexes the tree's listed files as the overlay leaves them.
    init(tree: KernelTree, overlay: TreeOverlay, workers: Int) {
        var files = tree.listing.files
        if !overlay.isEmpty {
            files = Array(Set(files).union(overlay.created).subtracting(overlay.deleted)).sorted()
        }
        let indexed = PhaseTimes.measure("audit: identifier index of \(files.count) files") {
            parallelMap(files, workers: workers, makeState: { Reader() }) { reader, path -> Reader.Entry? in
                if let bytes = overlay.files[path] {
                    return bytes.withUnsafeBytes { reader.entry(of: $0) }
                }
                return reader.entry(ofFile: tree.absolute(path))
            }
        }
        var paths: [String] = []
        var block: [UInt8] = []
        var offsets: [Int] = [0]
        var fieldBlock: [UInt8] = []
        var fieldOffsets: [Int] = [0]
        var unindexed: [String] = []
        paths.reserveCapacity(files.count)
        offsets.reserveCapacity(files.count + 1)
        fieldOffsets.reserveCapacity(files.count + 1)
        block.reserveCapacity(indexed.reduce(0) { $0 + ($1?.identifiers.count ?? 0) })
        fieldBlock.reserveCapacity(indexed.reduce(0) { $0 + ($1?.fieldCalls.count ?? 0) })
        for (path, entry) in zip(files, indexed) {
            if let entry {
                paths.append(path)
                block += entry.identifiers
                offsets.append(block.count)
                fieldBlock += entry.fieldCalls
                fieldOffsets.append(fieldBlock.count)
            } else {
                unindexed.append(path)
            }
        }
        self.paths = paths
        self.block = block
        self.offsets = offsets
        self.fieldBlock = fieldBlock
        self.fieldOffsets = fieldOffsets
        self.unindexed = unindexed
        self.workers = workers
        PhaseTimes.note("identifier index: \(paths.count) files, \(block.count / 1024) KiB of fingerprints, "
                        + "\(fieldBlock.count / 1024) KiB of field calls, \(unindexed.count) unreadable")
    }

    /// The files that may hold one of `names` as an identifier (never
    /// leaving out one that does), and those the index could not read.
    func files(mayHoldAnyOf names: some Sequence<String>) -> Set<String> {
        files(in: block, offsets, holdingAnyOf: names)
    }

    /// The files that may call through a field of one of `fields`
    /// (`FieldCallShape`: never leaving out one where `NameLookup`'s
    /// field-call test accepts a hit), and those the index could not read.
    func files(mayCallThroughAnyOf fields: some Sequence<String>) -> Set<String> {
        files(in: fieldBlock, fieldOffsets, holdingAnyOf: fields)
    }

    private func files(in block: [UInt8], _ offsets: [Int], holdingAnyOf names: some Sequence<String>) -> Set<String> {
        let wanted = Array(Set(names.map { Self.fingerprint(Self.hash(of: $0)) })).sorted()
        var result = Set(unindexed)
        guard !wanted.isEmpty else { return result }
        let count = offsets.count - 1
        // In parts, on the workers: one pass is ~30 million gaps on 6.1.
        let parts = 16
        let size = (count + parts - 1) / parts
        let held = parallelMap(Array(0..<parts), workers: workers, makeState: { () }) { _, part -> [Int] in
            let range = min(part * size, count)..<min((part + 1) * size, count)
            return block.withUnsafeBufferPointer { bytes in
                range.filter { Self.holdsAny(UnsafeBufferPointer(rebasing: bytes[offsets[$0]..<offsets[$0 + 1]]), wanted) }
            }
        }
        for index in held.joined() { result.insert(paths[index]) }
        return result
    }

    static func fingerprint(_ hash: UInt32) -> UInt16 {
        UInt16(truncatingIfNeeded: hash ^ (hash >> 16))
    }

    /// Sorted, distinct fingerprints, gap-coded.
    static func encode(sorted prints: [UInt16]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prints.count + prints.count / 4)
        var previous: Int = -1
        for print in prints {
            let gap = previous < 0 ? Int(print) : Int(print) - previous
            if gap < 255 {
                bytes.append(UInt8(gap))
            } else {
                bytes.append(255)
                bytes.append(UInt8(truncatingIfNeeded: gap))
                bytes.append(UInt8(truncatingIfNeeded: gap >> 8))
            }
            previous = Int(print)
        }
        return Array(bytes)
    }

    /// True when the gap-coded `entry` and the sorted `wanted` share a
    /// fingerprint (one merge of the two).
    static func holdsAny(_ entry: [UInt8], _ wanted: [UInt16]) -> Bool {
        entry.withUnsafeBufferPointer { holdsAny($0, wanted) }
    }

    static func holdsAny(_ bytes: UnsafeBufferPointer<UInt8>, _ wanted: [UInt16]) -> Bool {
        do {   // one scope: the merge returns from the function
            var at = 0
            var value = 0
            var first = true
            var next = 0
            while at < bytes.count {
                var gap = Int(bytes[at])
                if gap == 255 {
                    gap = Int(bytes[at + 1]) | Int(bytes[at + 2]) << 8
                    at += 3
                } else {
                    at += 1
                }
                value = first ? gap : value + gap
                first = false
                while next < wanted.count && Int(wanted[next]) < value { next += 1 }
                if next == wanted.count { return false }
                if Int(wanted[next]) == value { return true }
            }
            return false
        }
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
    /// (a run of identifier bytes may cross pieces, and so may a field
    /// call's shape), so a tree's few huge generated headers do not grow the
    /// buffer. Each identifier's fingerprint sets a bit of a 65536-bit map,
    /// read back in order: no sort, each once; a field call's sets a bit of
    /// a second map.
    final class Reader {
        /// A file's gap-coded fingerprints: all its identifiers, and those
        /// of them that stand in a field call's shape.
        struct Entry {
            var identifiers: [UInt8]
            var fieldCalls: [UInt8]
        }

        private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        private let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        private let fieldBits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        private var hashing = false
        private var hash = Hasher32()
        private var shape = FieldCallShape()

        init() {
            bits.initialize(repeating: 0, count: 1024)
            fieldBits.initialize(repeating: 0, count: 1024)
        }

        deinit {
            buffer.deallocate()
            bits.deallocate()
            fieldBits.deallocate()
        }

        /// Byte classes: 0 other, 1 digit, 2 letter or underscore
        /// (`CLexer.isIdentifierStart`).
        private static let classes: [UInt8] = (0...255).map { byte in
            let byte = UInt8(byte)
            if CLexer.isIdentifierStart(byte) { return 2 }
            return CLexer.isIdentifierByte(byte) ? 1 : 0
        }

        /// The file's entry, or nil when it cannot be read.
        func entry(ofFile path: String) -> Entry? {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            start()
            while true {
                let n = read(fd, buffer.baseAddress!, buffer.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    _ = finish()
                    return nil
                }
                if n == 0 { break }
                feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
            return finish()
        }

        func entry(of bytes: UnsafeRawBufferPointer) -> Entry {
            start()
            feed(bytes)
            return finish()
        }

        private func start() {
            hashing = false
            shape = FieldCallShape()
        }

        private func feed(_ bytes: UnsafeRawBufferPointer) {
            // Locals in the loop: a class's stored properties are checked
            // for exclusive access at every use.
            var hashing = self.hashing
            var hash = self.hash
            var shape = self.shape
            let bits = self.bits
            let fieldBits = self.fieldBits
            Self.classes.withUnsafeBufferPointer { classes in
                for byte in bytes {
                    let kind = classes[Int(byte)]
                    if kind == 0 {
                        if hashing {
                            let print = Int(IdentifierIndex.fingerprint(hash.value))
                            bits[print >> 6] |= 1 << UInt64(print & 63)
                            shape.endName(print)
                        }
                        hashing = false
                        if let print = shape.other(byte) {
                            fieldBits[print >> 6] |= 1 << UInt64(print & 63)
                        }
                    } else {
                        if !hashing && kind == 2 {
                            // A run's start, or the tail of one that began
                            // with digits.
                            hashing = true
                            hash = Hasher32()
                            shape.startName()
                        }
                        shape.identifierByte(byte)
                        if hashing { hash.add(byte) }
                    }
                }
            }
            self.hashing = hashing
            self.hash = hash
            self.shape = shape
        }

        /// The file's fingerprints in order (the run at its end too: no
        /// field call, nothing follows it); the maps are left clear.
        private func finish() -> Entry {
            if hashing {
                let print = Int(IdentifierIndex.fingerprint(hash.value))
                bits[print >> 6] |= 1 << UInt64(print & 63)
                hashing = false
            }
            shape = FieldCallShape()
            return Entry(identifiers: IdentifierIndex.encode(sorted: Self.drain(bits)),
                         fieldCalls: IdentifierIndex.encode(sorted: Self.drain(fieldBits)))
        }

        private static func drain(_ bits: UnsafeMutablePointer<UInt64>) -> [UInt16] {
            var prints: [UInt16] = []
            for word in 0..<1024 {
                var value = bits[word]
                guard value != 0 else { continue }
                bits[word] = 0
                while value != 0 {
                    prints.append(UInt16(word << 6 | value.trailingZeroBitCount))
                    value &= value - 1
                }
            }
            return prints
        }
    }
}
