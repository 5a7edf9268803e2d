import Foundation

/// Lists a tree's source files without following symbolic links (so a link
/// loop or a link out of the tree is never entered), in a stable order.
public struct TreeWalker {
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

    public func list() -> Listing {
        var listing = Listing(files: [], unreadableDirectories: [])
        walk("", into: &listing)
        listing.files.sort()
        return listing
    }

    private func walk(_ relative: String, into listing: inout Listing) {
        let path = relative.isEmpty ? root : root + "/" + relative
        guard let directory = opendir(path) else {
            listing.unreadableDirectories.append((relative, String(cString: strerror(errno))))
            return
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
            let child = relative.isEmpty ? name : relative + "/" + name
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
        for subdirectory in subdirectories { walk(subdirectory, into: &listing) }
    }
}
