import Foundation

/// Finds the `.c` files that define functions of given names, without
/// parsing: the name at file scope, followed by a parameter list that is
/// not a prototype's. A false lead (a macro that expands to a definition's
/// head, an old-style declaration) is ruled out by the parse that follows;
/// a definition the preprocessor writes (`SYSCALL_DEFINE`) is not found.
struct DefinitionScan {
    let tree: KernelTree
    let overlay: TreeOverlay
    let workers: Int
    /// When set, only the files it names are read.
    let index: IdentifierIndex?

    init(tree: KernelTree, overlay: TreeOverlay = TreeOverlay(), workers: Int, index: IdentifierIndex? = nil) {
        self.tree = tree
        self.overlay = overlay
        self.workers = workers
        self.index = index
    }

    /// For each name, the `.c` files where it stands at file scope before
    /// `(…)` not followed by `;`, `,` or `)`.
    func files(defining names: Set<String>) -> [String: [String]] {
        CFileNameSearch.files(of: names, tree: tree, overlay: overlay, workers: workers, index: index) { raw, hit in
            hit.kind == .use && hit.function == nil && Self.startsDefinition(raw, after: hit.end)
        }.mapValues { $0.sorted() }
    }

    /// `name (params)` followed by something other than `;`, `,` or `)`:
    /// a body, attributes, or K&R parameter declarations.
    static func startsDefinition(_ raw: UnsafeRawBufferPointer, after end: Int) -> Bool {
        func skipSpace(_ i: inout Int) {
            while i < raw.count, [UInt8.space, .tab, .newline, .carriageReturn].contains(raw[i]) { i += 1 }
        }
        var i = end
        skipSpace(&i)
        guard i < raw.count, raw[i] == .openParen else { return false }
        var depth = 0
        while i < raw.count {
            if raw[i] == .openParen { depth += 1 }
            if raw[i] == .closeParen {
                depth -= 1
                if depth == 0 { break }
            }
            i += 1
        }
        i += 1
        skipSpace(&i)
        guard i < raw.count else { return false }
        return raw[i] != .semicolon && raw[i] != UInt8(ascii: ",") && raw[i] != .closeParen
    }
}
