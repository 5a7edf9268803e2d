import Clang
import Foundation

/// The callers of the functions that hold notifier calls, up to a depth,
/// found by name with the token scan and then parsed: direct calls, calls
/// through a struct field a visible initialiser registers the function in
/// (an rmap walk's `rmap_one`), and calls through a parameter it is passed
/// to. Files are parsed in batches, in parallel, and kept only as facts.
final class CallerGraph {
    struct Edge: Hashable {
        var caller: FunctionKey
        /// Index into the caller's calls.
        var call: Int
        /// For a call through a field or parameter: the function that
        /// registered or passed the callee. A chain through the edge must
        /// pass through it (the walk calls `try_to_unmap_one()` only for
        /// `try_to_unmap()`'s walks).
        var registrar: String?
    }

    struct Callers {
        var edges: [Edge] = []
        /// Why some callers cannot be followed.
        var unknown: [String] = []
        /// Set when the function sleeps before every call that leads to a
        /// notifier: its callers are not needed.
        var sleepsFirst: String?
    }

    /// A point of a function: a node and an item in it.
    struct Site: Hashable {
        var node: Int
        var item: Int
    }

    /// A function used in more files than this (`handle_mm_fault()`, in
    /// every architecture's fault handler and many drivers), or a field
    /// called through in more (`file_operations.write`), fans out over
    /// whole subsystems: following it would parse them, so such a chain is
    /// unknown, and says why.
    static let fanOut = 24

    let tree: KernelTree
    let provider: any CompileArgumentsProvider
    let overlay: TreeOverlay
    let names: NotifierNames
    let architecture: String?
    let workers: Int
    /// For the first lookup, made without the index.
    let scanCache: TokenScanCache?
    private let reader: AuditFileReader
    /// The lookup for the next batch of names: the first is one pass of the
    /// token scan over the tree, every later one goes through an identifier
    /// index of the tree, built at the second. Building the index costs two
    /// or three such passes; an audit takes 15-20 lookups, convert's (asked
    /// about the functions it converted) mostly one.
    func nameLookup() -> NameLookup {
        lookups += 1
        guard lookups > 1 else { return NameLookup(tree: tree, overlay: overlay, workers: workers, cache: scanCache) }
        if indexed == nil {
            indexed = NameLookup(tree: tree, overlay: overlay, workers: workers,
                                 index: IdentifierIndex(tree: tree, overlay: overlay, workers: workers))
        }
        return indexed!
    }
    private var lookups = 0
    private var indexed: NameLookup?

    private(set) var files: [String: FileFacts] = [:]
    private(set) var functions: [FunctionKey: FunctionFacts] = [:]
    private(set) var uses: [String: Set<NameLookup.Use>] = [:]
    /// Per callback field name, the files calling through it.
    private(set) var fieldCalls: [String: Set<String>] = [:]
    /// Per function name a registered function is passed to, the `.c`
    /// files that may define it.
    private(set) var definitionFiles: [String: [String]] = [:]
    private(set) var problems: [String] = []
    private(set) var notes = Set<String>()
    private(set) var resolved: [FunctionKey: Callers] = [:]
    private var wantedHeaderFunctions = Set<String>()
    /// Per file, the header inlines `want` chose it to give. Only these
    /// are read in its parses (all of them, each time it is parsed): a
    /// header inline is found among the unit's top-level declarations,
    /// which a parse against a cached preamble does not visit, so every
    /// other file is parsed against its preamble.
    private var designated: [String: Set<String>] = [:]
    /// Per function, the calls in it that lead to a notifier call.
    private var relevant: [FunctionKey: Set<Site>] = [:]
    private var headerRetries = Set<String>()
    /// The names of the header inlines whose body some parse gave.
    private var headerBodies = Set<String>()
    private var unusable: [String: String] = [:]

    init(tree: KernelTree, provider: any CompileArgumentsProvider, overlay: TreeOverlay, names: NotifierNames,
         architecture: String?, workers: Int, scanCache: TokenScanCache? = nil) {
        self.tree = tree
        self.scanCache = scanCache
        self.provider = provider
        self.overlay = overlay
        self.names = names
        self.architecture = architecture
        self.workers = workers
        reader = AuditFileReader(parser: FileParser(tree: tree, arguments: provider), names: names, overlay: overlay)
    }

    // MARK: - Lookups and parsing

    /// Looks up the names not looked up yet, in one pass over the tree.
    func look(up wanted: Set<String>) {
        let fresh = wanted.subtracting(uses.keys)
        guard !fresh.isEmpty else { return }
        let found = PhaseTimes.measure("audit: token scan \(fresh.sorted().prefix(6).joined(separator: ","))") { nameLookup().uses(of: fresh) }
        for name in fresh { uses[name] = found.uses[name] ?? [] }
        for (path, reason) in found.unreadable { problems.append("\(path): unreadable: \(reason)") }
    }

    /// Looks up the files calling through the fields not looked up yet.
    func look(upFields wanted: Set<String>) {
        let fresh = wanted.subtracting(fieldCalls.keys)
        guard !fresh.isEmpty else { return }
        let found = PhaseTimes.measure("audit: field calls \(fresh.sorted().prefix(6).joined(separator: ","))") {
            nameLookup().files(callingFields: fresh)
        }
        for name in fresh { fieldCalls[name] = found[name] ?? [] }
    }

    /// Finds the files defining the names not looked up yet, in one pass.
    func look(upDefinitions wanted: Set<String>) {
        let fresh = wanted.subtracting(definitionFiles.keys)
        guard !fresh.isEmpty else { return }
        let found = PhaseTimes.measure("audit: definitions \(fresh.sorted().prefix(6).joined(separator: ","))") {
            nameLookup().files(defining: fresh)
        }
        for name in fresh { definitionFiles[name] = found[name] ?? [] }
    }

    /// Parses the `.c` files not parsed yet (those this configuration does
    /// not build are noted, not parsed); `again` are parsed anew for the
    /// header inlines asked for since.
    func parse(_ paths: Set<String>, again: Set<String> = []) {
        read(planned(paths, again: again), again: again)
    }

    /// Parses `paths` and then reads the header inlines `headerFunctions`,
    /// as `parse` and then `want` would — except that a file of this batch
    /// which `want` would parse again for them is parsed once, with them
    /// (the same parse `want` would make: every header inline asked for so
    /// far and these). `want` still decides which file gives each inline;
    /// when that is not one of the files parsed here with them (one of this
    /// batch stopped on a fatal error, say), it parses as before.
    func parse(_ paths: Set<String>, thenWant headerFunctions: Set<String>) {
        let fresh = headerFunctions.subtracting(wantedHeaderFunctions)
        guard !fresh.isEmpty else {
            parse(paths)
            return
        }
        look(up: fresh)
        let todo = planned(paths, again: [])
        let batch = Set(todo)
        var withThem: [String: Set<String>] = [:]
        for name in fresh {
            // The file `want` will choose if the batch parses clean.
            if let path = filesUsing(name).first(where: { batch.contains($0) || isParsedClean($0) }),
               batch.contains(path) {
                withThem[path] = fresh
            }
        }
        read(todo, again: [], also: withThem)
        want(headerFunctions: fresh, parsedWithThem: withThem)
    }

    /// Of `paths` (and `again`, parsed anew), the `.c` files to parse; those
    /// this configuration does not build are noted unusable.
    private func planned(_ paths: Set<String>, again: Set<String>) -> [String] {
        var todo: [String] = []
        for path in paths.union(again).sorted() where path.hasSuffix(".c") {
            if files[path] != nil && !again.contains(path) { continue }
            if unusable[path] != nil { continue }
            if let reason = unparsable(path) {
                unusable[path] = reason
                continue
            }
            todo.append(path)
        }
        return todo
    }

    /// Why this configuration does not parse `path`, or nil.
    private func unparsable(_ path: String) -> String? {
        if let reason = unusable[path] { return reason }
        if isOtherArchitecture(path) { return "another architecture's file" }
        if let program = Self.hostProgram(path) { return program }
        let attempts = provider.attempts(forFile: path)
        if attempts.isEmpty || attempts.allSatisfy({ $0.unusable != nil }) {
            return attempts.first?.unusable ?? "no compile command for it"
        }
        return nil
    }

    /// Parses `todo`. A file designated for a header inline (or given some
    /// by `also`) reads every header inline asked for so far: the file
    /// using a name may not give its body (the name there is a field, or
    /// only another architecture's files use it) while another one's parse
    /// does — `__pmd_free_tlb()` from x86's pgalloc.h, telling the chain
    /// which definition this configuration compiles. Any other file reads
    /// only those still without a body once their designated parse is
    /// done, and with none such goes through the preamble cache. The reads
    /// that read header inlines are whole parses, as every parse was before
    /// inlines were designated.
    private func read(_ todo: [String], again: Set<String>, also: [String: Set<String>] = [:]) {
        guard !todo.isEmpty else { return }
        let missing = headerRetries.subtracting(headerBodies)
        var wanted: [String: Set<String>] = [:]
        for path in todo {
            if designated[path] != nil || also[path] != nil {
                wanted[path] = wantedHeaderFunctions.union(also[path] ?? [])
            } else if !missing.isEmpty {
                wanted[path] = missing
            }
        }
        let headerFunctions = wanted
        let reader = self.reader
        let bySize = todo.sorted { Self.size(tree.absolute($0)) > Self.size(tree.absolute($1)) }
        let anew = todo.filter(again.contains).count
        let label = "audit: parse \(todo.count)\(anew > 0 ? " (\(anew) again)" : ""): "
            + todo.prefix(4).joined(separator: ",")
        let parsed = PhaseTimes.measure(label) {
            parallelMap(bySize, workers: workers, makeState: { Index() }) { index, path in
                reader.read(path, index: index, headerFunctions: headerFunctions[path] ?? [])
            }
        }
        for file in parsed {
            if let reason = file.otherArchitecture {
                unusable[file.path] = reason
                continue
            }
            if let problem = file.problem { problems.append("\(file.path): \(problem)") }
            files[file.path] = file
            for function in file.functions where functions[function.key] == nil {
                functions[function.key] = function
                if function.key.path.hasSuffix(".h") { headerBodies.insert(function.key.name) }
            }
        }
    }

    /// `tools/` (perf, the selftests) and `scripts/` hold programs built
    /// for user space or the build host by their own Makefiles; kbuild
    /// never compiles them into the kernel, so no kernel call chain runs
    /// through them.
    static func hostProgram(_ path: String) -> String? {
        if path.hasPrefix("tools/") { return "a user-space program under tools/, not kernel code" }
        if path.hasPrefix("scripts/") { return "a build-host program under scripts/, not kernel code" }
        return nil
    }

    /// Another architecture's file: a caller in another configuration.
    private func isOtherArchitecture(_ path: String) -> Bool {
        guard let architecture, path.hasPrefix("arch/") else { return false }
        return path.split(separator: "/").dropFirst().first.map(String.init) != architecture
    }

    private static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    func isUnusable(_ path: String) -> String? { unusable[path] }

    func note(_ text: String) { notes.insert(text) }

    /// Functions of `name` the facts know: the global ones, or the static
    /// one of `path`.
    func definitions(named name: String, fileStatic: Bool, inFile path: String? = nil) -> [FunctionFacts] {
        functions.values.filter { $0.key.name == name && $0.fileStatic == fileStatic
            && (!fileStatic || $0.key.path == path) }.sorted { $0.key < $1.key }
    }

    // MARK: - Callers

    /// Everything needed before `key`'s callers are known.
    struct Needs {
        var names = Set<String>()
        var fields = Set<String>()
        /// Functions whose definition is wanted (not their callers).
        var definitions = Set<String>()
        var files = Set<String>()
        var headerFunctions = Set<String>()
        var isEmpty: Bool {
            names.isEmpty && fields.isEmpty && definitions.isEmpty && files.isEmpty && headerFunctions.isEmpty
        }
    }

    /// Records a call of `key` that leads to a notifier call. A function
    /// whose callers were skipped because it slept first gets them after
    /// all when this call comes before any sleep.
    func addRelevant(_ key: FunctionKey, _ site: Site) {
        guard relevant[key, default: []].insert(site).inserted else { return }
        if resolved[key]?.sleepsFirst != nil, let facts = functions[key],
           SleepEvidence.before(node: site.node, item: site.item, in: facts) == nil {
            resolved[key] = nil
        }
    }

    /// The callers of `key`, or nil with what to look up or parse first.
    func callers(of key: FunctionKey, needs: inout Needs) -> Callers? {
        if let known = resolved[key] { return known }
        guard let facts = functions[key] else { return nil }
        var result = Callers()
        let sites = relevant[key] ?? []
        if !sites.isEmpty {
            let evidence = sites.map { SleepEvidence.before(node: $0.node, item: $0.item, in: facts) }
            if evidence.allSatisfy({ $0 != nil }), let first = evidence.first!, true {
                result.sleepsFirst = "\(first.what) at \(key.path):\(first.line)"
                resolved[key] = result
                return result
            }
        }
        var pending = false
        // Where the name may be used: its own file for a static function.
        var places: [NameLookup.Use]
        if facts.fileStatic {
            places = [NameLookup.Use(path: key.path, function: nil)]
        } else {
            guard let found = uses[key.name] else {
                needs.names.insert(key.name)
                return nil
            }
            places = found.sorted { ($0.path, $0.function ?? "") < ($1.path, $1.function ?? "") }
            let files = Set(places.map(\.path)).filter { $0 != key.path && $0.hasSuffix(".c") && unusable[$0] == nil
                && !isOtherArchitecture($0) && Self.hostProgram($0) == nil }
            if files.count > Self.fanOut {
                result.unknown.append("\(key.name)() is used in \(files.count) other files; its callers there are "
                                      + "not followed (more than \(Self.fanOut))")
                resolved[key] = result
                return result
            }
        }
        var headerCallers = Set<FunctionKey>()
        for place in places {
            if place.path.hasSuffix(".h") {
                guard let function = place.function, place.path != KernelTree.notifierHeader else { continue }
                headerCallers.insert(FunctionKey(path: place.path, name: function))
            } else if place.path.hasSuffix(".c"), files[place.path] == nil {
                if let reason = unusable[place.path] {
                    notes.insert("\(place.path) uses \(key.name)() but is not followed: \(reason)")
                } else {
                    needs.files.insert(place.path)
                    pending = true
                }
            }
        }
        // Inlines of headers are read in a file that includes them.
        for header in headerCallers where header != key && functions[header] == nil {
            if let other = functions.keys.first(where: { $0.name == header.name && $0.path.hasSuffix(".h") }),
               headerRetries.contains(header.name) {
                // This configuration compiles another definition of it.
                notes.insert("\(header.path) mentions \(key.name)() in \(header.name)(), which this configuration "
                             + "takes from \(other.path)")
                continue
            }
            if headerRetries.contains(header.name) {
                result.unknown.append("\(header.name)() in \(header.path) calls \(key.name)() but no parsed file "
                                      + "gave its body")
                continue
            }
            needs.headerFunctions.insert(header.name)
            pending = true
        }
        if pending { return nil }
        let searched = Set(places.map(\.path))
        var registrations: [AddressTaken] = []
        for path in searched.sorted() {
            guard let file = files[path] else { continue }
            if let problem = file.problem {
                result.unknown.append("\(path) mentions \(key.name)() but could not be parsed (\(problem))")
                continue
            }
            // A file defining its own global of the name calls that one
            // (mm/nommu.c and mm/mmap.c both define do_munmap()).
            if path != key.path, !facts.fileStatic,
               file.functions.contains(where: { $0.key.name == key.name && !$0.fileStatic && $0.key.path == path }) {
                continue
            }
            for function in file.functions {
                for (index, call) in function.calls.enumerated()
                where call.callee == .function(key.name, fileStatic: facts.fileStatic) {
                    result.edges.append(Edge(caller: function.key, call: index, registrar: nil))
                }
            }
            registrations += file.addressTaken.filter { $0.function == key.name && $0.global == !facts.fileStatic }
        }
        for header in headerCallers.sorted() where header != key {
            guard let function = functions[header] else { continue }
            for (index, call) in function.calls.enumerated()
            where call.callee == .function(key.name, fileStatic: false) {
                result.edges.append(Edge(caller: header, call: index, registrar: nil))
            }
        }
        // Calls through fields and parameters it is registered in.
        for registration in registrations {
            switch registration.registration {
            case .field(let record, let field):
                guard let found = fieldCalls[field] else {
                    needs.fields.insert(field)
                    pending = true
                    continue
                }
                if found.count > Self.fanOut {
                    result.unknown.append("\(key.name)() is registered as .\(field) of \(record) at "
                        + "\(registration.location.path):\(registration.location.line), and \(found.count) files "
                        + "call through a field of that name; not followed (more than \(Self.fanOut))")
                    continue
                }
                for path in found where files[path] == nil && unusable[path] == nil {
                    needs.files.insert(path)
                    pending = true
                }
                for path in found.sorted() {
                    guard let file = files[path] else {
                        if let reason = unusable[path] {
                            notes.insert("\(path) calls through .\(field), where \(key.name)() is registered, but "
                                         + "is not followed: \(reason)")
                        }
                        continue
                    }
                    for function in file.functions {
                        for (index, call) in function.calls.enumerated()
                        where call.callee == .field(record: record, field: field) {
                            result.edges.append(Edge(caller: function.key, call: index,
                                                     registrar: registration.registrar))
                        }
                    }
                }
            case .argument(let callee, let index):
                // The body of the function it is passed to: a static one of
                // the registering file, or a global one.
                let targets = functions.values.filter {
                    $0.key.name == callee && (!$0.fileStatic || $0.key.path == registration.location.path)
                }
                if targets.isEmpty {
                    guard let defining = definitionFiles[callee] else {
                        needs.definitions.insert(callee)
                        pending = true
                        continue
                    }
                    let files = Set(preferredDefinitions(defining)).filter { self.files[$0] == nil && unusable[$0] == nil }
                    if !files.isEmpty {
                        needs.files.formUnion(files)
                        pending = true
                        continue
                    }
                    result.unknown.append("\(key.name)() is passed to \(callee)() at \(registration.location.path):"
                                          + "\(registration.location.line), whose body the audit did not find")
                    continue
                }
                for target in targets {
                    for (callIndex, call) in target.calls.enumerated() where call.callee == .parameter(index) {
                        result.edges.append(Edge(caller: target.key, call: callIndex,
                                                 registrar: registration.registrar))
                    }
                }
            case .other(let how):
                result.unknown.append("the address of \(key.name)() is \(how) at \(registration.location.path):"
                                      + "\(registration.location.line); calls through it are not followed")
            }
        }
        if pending { return nil }
        result.edges = Array(Set(result.edges)).sorted {
            ($0.caller, $0.call, $0.registrar ?? "") < ($1.caller, $1.call, $1.registrar ?? "")
        }
        resolved[key] = result
        return result
    }

    /// Of the files that may define a function, those to parse: the ones
    /// this configuration builds, at most a few (one definition per
    /// configuration is the norm; more are other architectures' hooks).
    private func preferredDefinitions(_ files: [String]) -> [String] {
        let usable = files.filter { !isOtherArchitecture($0) && Self.hostProgram($0) == nil }
        let built = usable.filter { path in provider.attempts(forFile: path).contains { $0.unusable == nil } }
        return Array((built.isEmpty ? usable : built).prefix(TreeFunctionDefinitions.maximumFiles))
    }

    /// Asks for header inlines: their names are looked up and one file
    /// using each is designated to give it, and parsed (again, if it was
    /// parsed before they were wanted). `parsedWithThem`: files just parsed
    /// reading these header inlines already, not parsed again for them.
    func want(headerFunctions: Set<String>, parsedWithThem: [String: Set<String>] = [:]) {
        let fresh = headerFunctions.subtracting(wantedHeaderFunctions)
        guard !fresh.isEmpty else { return }
        wantedHeaderFunctions.formUnion(fresh)
        look(up: fresh)
        var again = Set<String>()
        var first = Set<String>()
        for name in fresh {
            let files = filesUsing(name)
            // A file parsed with a fatal error may stop before the header.
            if let parsed = files.first(where: isParsedClean) {
                designated[parsed, default: []].insert(name)
                if parsedWithThem[parsed]?.contains(name) != true { again.insert(parsed) }
            } else if let path = files.first(where: { self.files[$0] == nil && unparsable($0) == nil }) {
                // Not another architecture's file, say: it would give nothing.
                designated[path, default: []].insert(name)
                first.insert(path)
            }
        }
        parse(first, again: again)
        headerRetries.formUnion(fresh)
    }

    /// The `.c` files using `name` that may be parsed, sorted.
    private func filesUsing(_ name: String) -> [String] {
        (uses[name] ?? []).map(\.path).filter { $0.hasSuffix(".c") && unusable[$0] == nil }.sorted()
    }

    private func isParsedClean(_ path: String) -> Bool {
        files[path] != nil && files[path]?.problem == nil
    }

    /// Trims the caches of facts this run wrote to.
    func trimCaches() { reader.trimCaches() }

    /// Re-reads files for the lock inventory, with the given header paths'
    /// functions too (their sites).
    func inventoryFacts(paths: [String]) -> [FileFacts] {
        parse(Set(paths))
        return paths.compactMap { files[$0] }
    }
}
