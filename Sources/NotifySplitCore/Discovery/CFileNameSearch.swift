import Foundation

/// One pass over the tree's `.c` files (as an overlay changes them) for the
/// places some names stand in code: the byte search first, then the token
/// scan of the files that hold one, each hit kept or not by `accepts`. With
/// an identifier index, only the files it names are read (or only the
/// `candidates` given, when the caller's question narrows them further).
enum CFileNameSearch {
    /// Per name, the files where `accepts` kept one of its hits.
    static func files(of names: Set<String>, tree: KernelTree, overlay: TreeOverlay, workers: Int,
                      index: IdentifierIndex? = nil, candidates: Set<String>? = nil,
                      accepting accepts: @escaping @Sendable (UnsafeRawBufferPointer, TokenHit) -> Bool)
        -> [String: Set<String>] {
        guard !names.isEmpty else { return [:] }
        let scan = TokenScan(names: names)
        var files = tree.listing.files.filter { $0.hasSuffix(".c") }
        if !overlay.isEmpty {
            files = Array(Set(files).union(overlay.created.filter { $0.hasSuffix(".c") }).subtracting(overlay.deleted))
                .sorted()
        }
        if let candidates {
            // The caller's narrower index: the others have no hit it accepts.
            files = files.filter(candidates.contains)
        } else if let index {
            // The others hold none of the names.
            let candidates = index.files(mayHoldAnyOf: names)
            files = files.filter(candidates.contains)
        }
        let found = parallelMap(files, workers: workers, makeState: { ReadBuffer() }) {
            buffer, path -> (String, Set<String>) in
            func test(_ raw: UnsafeRawBufferPointer) -> Set<String> {
                guard scan.mayContain(raw) else { return [] }
                return Set(scan.hits(in: raw).filter { accepts(raw, $0) }.map(\.name))
            }
            if let bytes = overlay.files[path] { return (path, bytes.withUnsafeBytes(test)) }
            return (path, (try? buffer.withContents(of: tree.absolute(path), test)) ?? [])
        }
        var result: [String: Set<String>] = [:]
        for (path, names) in found {
            for name in names { result[name, default: []].insert(path) }
        }
        return result
    }
}
