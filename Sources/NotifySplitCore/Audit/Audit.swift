import Foundation

/// `audit`: for every notifier call of a tree (as a series would leave it),
/// the atomic contexts it can run in — the locks held at the call in its
/// function and, up a chain of callers, at each call towards it — and
/// which locks keep which calls atomic, with every site of each.
public enum Audit {
    public struct Options: Sendable {
        /// How many callers up each chain is followed.
        public var depth: Int
        public var workers: Int
        /// The configuration's architecture: other architectures' files are
        /// callers in another configuration, not parsed.
        public var architecture: String?
        /// The `--series` directory, for the report.
        public var series: String?
        /// Audit only the notifier calls of these functions (path, name):
        /// convert asks about the functions it converted.
        public var onlyFunctions: Set<Only>?
        /// Look for every site of each atomic lock (off for convert).
        public var inventory: Bool
        /// The token scan's record of files without some names, for the
        /// lookup made before the identifier index (nil: none).
        public var scanCache: TokenScanCache?

        public struct Only: Hashable, Sendable {
            public var path: String
            public var function: String
            public init(path: String, function: String) {
                self.path = path
                self.function = function
            }
        }

        public init(depth: Int = 4, workers: Int = defaultWorkerCount, architecture: String? = nil,
                    series: String? = nil, onlyFunctions: Set<Only>? = nil, inventory: Bool = true,
                    scanCache: TokenScanCache? = nil) {
            self.depth = depth
            self.workers = workers
            self.architecture = architecture
            self.series = series
            self.onlyFunctions = onlyFunctions
            self.inventory = inventory
            self.scanCache = scanCache
        }
    }

    public static func run(tree: KernelTree, arguments: any CompileArgumentsProvider, overlay: TreeOverlay = TreeOverlay(),
                           options: Options) throws(NotifySplitError) -> AuditResult {
        let header = KernelTree.notifierHeader
        let headerBytes: [UInt8]
        if let bytes = overlay.files[header] {
            headerBytes = bytes
        } else {
            do { headerBytes = try FileBytes(path: tree.absolute(header)).bytes } catch { throw .io(error.description) }
        }
        let names = NotifierNames.learn(headerBytes: headerBytes)
        try arguments.prepared()
        let graph = CallerGraph(tree: tree, provider: arguments, overlay: overlay, names: names,
                                architecture: options.architecture, workers: options.workers,
                                scanCache: options.scanCache)

        // The notifier calls: files using a notifier name, header inlines
        // using one. Asked only about functions of given .c files (convert
        // asks about those it converted), those files are the candidates:
        // no search of the tree finds more (a use elsewhere is not asked
        // about, and a candidate's calls are read from its parse).
        var candidates = Set<String>()
        var headerFunctions = Set<String>()
        let onlyFiles = options.onlyFunctions.map { Set($0.map(\.path)) }
        let searched: Set<String>
        if let onlyFiles, onlyFiles.allSatisfy({ $0.hasSuffix(".c") }) {
            candidates = onlyFiles
            searched = []
        } else {
            graph.look(up: names.allNames)
            searched = names.allNames
        }
        for name in searched {
            for use in graph.uses[name] ?? [] where use.path != header {
                if let only = options.onlyFunctions, !only.contains(where: { $0.path == use.path }) { continue }
                if use.path.hasSuffix(".c") {
                    candidates.insert(use.path)
                } else if use.path.hasSuffix(".h"), let function = use.function {
                    headerFunctions.insert(function)
                }
            }
        }
        graph.parse(candidates, thenWant: headerFunctions)
        for path in candidates.sorted() {
            if let reason = graph.isUnusable(path) { graph.note("\(path) is not audited: \(reason)") }
        }

        // Callers, level by level, until every function within the depth
        // has its callers or cannot have them.
        var depthOf: [FunctionKey: Int] = [:]
        func notifierFunctions() -> [FunctionFacts] {
            graph.functions.values.filter { function in
                !function.notifierCalls.isEmpty && function.key.path != header
                    && (options.onlyFunctions.map { $0.contains(Options.Only(path: function.key.path,
                                                                             function: function.key.name)) } ?? true)
            }
        }
        for _ in 0..<(16 * (options.depth + 2)) {
            for function in notifierFunctions() where depthOf[function.key] == nil {
                depthOf[function.key] = 0
                for call in function.notifierCalls {
                    graph.addRelevant(function.key, .init(node: call.node, item: call.eventIndex))
                }
            }
            var needs = CallerGraph.Needs()
            var progress = false
            for (key, depth) in depthOf.sorted(by: { $0.key < $1.key }) where depth < options.depth {
                guard graph.resolved[key] == nil else { continue }
                if let callers = graph.callers(of: key, needs: &needs) {
                    progress = true
                    for edge in callers.edges {
                        if (depthOf[edge.caller] ?? Int.max) > depth + 1 { depthOf[edge.caller] = depth + 1 }
                        if let call = graph.functions[edge.caller]?.calls[edge.call] {
                            graph.addRelevant(edge.caller, .init(node: call.node, item: call.eventIndex))
                        }
                    }
                }
            }
            if needs.isEmpty {
                if !progress { break }
                continue
            }
            // Names, fields and definitions are looked up first; the files
            // they lead to are asked for in the next round, once the fan-out
            // limit has seen how many there are.
            graph.look(up: needs.names)
            graph.look(upFields: needs.fields)
            graph.look(upDefinitions: needs.definitions)
            graph.parse(needs.files, thenWant: needs.headerFunctions)
        }

        let evaluator = ChainEvaluator(graph: graph, depth: options.depth)
        var calls: [AuditResult.Call] = []
        for function in notifierFunctions().sorted(by: { $0.key < $1.key }) {
            for call in function.notifierCalls {
                calls.append(evaluator.evaluate(call, in: function))
            }
        }
        calls.sort { ($0.path, $0.line, $0.column) < ($1.path, $1.line, $1.column) }
        var locks = LockInventory.summarize(calls)
        if options.inventory {
            locks = LockInventory(graph: graph).withSites(locks)
        }
        graph.trimCaches()
        let filesScanned = tree.listing.files.count
        return AuditResult(treeVersion: tree.version.description, configuration: arguments.summary,
                           series: options.series, depth: options.depth, calls: calls, locks: locks,
                           problems: graph.problems.sorted(), notes: graph.notes.sorted(),
                           filesParsed: graph.files.count, filesScanned: filesScanned)
    }
}
