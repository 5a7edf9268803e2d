import Clang
import Foundation

/// Functions defined in other files of the tree, for calls a translation
/// unit only declares (`folio_mapped()` called in kernel/events/uprobes.c,
/// defined in mm/util.c). Found with the token scan — the name at file
/// scope of a `.c` file, followed by a parameter list that is not a
/// prototype's — then parsed with the tree's configuration and summarised
/// from the body, once per run: the conversion's workers share the cache.
final class TreeFunctionDefinitions: @unchecked Sendable {
    /// What the tree says about one name.
    enum Resolution: Sendable {
        /// Defined in these files; the summary is the union over them (a
        /// function may have one definition per architecture or `#ifdef`).
        case defined(CalleeSummary, files: [String])
        /// No `.c` file of the tree defines it where the tool can see (a
        /// macro-generated or assembly definition, or none at all).
        case notFound
    }

    /// Candidate files parsed per name at most: one definition per
    /// configuration is the norm; a name defined in more files than this is
    /// an architecture hook, and only the files the configuration builds
    /// are kept before the cap applies.
    static let maximumFiles = 4

    let tree: KernelTree
    let parser: FileParser
    let workers: Int
    /// The tree's notifier dispatch functions (`mmu_notifier_change_pte()`,
    /// `__mmu_notifier_invalidate_page()`, learnt from its mmu_notifier.h):
    /// they hand the event to the secondary MMUs' callbacks, which keep
    /// their own mappings and never write the primary page tables or drop
    /// the primary's page references — so they are not followed.
    let notifierCalls: Set<String>
    private let lock = NSLock()
    private var cache: [Key: Resolution] = [:]

    private struct Key: Hashable {
        var name: String
        var depth: Int
    }

    init(tree: KernelTree, parser: FileParser, workers: Int, notifiers: NotifierNames) {
        self.tree = tree
        self.parser = parser
        self.workers = workers
        notifierCalls = Set(notifiers.dispatch.keys.flatMap { [$0, "__" + $0] })
    }

    /// The resolution of each name, its definitions summarised `depth`
    /// calls deep. One pass over the tree finds the names not yet known.
    func resolve(_ names: Set<String>, depth: Int) -> [String: Resolution] {
        var result: [String: Resolution] = [:]
        var missing: [String] = []
        lock.withLock {
            for name in names {
                if let known = cache[Key(name: name, depth: depth)] { result[name] = known } else { missing.append(name) }
            }
        }
        guard !missing.isEmpty else { return result }
        let files = PhaseTimes.measure("    find \(missing.sorted().joined(separator: " "))") {
            DefinitionScan(tree: tree, workers: workers).files(defining: Set(missing))
        }
        for name in missing.sorted() {
            let resolution = PhaseTimes.measure("    read \(name) (depth \(depth))") {
                summarise(name, in: files[name] ?? [], depth: depth)
            }
            lock.withLock { cache[Key(name: name, depth: depth)] = resolution }
            result[name] = resolution
        }
        return result
    }

    // MARK: - Finding the files

    /// Keeps the files the configuration builds, when some are, then the
    /// first few in path order.
    private func preferred(_ files: [String]) -> [String] {
        let built = files.filter { path in parser.arguments.attempts(forFile: path).contains { $0.unusable == nil } }
        return Array((built.isEmpty ? files : built).sorted().prefix(Self.maximumFiles))
    }

    // MARK: - Summarising

    private func summarise(_ name: String, in files: [String], depth: Int) -> Resolution {
        var summary = CalleeSummary()
        var defining: [String] = []
        for path in preferred(files) {
            let index = Index()
            guard let unit = try? parser.parse(path, index: index) else { continue }
            let summaries = CalleeSummaries(definitions: self)
            var found = false
            unit.cursor.visitChildren { child in
                if child.kind == .functionDecl, child.isDefinition, child.spelling == name, child.isInMainFile {
                    summary.merge(summaries.summary(of: child, depth: depth))
                    found = true
                }
                return .continue
            }
            if found { defining.append(path) }
        }
        return defining.isEmpty ? .notFound : .defined(summary, files: defining)
    }
}
