import Foundation

/// The files of a tree known not to mention a set of names, kept between
/// runs under `$XDG_CACHE_HOME/notifysplit/scan`: a warm token scan asks
/// `stat` of every file and reads only those not known so, where a cold one
/// reads them all (the reads are most of a warm `convert`'s scan: 0.13 s of
/// 2.6.30's 0.4 s). The same idea as git's index, with its safeguard
/// against racy entries: a file is recorded only with the signature it was
/// read with (`FileSignature`: inode, size, modification and change times)
/// and only when it was last written a few seconds before the scan began;
/// a file written since then or while the scan ran is read again on the
/// next run, so a write can never hide behind an unchanged signature.
///
/// Only absence is recorded: a file with a hit is always read and lexed,
/// so what the scan reports is what a full read reports.
public struct TokenScanCache: Sendable {
    public let directory: String

    /// How long before a scan began a file must have been last written
    /// (modified and changed) to be recorded, in seconds: above the
    /// coarsest timestamp granularity of the file systems a tree lives on
    /// (FAT and some network file systems keep 2 s).
    let settling: Int64
    /// Scans of different trees or names kept at most (the oldest go).
    static let kept = 16

    public init(directory: String) { self.init(directory: directory, settling: 3) }

    init(directory: String, settling: Int64) {
        self.directory = directory
        self.settling = settling
    }

    /// The user's cache, `$XDG_CACHE_HOME/notifysplit/scan` or
    /// `$HOME/.cache/notifysplit/scan`; nil when `NOTIFYSPLIT_NO_CACHE` is
    /// set to anything but `0` or empty, or there is no home to keep it in.
    public static func user(environment: [String: String] = ProcessInfo.processInfo.environment) -> TokenScanCache? {
        ConfigurationCache.user(environment: environment).map {
            TokenScanCache(directory: ($0.directory as NSString).deletingLastPathComponent + "/scan")
        }
    }

    /// What one scan of `root` for `names` recorded, for the files about
    /// to be scanned: the signature of each known without any of the names.
    struct Known: Sendable {
        let name: String
        /// Per file scanned, in order, its recorded signature.
        let absent: [FileSignature?]
        let count: Int
        /// The time the scan reading it began (seconds since the epoch).
        let start: Int64

        /// True when file `index`, at `path` under the open directory
        /// `root`, is known to hold none of the names: recorded, and its
        /// signature unchanged.
        func isAbsent(_ index: Int, at path: String, in root: Int32) -> Bool {
            guard let recorded = absent[index] else { return false }
            return FileSignature(path: path, in: root) == recorded
        }
    }

    /// What was recorded for a scan of `root` for `names`, for `files`
    /// (tree-relative, in the listing's order); nothing when nothing (or
    /// something unreadable) was.
    func known(root: String, names: Set<String>, files: [String]) -> Known {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let name = Self.fileName(root: root, names: names)
        var absent = [FileSignature?](repeating: nil, count: files.count)
        var count = 0
        if let data = FileManager.default.contents(atPath: directory + "/" + name) {
            count = Self.decode(data, header: Self.header(root: root, names: names), files: files, into: &absent) ?? 0
            if count == 0 { absent = [FileSignature?](repeating: nil, count: files.count) }
        }
        return Known(name: name, absent: absent, count: count, start: Int64(now.tv_sec))
    }

    /// Records the files a scan found without the names (in the order
    /// scanned), with the signatures they were read with; those written
    /// too recently are left out. Writes only when that differs from what
    /// `known` held.
    func record(_ known: Known, root: String, names: Set<String>, files: [String], absent: [FileSignature?]) {
        let settled = absent.map { $0.flatMap { $0.isSettled(before: known.start - settling) ? $0 : nil } }
        if settled == known.absent && settled.count(where: { $0 != nil }) == known.count { return }
        var data = [UInt8](Self.header(root: root, names: names).utf8)
        data.reserveCapacity(data.count + files.count * 100)
        for (path, signature) in zip(files, settled) {
            guard let signature else { continue }
            let bytes = Array(path.utf8)
            Self.append(UInt64(bytes.count), to: &data)
            data += bytes
            for value in [Int64(bitPattern: signature.device), Int64(bitPattern: signature.inode), signature.size,
                          signature.modified, signature.modifiedNanoseconds, signature.changed,
                          signature.changedNanoseconds] {
                Self.append(UInt64(bitPattern: value), to: &data)
            }
        }
        if ConfigurationCache.writeAtomically(Data(data), to: known.name, in: directory) {
            evictOld()
        }
    }

    // MARK: - Form

    /// A text header naming the format, the tool build, the tree and the
    /// names, then per file: its path's length, the path, and the seven
    /// numbers of its signature, each 8 bytes little-endian.
    private static func header(root: String, names: Set<String>) -> String {
        "notifysplit scan cache 1\n\(ConfigurationCache.identity)\n\(root)\n"
            + names.sorted().joined(separator: " ") + "\n"
    }

    private static func fileName(root: String, names: Set<String>) -> String {
        let key = Array(header(root: root, names: names).utf8)
        return key.withUnsafeBytes { ConfigurationCache.digest($0) } + ".scan"
    }

    private static func append(_ value: UInt64, to data: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { data += $0 }
    }

    /// Reads the records of a cache file into `absent`, matched to `files`
    /// by path: both are in the listing's order, so one walk pairs them
    /// (a record of a file no longer listed is passed over). The number
    /// of records; nil when it is not a file of `header` (another tool
    /// build, a torn write).
    private static func decode(_ data: Data, header: String, files: [String],
                               into absent: inout [FileSignature?]) -> Int? {
        let head = Array(header.utf8)
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            guard raw.count >= head.count, raw.prefix(head.count).elementsEqual(head) else { return nil }
            var at = head.count
            func number() -> UInt64? {
                guard at + 8 <= raw.count else { return nil }
                let value = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                at += 8
                return UInt64(littleEndian: value)
            }
            var next = 0
            var records = 0
            while at < raw.count {
                guard let length = number().map(Int.init), length >= 0, at + length + 56 <= raw.count else { return nil }
                let path = UnsafeRawBufferPointer(rebasing: raw[at..<(at + length)])
                at += length
                let device = number()!, inode = number()!
                let values = (Int64(bitPattern: number()!), Int64(bitPattern: number()!), Int64(bitPattern: number()!),
                              Int64(bitPattern: number()!), Int64(bitPattern: number()!))
                records += 1
                // Files before this record's path have none.
                var order = 1
                while next < files.count {
                    order = Self.compare(files[next], path)
                    if order >= 0 { break }
                    next += 1
                }
                guard next < files.count, order == 0 else { continue }
                absent[next] = FileSignature(device: device, inode: inode, size: values.0, modified: values.1,
                                             modifiedNanoseconds: values.2, changed: values.3,
                                             changedNanoseconds: values.4)
                next += 1
            }
            return records
        }
    }

    /// Byte order of a path and a recorded one, as memcmp's sign (the
    /// listing's order for ASCII paths; elsewhere a record may go
    /// unmatched, which only costs a read).
    private static func compare(_ path: String, _ recorded: UnsafeRawBufferPointer) -> Int {
        var path = path
        return path.withUTF8 { bytes in
            let common = min(bytes.count, recorded.count)
            let order = common == 0 ? 0 : Int(memcmp(bytes.baseAddress!, recorded.baseAddress!, common))
            if order != 0 { return order }
            return bytes.count == recorded.count ? 0 : (bytes.count < recorded.count ? -1 : 1)
        }
    }

    /// Keeps the `kept` most recently written scans.
    private func evictOld() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let scans = names.filter { $0.hasSuffix(".scan") && !$0.hasPrefix(".") }
        guard scans.count > Self.kept else { return }
        let byAge = scans.map { name -> (String, Int) in
            var info = stat()
            return (name, stat(directory + "/" + name, &info) == 0 ? Int(info.st_mtim.tv_sec) : 0)
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        for (name, _) in byAge.prefix(scans.count - Self.kept) { unlink(directory + "/" + name) }
    }
}
