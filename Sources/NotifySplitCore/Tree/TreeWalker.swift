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
    public func list(workers: Int = defaultWorkerCount) -> Listing {
        let queue = DirectoryQueue(first: "")
        let gathered = Gathered()
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            var listing = Listing(files: [], unreadableDirectories: [])
            while let relative = queue.next() {
                queue.finished(adding: read(relative, into: &listing))
            }
            gathered.add(listing)
        }
        var listing = gathered.listing
        listing.files.sort()
        listing.unreadableDirectories.sort { $0.path < $1.path }
        return listing
    }

    /// Reads one directory: its files into `listing`, its subdirectories
    /// returned.
    private func read(_ relative: String, into listing: inout Listing) -> [String] {
        let path = relative.isEmpty ? root : root + "/" + relative
        guard let directory = opendir(path) else {
            listing.unreadableDirectories.append((relative, String(cString: strerror(errno))))
            return []
        }
        defer { closedir(directory) }
        var subdirectories: [String] = []
        // d_name read in place: the record readdir() returns may end before
        // the 256 bytes of dirent's d_name (copying the field read past the
        // end of the directory buffer; AddressSanitizer found it).
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(directory) {
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: nameOffset)
                .assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." || name == ".git" { continue }
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
            } else if type == UInt8(DT_REG), accepts(name) {
                listing.files.append(child)
            }
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
    private(set) var listing = TreeWalker.Listing(files: [], unreadableDirectories: [])

    func add(_ part: TreeWalker.Listing) {
        lock.lock()
        defer { lock.unlock() }
        listing.files += part.files
        listing.unreadableDirectories += part.unreadableDirectories
    }
}
