import Foundation

/// A Linux source tree as people have it: an unpacked tarball or a git
/// checkout, configured or not.
public struct KernelTree: Sendable {
    /// Absolute, symlink-resolved path of the tree's top directory.
    public let root: String
    /// VERSION.PATCHLEVEL.SUBLEVEL from the top Makefile, e.g. 6.1.192.
    public let version: KernelVersion
    /// Path of `include/linux/mmu_notifier.h` relative to the root.
    public static let notifierHeader = "include/linux/mmu_notifier.h"
    /// The tree's files, walked once and shared (the token scan and the
    /// synthetic configuration both need them).
    private let listingCache = ListingCache()

    /// Every source file (`.c`, `.h`, `.S`) and every `Kconfig*` file,
    /// from one walk of the tree, made the first time it is asked for;
    /// build artifacts (`include/config/`, generated headers) left out.
    public var listing: TreeWalker.Listing { listingCache.listing(root: root) }

    /// Recognises `path` as a kernel tree, or says in one sentence why not.
    public init(path: String) throws(NotifySplitError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
                throw .usage("\(path): a symbolic link that does not resolve (dangling or a loop)")
            }
            throw .usage("\(path): no such file or directory")
        }
        guard isDirectory.boolValue else {
            throw .usage("\(path): not a directory; give the top directory of a kernel tree")
        }
        guard let resolved = realpath(path, nil) else {
            throw .usage("\(path): cannot resolve the path (\(String(cString: strerror(errno))))")
        }
        root = String(cString: resolved)
        free(resolved)
        let makefile = root + "/Makefile"
        let text = try? String(contentsOfFile: makefile, encoding: .isoLatin1)
        guard let version = text.flatMap(KernelVersion.init(makefile:)) else {
            let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
            let below = Self.kernelTrees(below: root)
            if below.count == 1 {
                throw .usage("\(path): not a kernel tree (did you mean \(trimmed)/\(below[0])?)")
            }
            if below.count > 1 {
                throw .usage("\(path): not a kernel tree (it holds several: "
                             + below.map { "\(trimmed)/\($0)" }.joined(separator: ", ") + ")")
            }
            throw .usage(text == nil ? "\(path): not a kernel tree (no readable top-level Makefile)"
                         : "\(path): not a kernel tree (the top-level Makefile sets no VERSION/PATCHLEVEL)")
        }
        self.version = version
        guard FileManager.default.fileExists(atPath: root + "/" + Self.notifierHeader) else {
            throw .usage("\(path): kernel \(version) has no \(Self.notifierHeader); nothing to convert")
        }
    }

    /// The subdirectories (one or two levels down, symbolic links not
    /// followed) whose Makefile sets VERSION and PATCHLEVEL: a repository
    /// that keeps the kernel one directory down.
    static func kernelTrees(below root: String) -> [String] {
        func isKernel(_ relative: String) -> Bool {
            guard let text = try? String(contentsOfFile: root + "/" + relative + "/Makefile", encoding: .isoLatin1)
            else { return false }
            return KernelVersion(makefile: text) != nil
        }
        func directories(_ relative: String) -> [String] {
            let path = relative.isEmpty ? root : root + "/" + relative
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.sorted().filter { !$0.hasPrefix(".") }.map { relative.isEmpty ? $0 : relative + "/" + $0 }
                .filter { child in
                    var info = stat()
                    return lstat(root + "/" + child, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                }
        }
        let first = directories("")
        let found = first.filter(isKernel)
        if !found.isEmpty { return found }
        return first.flatMap(directories).filter(isKernel)
    }

    /// Absolute path of a tree-relative path.
    public func absolute(_ relative: String) -> String { root + "/" + relative }

    /// Tree-relative path of an absolute path inside the tree (others unchanged).
    public func relative(_ absolute: String) -> String {
        absolute.hasPrefix(root + "/") ? String(absolute.dropFirst(root.count + 1)) : absolute
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: absolute(relative))
    }

    public func isDirectory(_ relative: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(relative), isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    /// A tree file's contents as text; kernel files may hold non-UTF-8 bytes,
    /// so this is only for Makefiles, Kbuild files and headers we read.
    public func text(_ relative: String) -> String? {
        guard let data = FileManager.default.contents(atPath: absolute(relative)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// VERSION.PATCHLEVEL.SUBLEVEL of a tree.
public struct KernelVersion: Comparable, Sendable, CustomStringConvertible {
    public var version: Int
    public var patchLevel: Int
    public var subLevel: Int

    public init(_ version: Int, _ patchLevel: Int, _ subLevel: Int = 0) {
        self.version = version
        self.patchLevel = patchLevel
        self.subLevel = subLevel
    }

    /// Reads `VERSION = 6`, `PATCHLEVEL = 1`, `SUBLEVEL = 192` from the top Makefile.
    init?(makefile: String) {
        var values: [String: Int] = [:]
        for line in makefile.split(separator: "\n", omittingEmptySubsequences: true).prefix(40) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if ["VERSION", "PATCHLEVEL", "SUBLEVEL"].contains(key) {
                values[key] = Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        guard let v = values["VERSION"], let p = values["PATCHLEVEL"] else { return nil }
        self.init(v, p, values["SUBLEVEL"] ?? 0)
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.version, a.patchLevel, a.subLevel) < (b.version, b.patchLevel, b.subLevel)
    }

    public var description: String { "\(version).\(patchLevel).\(subLevel)" }
}

/// Holds a tree's one walk; thread-safe.
final class ListingCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: TreeWalker.Listing?

    func listing(root: String) -> TreeWalker.Listing {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let listing = TreeWalker(root: root) { name in
            name.utf8HasPrefix("Kconfig") || name.utf8HasSuffix(".c") || name.utf8HasSuffix(".h")
                || name.utf8HasSuffix(".S")
        } skips: { relative in
            BuildArtifacts.isArtifactDirectory(relative) || BuildArtifacts.isArtifactFile(relative)
        }.list()
        cached = listing
        return listing
    }
}
