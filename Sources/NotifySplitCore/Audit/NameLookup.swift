import Foundation

/// Finds where names are used in the tree with the token scan (comments
/// and strings left out, wrapper macros followed): the files to parse for a
/// function's callers, the files that mention a callback field. Each round
/// looks up a batch of names; with an identifier index (the audit's, built
/// once per run) it reads only the files that may hold one of them, else
/// the whole tree.
struct NameLookup {
    let tree: KernelTree
    let overlay: TreeOverlay
    let workers: Int
    var index: IdentifierIndex? = nil
    /// Without an index: files an earlier run found without a batch's
    /// names, and unchanged since, are not read (`TokenScanCache`).
    var cache: TokenScanCache? = nil

    /// A use of a name: the file, and the function the token scan places it
    /// in (for header inlines, which are parsed in the files that include
    /// them).
    struct Use: Hashable {
        var path: String
        var function: String?
    }

    /// For each name, its uses in code (through wrapper macros too).
    func uses(of names: Set<String>) -> (uses: [String: Set<Use>], unreadable: [(path: String, reason: String)]) {
        guard !names.isEmpty else { return ([:], []) }
        let scan = TreeTokenScan.run(tree: tree, names: names.sorted(), workers: workers, overlay: overlay, index: index,
                                     cache: cache)
        var result: [String: Set<Use>] = [:]
        for (path, hits) in scan.hits {
            for hit in hits where hit.kind == .use {
                for name in scan.targets(of: hit.name, macros: names) {
                    result[name, default: []].insert(Use(path: path, function: hit.function))
                }
            }
        }
        return (result, scan.unreadable)
    }

    /// `.c` files that call through a field of one of `fields`:
    /// `->rmap_one(`, `.rmap_one(`, `(*x->rmap_one)(` — not the files that
    /// only fill it in (`.rmap_one = f`). Wrapper macros are not followed: a
    /// macro mentioning a field does not wrap a function. With the index,
    /// only the files whose field-call fingerprints hold a name are read
    /// (`FieldCallShape` mirrors `isFieldCall`).
    func files(callingFields fields: Set<String>) -> [String: Set<String>] {
        CFileNameSearch.files(of: fields, tree: tree, overlay: overlay, workers: workers, index: index,
                              candidates: index?.files(mayCallThroughAnyOf: fields)) { raw, hit in
            hit.kind == .use && Self.isFieldCall(raw, hit)
        }
    }

    /// For each name, the `.c` files that may define a function of it
    /// (`DefinitionScan`).
    func files(defining names: Set<String>) -> [String: [String]] {
        DefinitionScan(tree: tree, overlay: overlay, workers: workers, index: index).files(defining: names)
    }

    /// `->name` or `.name` followed by `(` or `)(`. `FieldCallShape` reads
    /// the same bytes for the index: change both together.
    private static func isFieldCall(_ raw: UnsafeRawBufferPointer, _ hit: TokenHit) -> Bool {
        func isSpace(_ b: UInt8) -> Bool { b == .space || b == .tab || b == .newline || b == .carriageReturn }
        var i = hit.start - 1
        while i >= 0, isSpace(raw[i]) { i -= 1 }
        guard i >= 0 else { return false }
        let member = raw[i] == UInt8(ascii: ".") || (raw[i] == UInt8(ascii: ">") && i > 0 && raw[i - 1] == UInt8(ascii: "-"))
        guard member else { return false }
        var j = hit.end
        while j < raw.count, isSpace(raw[j]) { j += 1 }
        if j < raw.count, raw[j] == .closeParen {
            j += 1
            while j < raw.count, isSpace(raw[j]) { j += 1 }
        }
        return j < raw.count && raw[j] == .openParen
    }

    /// Files (`.c` and `.h`) in which every group has a name used in code:
    /// `[["i_mmap_lock"], ["address_space"]]`. Each file is first tested for
    /// the rarest group with the byte search, then lexed once.
    func files(mentioningAll groups: [[String]]) -> [String] {
        guard !groups.isEmpty else { return [] }
        let ordered = groups.sorted { ($0.map(\.count).max() ?? 0) > ($1.map(\.count).max() ?? 0) }
        let prefilters = ordered.map { TokenScan(names: $0) }
        let all = TokenScan(names: groups.flatMap { $0 })
        var files = tree.listing.files.filter { $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        if !overlay.isEmpty {
            files = Array(Set(files).union(overlay.created).subtracting(overlay.deleted)).sorted()
        }
        if let index {
            // A file lacking every name of a group cannot have it used.
            for group in groups {
                let candidates = index.files(mayHoldAnyOf: group)
                files = files.filter(candidates.contains)
            }
        }
        let found = parallelMap(files, workers: workers, makeState: { ReadBuffer() }) { buffer, path -> String? in
            func test(_ raw: UnsafeRawBufferPointer) -> Bool {
                guard prefilters.allSatisfy({ $0.mayContain(raw) }) else { return false }
                let used = Set(all.hits(in: raw).filter { $0.kind == .use }.map(\.name))
                return groups.allSatisfy { group in group.contains(where: used.contains) }
            }
            if let bytes = overlay.files[path] { return bytes.withUnsafeBytes(test) ? path : nil }
            return ((try? buffer.withContents(of: tree.absolute(path), test)) ?? false) ? path : nil
        }
        return found.compactMap { $0 }
    }
}
