import Foundation

/// Lists a tree's source files without following symbolic links (so a link
/// loop or a link out of the tree is never entered), in a stable order.
public struct TreeWalker: Sendable {
    public struct Listing: Sendable {
        /// Tree-relative paths of the matching regular files, sorted.
        public var files: [String]
        /// Directories that could not be read, with the reason.
        public var unreadableDirectories: [(path: String, reason: String)]
    }

    public let root: String
    /// Which file names to list.
    public let accepts: @Sendable (String) -> Bool
    /// Which tree-relative paths (directories and files) to leave out.
    public let skips: @Sendable (String) -> Bool

    /// Lists the files whose name ends in one of `extensions`.
    public init(root: String, extensions: Set<String> = ["c", "h", "S"]) {
        self.init(root: root) { name in
            guard let dot = name.lastIndex(of: ".") else { return false }
            return extensions.contains(String(name[name.index(after: dot)...]))
        }
    }

    public init(root: String, accepts: @escaping @Sendable (String) -> Bool,
                skips: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.root = root
        self.accepts = accepts
        self.skips = skips
    }

    /// Lists the tree on `workers` threads: each takes the next directory
    /// still to read from a shared stack (the kernel's 5000 directories
    /// keep two cores busy), the listing is sorted afterwards.
    ///
    /// The order is String's order of the paths, built without comparing
    /// whole paths (that sort was a sixth of check's instructions on 6.12):
    /// each directory's entries are sorted where it is read, a directory
    /// keyed by its name and a slash, and the directories are then walked
    /// in that order. For ASCII names this is the order of the paths'
    /// bytes, which is String's (ASCII is its own NFC): two paths differ
    /// first inside the entries of the directory they share, where the
    /// slash after a directory's name stands where the path goes on. A tree
    /// with any other name is sorted whole, as String sorts.
    public func list(workers: Int = defaultWorkerCount) -> Listing {
        let queue = DirectoryQueue(first: "")
        let gathered = Gathered()
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            var part = Part()
            while let relative = queue.next() {
                queue.finished(adding: read(relative, into: &part))
            }
            gathered.add(part)
        }
        let part = gathered.part
        var listing = Listing(files: [], unreadableDirectories: part.unreadableDirectories)
        listing.files.reserveCapacity(part.fileCount)
        if part.allASCII {
            func visit(_ directory: String) {
                for entry in part.directories[directory] ?? [] {
                    if entry.isDirectory { visit(entry.path) } else { listing.files.append(entry.path) }
                }
            }
            visit("")
        } else {
            for entries in part.directories.values {
                for entry in entries where !entry.isDirectory { listing.files.append(entry.path) }
            }
            listing.files.sort()
        }
        listing.unreadableDirectories.sort { $0.path < $1.path }
        return listing
    }

    /// One directory entry: a listed file or a subdirectory to walk.
    struct Entry {
        /// The name, and a slash after a directory's.
        var key: String
        var path: String
        var isDirectory: Bool
    }

    /// What one thread read.
    struct Part {
        /// Each directory read, by path, with its entries in key order.
        var directories: [String: [Entry]] = [:]
        var unreadableDirectories: [(path: String, reason: String)] = []
        var fileCount = 0
        /// Every name met is ASCII.
        var allASCII = true
    }

    /// Reads one directory: its files into `listing`, its subdirectories
    /// returned.
    private func read(_ relative: String, into part: inout Part) -> [String] {
        let path = relative.isEmpty ? root : root + "/" + relative
        guard let directory = opendir(path) else {
            part.unreadableDirectories.append((relative, String(cString: strerror(errno))))
            return []
        }
        defer { closedir(directory) }
        var subdirectories: [String] = []
        var entries: [Entry] = []
        defer {
            entries.sort { $0.key < $1.key }
            part.directories[relative] = entries
        }
        // d_name read in place: the record readdir() returns may end before
        // the 256 bytes of dirent's d_name (copying the field read past the
        // end of the directory buffer; AddressSanitizer found it).
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(directory) {
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: nameOffset)
                .assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." || name == ".git" { continue }
            // A file whose name is not listed needs no path (most of the
            // tree's other files: Makefiles, documentation, scripts).
            if entry.pointee.d_type == UInt8(DT_REG), !accepts(name) { continue }
            var child = relative
            if !relative.isEmpty {
                child.reserveCapacity(relative.utf8.count + 1 + name.utf8.count)
                child += "/"
                child += name
            } else {
                child = name
            }
            if skips(child) { continue }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard lstat(root + "/" + child, &info) == 0 else { continue }
                type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR)
                    : (info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : UInt8(DT_LNK)
            }
            if type == UInt8(DT_DIR) {
                subdirectories.append(child)
                entries.append(Entry(key: name + "/", path: child, isDirectory: true))
            } else if type == UInt8(DT_REG), accepts(name) {
                entries.append(Entry(key: name, path: child, isDirectory: false))
                part.fileCount += 1
            } else {
                continue
            }
            if part.allASCII, !name.utf8.allSatisfy({ $0 < 0x80 }) { part.allASCII = false }
        }
        return subdirectories
    }
}

/// The directories still to read, shared by the walk's threads; `next()`
/// waits while another thread may still add some.
private final class DirectoryQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [String]
    /// Directories handed out and not yet finished.
    private var reading = 0

    init(first: String) { waiting = [first] }

    func next() -> String? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty {
            if reading == 0 { return nil }
            condition.wait()
        }
        reading += 1
        return waiting.removeLast()
    }

    func finished(adding subdirectories: [String]) {
        condition.lock()
        waiting += subdirectories
        reading -= 1
        condition.broadcast()
        condition.unlock()
    }
}

/// The threads' listings, joined.
private final class Gathered: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var part = TreeWalker.Part()

    func add(_ other: TreeWalker.Part) {
        lock.lock()
        defer { lock.unlock() }
        part.directories.merge(other.directories) { first, _ in first }
        part.unreadableDirectories += other.unreadableDirectories
        part.fileCount += other.fileCount
        part.allASCII = part.allASCII && other.allASCII
    }
}
