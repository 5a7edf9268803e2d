import Foundation

/// `check`: every use of each notify macro anywhere in the tree, by the
/// token scan (so uses in `#if` branches any configuration compiles count
/// too), and whether the macro can be deleted.
public struct TreeCheck: Sendable {
    public enum State: String, Sendable {
        /// No use left; definitions remain to delete.
        case deletable
        /// Still used.
        case inUse = "in-use"
        /// Neither used nor defined any more.
        case gone
        /// Some file could not be read: no answer.
        case unknown
    }

    public struct Use: Hashable, Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        public var function: String?
        /// The wrapper the use goes through, or the wrapper whose
        /// definition mentions the macro.
        public var via: String?
        /// True for a mention in a wrapper's `#define` body.
        public var inWrapperDefinition: Bool
    }

    public struct Definition: Hashable, Sendable {
        public var path: String
        public var firstLine: Int
        public var lastLine: Int
        /// "notifier", "stub", "other", or "definition" outside the header.
        public var form: String
        public var conditions: [String]
    }

    public struct Mention: Hashable, Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        /// "comment" or "documentation".
        public var kind: String
    }

    public struct MacroResult: Sendable {
        public var name: String
        public var state: State
        public var uses: [Use]
        public var definitions: [Definition]
        public var mentions: [Mention]
    }

    public var tree: KernelTree
    public var macros: [MacroResult]
    public var unreadable: [(path: String, reason: String)]
    public var filesScanned: Int
    /// True when checked against a series applied in memory.
    public var series: String?

    public var isComplete: Bool { macros.allSatisfy { $0.state == .deletable || $0.state == .gone } }

    public static func run(tree: KernelTree, macroNames: [String], workers: Int = defaultWorkerCount,
                           overlay: TreeOverlay = TreeOverlay(), series: String? = nil) throws(NotifySplitError) -> TreeCheck {
        let header = KernelTree.notifierHeader
        let headerBytes: [UInt8]
        if let bytes = overlay.files[header] {
            headerBytes = bytes
        } else if overlay.deleted.contains(header) {
            headerBytes = []
        } else {
            do { headerBytes = try FileBytes(path: tree.absolute(header)).bytes } catch { throw .io("\(error)") }
        }
        let model = MacroModel(headerBytes: headerBytes, names: macroNames)
        let tokens = PhaseTimes.measure("token scan") {
            TreeTokenScan.run(tree: tree, names: macroNames, workers: workers, overlay: overlay)
        }
        let documentation = PhaseTimes.measure("Documentation/ mentions") {
            documentationMentions(tree: tree, names: macroNames, overlay: overlay)
        }
        let macroSet = Set(macroNames)

        var results: [MacroResult] = []
        for name in macroNames {
            var uses: [Use] = []
            var definitions: [Definition] = []
            var mentions: [Mention] = documentation[name] ?? []
            for (path, hits) in tokens.hits.sorted(by: { $0.key < $1.key }) {
                for hit in hits {
                    let targets = tokens.targets(of: hit.name, macros: macroSet)
                    switch hit.kind {
                    case .use where targets.contains(name):
                        uses.append(Use(path: path, line: hit.line, column: hit.column, function: hit.function,
                                        via: hit.name == name ? nil : hit.name, inWrapperDefinition: false))
                    case .inMacroBody(let wrapper) where targets.contains(name):
                        uses.append(Use(path: path, line: hit.line, column: hit.column, function: nil,
                                        via: wrapper, inWrapperDefinition: true))
                    case .definition where hit.name == name && path != header:
                        definitions.append(Definition(path: path, firstLine: hit.line, lastLine: hit.line,
                                                      form: "definition", conditions: []))
                    case .comment where hit.name == name:
                        mentions.append(Mention(path: path, line: hit.line, column: hit.column, kind: "comment"))
                    default: break
                    }
                }
            }
            for definition in model[name]?.definitions ?? [] {
                definitions.append(Definition(path: header, firstLine: definition.lines.lowerBound,
                                              lastLine: definition.lines.upperBound, form: definition.form.rawValue,
                                              conditions: definition.conditions))
            }
            definitions.sort { ($0.path, $0.firstLine) < ($1.path, $1.firstLine) }
            let state: State = !tokens.unreadable.isEmpty ? .unknown
                : !uses.isEmpty ? .inUse : definitions.isEmpty ? .gone : .deletable
            results.append(MacroResult(name: name, state: state, uses: uses, definitions: definitions,
                                       mentions: mentions.sorted { ($0.path, $0.line, $0.column) < ($1.path, $1.line, $1.column) }))
        }
        return TreeCheck(tree: tree, macros: results, unreadable: tokens.unreadable,
                         filesScanned: tokens.filesScanned, series: series)
    }

    /// Mentions in `Documentation/` (any text file): notes that go stale.
    static func documentationMentions(tree: KernelTree, names: [String],
                                      overlay: TreeOverlay) -> [String: [Mention]] {
        guard tree.isDirectory("Documentation") else { return [:] }
        let files = TreeWalker(root: tree.absolute("Documentation")) { !$0.hasPrefix(".") }.list().files
        let needles = names.map { ($0, Array($0.utf8)) }
        let searches = needles.map { NeedleSearch($0.1) }
        // Read into a per-worker buffer, in parallel; only a file holding a
        // name is copied and gone through line by line.
        let perFile = parallelMap(files, workers: defaultWorkerCount, makeState: { ReadBuffer() }) {
            buffer, file -> [(String, Mention)] in
            let path = "Documentation/" + file
            let contains = { (raw: UnsafeRawBufferPointer) in
                raw.count > 0 && searches.contains { $0.firstOccurrence(in: raw.baseAddress!, count: raw.count) != nil }
            }
            let bytes: [UInt8]
            if let file = overlay.files[path] {
                guard file.withUnsafeBytes(contains) else { return [] }
                bytes = file
            } else {
                let overlap = max((needles.map(\.1.count).max() ?? 1) - 1, 0)
                guard let found = try? buffer.withContents(of: tree.absolute(path), overlap: overlap, ifAny: contains,
                                                           { Array($0) }) else { return [] }
                bytes = found
            }
            var mentions: [(String, Mention)] = []
            var line = 1, lineStart = 0
            for i in bytes.indices {
                if bytes[i] == .newline { line += 1; lineStart = i + 1; continue }
                for (name, needle) in needles where bytes[i] == needle[0] && i + needle.count <= bytes.count
                    && Array(bytes[i..<(i + needle.count)]) == needle
                    && (i == 0 || !CLexer.isIdentifierByte(bytes[i - 1]))
                    && (i + needle.count == bytes.count || !CLexer.isIdentifierByte(bytes[i + needle.count])) {
                    mentions.append((name, Mention(path: path, line: line, column: i - lineStart + 1,
                                                   kind: "documentation")))
                }
            }
            return mentions
        }
        var result: [String: [Mention]] = [:]
        for (name, mention) in perFile.joined() { result[name, default: []].append(mention) }
        return result
    }
}
