import Foundation

/// The token scan of a whole tree: which files mention the notify macros or
/// a wrapper of them, and how.
public struct TreeTokenScan: Sendable {
    /// A macro whose definition mentions a notify macro (or another wrapper).
    public struct Wrapper: Hashable, Sendable {
        public var name: String
        /// The names its body mentions directly.
        public var expandsTo: [String]
        public var path: String
        public var line: Int
    }

    /// Token hits per tree-relative file path (only files with hits).
    public var hits: [String: [TokenHit]]
    /// Wrapper macros found, by name.
    public var wrappers: [String: Wrapper]
    /// Number of files scanned.
    public var filesScanned: Int
    /// Files and directories that could not be read, with the reason.
    public var unreadable: [(path: String, reason: String)]

    /// Scans every `.c`/`.h`/`.S` file for `names`, then again for each
    /// new round of wrappers, until no new wrapper appears.
    /// With `cache`, files an earlier run found without a round's names
    /// and unchanged since are not read.
    public static func run(tree: KernelTree, names: [String], workers: Int,
                           overlay: TreeOverlay = TreeOverlay(), cache: TokenScanCache? = nil) -> TreeTokenScan {
        run(tree: tree, names: names, workers: workers, overlay: overlay, index: nil, cache: cache)
    }

    /// The same, reading in each round only the files `index` says may hold
    /// one of the round's names (the others have no hit to give).
    static func run(tree: KernelTree, names: [String], workers: Int, overlay: TreeOverlay,
                    index: IdentifierIndex?, cache: TokenScanCache? = nil) -> TreeTokenScan {
        var listing = PhaseTimes.measure("  tree walk") { tree.listing }
        listing.files = listing.files.filter { !$0.utf8LastComponent.starts(with: "Kconfig".utf8) }
        if !overlay.isEmpty {
            // Files a series creates or deletes.
            listing.files = Array(Set(listing.files).union(overlay.created).subtracting(overlay.deleted)).sorted()
        }
        var result = TreeTokenScan(hits: [:], wrappers: [:], filesScanned: listing.files.count,
                                   unreadable: listing.unreadableDirectories)
        var searched = Set<String>()
        var round = Set(names)
        var failures: [String: String] = [:]
        while !round.isEmpty {
            searched.formUnion(round)
            let scan = TokenScan(names: round)
            let files = index.map { index in
                let candidates = index.files(mayHoldAnyOf: round)
                return listing.files.filter(candidates.contains)
            } ?? listing.files
            // The cache answers for the files of the tree only, never for
            // the overlay's (a series' files are read from memory).
            let known = index == nil ? cache.map { cache in
                PhaseTimes.measure("  scan cache: read") { cache.known(root: tree.root, names: round, files: files) }
            } : nil
            let root = known == nil ? -1 : open(tree.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            defer { if root >= 0 { close(root) } }
            let perFile = PhaseTimes.measure("  read and search \(files.count) files") {
                parallelMap(Array(files.indices), workers: workers, makeState: { ReadBuffer() }) {
                buffer, at -> (path: String, hits: [TokenHit], failure: String?, absent: FileSignature?) in
                let path = files[at]
                do {
                    if let file = overlay.bytes(of: path) {
                        return (path, file.bytes.withUnsafeBytes { scan.mayContain($0) ? scan.hits(in: $0) : [] }, nil, nil)
                    }
                    if let known, root >= 0, known.isAbsent(at, at: path, in: root) {
                        return (path, [], nil, known.absent[at])
                    }
                    let absolute = tree.absolute(path)
                    // A piece at a time; lexed whole only when a name occurs.
                    var signature: FileSignature?
                    let hits = try buffer.withContents(of: absolute, overlap: max(scan.longestName - 1, 0),
                                                       signature: &signature,
                                                       ifAny: { scan.mayContain($0) }) { scan.hits(in: $0) }
                    return (path, hits ?? [], nil, hits == nil ? signature : nil)
                } catch {
                    return (path, [], "\(error)", nil)
                }
                }
            }
            if let cache, let known {
                PhaseTimes.measure("  scan cache: record") {
                    cache.record(known, root: tree.root, names: round, files: files, absent: perFile.map(\.absent))
                }
            }
            var next = Set<String>()
            for (path, hits, failure, _) in perFile {
                if let failure { failures[path] = failure }
                guard !hits.isEmpty else { continue }
                result.hits[path, default: []] += hits
                for hit in hits {
                    guard case .inMacroBody(let wrapper) = hit.kind else { continue }
                    var entry = result.wrappers[wrapper]
                        ?? Wrapper(name: wrapper, expandsTo: [], path: path, line: hit.line)
                    if !entry.expandsTo.contains(hit.name) { entry.expandsTo.append(hit.name) }
                    result.wrappers[wrapper] = entry
                    if !searched.contains(wrapper) { next.insert(wrapper) }
                }
            }
            round = next
        }
        for path in result.hits.keys {
            result.hits[path]!.sort { $0.start < $1.start }
        }
        result.unreadable += failures.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return result
    }

    /// The notify macros a name ultimately expands to (itself for a macro).
    public func targets(of name: String, macros: Set<String>) -> [String] {
        if macros.contains(name) { return [name] }
        var result: [String] = []
        var seen: Set<String> = [name]
        var queue = [name]
        while let current = queue.popLast() {
            for next in wrappers[current]?.expandsTo ?? [] where seen.insert(next).inserted {
                if macros.contains(next) { result.append(next) } else { queue.append(next) }
            }
        }
        return result.sorted()
    }
}
