import Clang
import Foundation

/// Reads the audit's facts out of one parsed translation unit: for each
/// function asked for, its graph (the analysis' `FunctionBody`) with the
/// lock events, calls and notifier calls of each node in evaluation order.
///
/// A call of a function whose body the unit has (a static helper, an
/// inline of a header) contributes that body's lock effect
/// (`LockSummaries`): `page_lock_anon_vma()` returns with
/// `anon_vma->lock` held when it returns non-NULL.
final class FactExtractor {
    let unit: TranslationUnit
    let tree: KernelTree
    let names: NotifierNames
    let overlay: TreeOverlay
    let errors: [Diagnostic]
    private var bytesCache: [String: [UInt8]] = [:]
    private var linesCache: [String: LineStarts] = [:]
    private(set) var sites: [LockSite] = []
    lazy var summaries = LockSummaries(extractor: self)

    init(unit: TranslationUnit, tree: KernelTree, names: NotifierNames, overlay: TreeOverlay,
         errors: [Diagnostic]) {
        self.unit = unit
        self.tree = tree
        self.names = names
        self.overlay = overlay
        self.errors = errors
    }

    /// Tree-relative path of a file of the unit; nil outside the tree (the
    /// generated headers).
    func treePath(_ file: String?) -> String? {
        guard let file else { return nil }
        let standard = (file as NSString).standardizingPath
        let relative = tree.relative(standard)
        return relative.hasPrefix("/") ? nil : relative
    }

    func bytes(ofFile file: String) -> [UInt8]? {
        if let cached = bytesCache[file] { return cached }
        let relative = treePath(file)
        let bytes = relative.flatMap { overlay.files[$0] } ?? (try? FileBytes(path: file).bytes)
        bytesCache[file] = bytes
        return bytes
    }

    private func lines(ofFile file: String, _ bytes: [UInt8]) -> LineStarts {
        if let cached = linesCache[file] { return cached }
        let lines = LineStarts(bytes)
        linesCache[file] = lines
        return lines
    }

    // MARK: - Functions

    /// The facts of a function definition; `summaryDepth` bounds how deep
    /// callees' bodies are read for their lock effect.
    func facts(of cursor: Cursor, summaryDepth: Int = LockSummaries.depth) -> FunctionFacts? {
        guard let file = cursor.location.file, let path = treePath(file), let bytes = bytes(ofFile: file),
              let body = FunctionBody(cursor: cursor, bytes: bytes, path: file, lines: lines(ofFile: file, bytes))
        else { return nil }
        let parameters = cursor.children.filter { $0.kind == .parmDecl }.map(\.spelling)
        let key = FunctionKey(path: path, name: cursor.spelling)
        let graph = body.graph
        var switchConditions = Set<Range<Int>>()
        body.body.visitChildren { child in
            if child.kind == .switchStmt, let condition = child.children.first {
                switchConditions.insert(condition.extent.byteRange)
            }
            return .recurse
        }
        var nodes = graph.nodes.map { NodeFact(successors: $0.successors, items: []) }
        var calls: [CallFact] = []
        var notifiers: [NotifierCallFact] = []
        for (index, node) in graph.nodes.enumerated() {
            guard let nodeCursor = node.cursor else { continue }
            var reader = NodeReader(extractor: self, body: body, key: key, parameters: parameters,
                                    nodeCursor: nodeCursor, range: node.range, node: index,
                                    summaryDepth: summaryDepth)
            reader.read(calls: &calls, notifiers: &notifiers)
            nodes[index].items = reader.items
            let atoms = ConditionAtoms(body: body, callAtoms: reader.callAtoms)
            if node.kind == .condition, node.successors.count == 2, !switchConditions.contains(node.range) {
                let implied = atoms.implications(nodeCursor)
                nodes[index].thenImplies = implied.then
                nodes[index].elseImplies = implied.else
            }
            if node.kind == .jump, nodeCursor.kind == .returnStmt {
                nodes[index].returns = returnValue(nodeCursor, atoms: atoms, body: body)
            }
        }
        let at = cursor.location
        return FunctionFacts(key: key, fileStatic: cursor.isStaticStorage && path.hasSuffix(".c"),
                             parameters: parameters, location: AuditLocation(path: path, line: at.line, column: at.column),
                             nodes: nodes, calls: calls, notifierCalls: notifiers,
                             damage: damage(of: cursor, file: file))
    }

    private func returnValue(_ statement: Cursor, atoms: ConditionAtoms, body: FunctionBody) -> ReturnValue {
        guard let value = statement.children.last(where: { $0.kind.isExpression }) else { return .other }
        if atoms.isNullConstant(value) { return .nullConstant }
        let stripped = LockExpressions.strip(value)
        if stripped.kind == .declRefExpr, let declaration = stripped.referenced, declaration.kind == .varDecl
            || declaration.kind == .parmDecl {
            return .atom(ConditionAtoms.variableAtom(declaration), key: declaration.spelling)
        }
        return .other
    }

    /// An error inside the function, an invalid declaration or a recovery
    /// expression: its facts cannot be trusted.
    private func damage(of cursor: Cursor, file: String) -> String? {
        let extent = cursor.extent
        if let error = errors.first(where: { $0.location.file == file && extent.contains(offset: $0.location.offset) }) {
            return error.description
        }
        var problem: String?
        cursor.visitChildren { child in
            if child.kind.isDeclaration, child.isInvalidDeclaration {
                problem = "\(child.location): invalid declaration of '\(child.spelling)'"
                return .break
            }
            if child.kind.isExpression, child.hasDependentType {
                problem = "\(child.location): an expression clang could not type"
                return .break
            }
            return .recurse
        }
        return problem
    }

    func record(_ site: LockSite) { sites.append(site) }
}

/// Reads one node of a function: its lock events, calls and notifier calls
/// in evaluation order (operands before the operation).
struct NodeReader {
    let extractor: FactExtractor
    let body: FunctionBody
    let key: FunctionKey
    let parameters: [String]
    let nodeCursor: Cursor
    let range: Range<Int>
    let node: Int
    let summaryDepth: Int
    private(set) var items: [NodeFact.Item] = []
    private(set) var callAtoms: [Range<Int>: String] = [:]
    /// `c ? a : b` in the node: the whole, and each branch.
    private lazy var conditionals: [(whole: Range<Int>, branches: [Range<Int>], nodes: [Cursor])] = {
        var found: [(Range<Int>, [Range<Int>], [Cursor])] = []
        let body = self.body
        func visit(_ cursor: Cursor) {
            if cursor.kind == .conditionalOperator {
                let children = cursor.children
                if children.count == 3 {
                    found.append((body.source.range(of: cursor), children.dropFirst().map { body.source.range(of: $0) },
                                  Array(children.dropFirst())))
                }
            }
            cursor.visitChildren { child in
                visit(child)
                return .continue
            }
        }
        visit(nodeCursor)
        return found
    }()

    init(extractor: FactExtractor, body: FunctionBody, key: FunctionKey, parameters: [String], nodeCursor: Cursor,
         range: Range<Int>, node: Int, summaryDepth: Int) {
        self.extractor = extractor
        self.body = body
        self.key = key
        self.parameters = parameters
        self.nodeCursor = nodeCursor
        self.range = range
        self.node = node
        self.summaryDepth = summaryDepth
    }

    private enum Pending {
        case assign(String, Bool?)
        case sleep(String, line: Int)
        case lock([LockEvent])
        case call(CallFact, effects: [LockEvent])
        case notifier(NotifierCallFact)
    }

    mutating func read(calls: inout [CallFact], notifiers: inout [NotifierCallFact]) {
        var pending: [(end: Int, order: Int, Pending)] = []
        var order = 0
        // Lock primitives that are macros written here (2.6's spin_lock,
        // pte_offset_map_lock, pte_unmap_unlock): the calls their bodies
        // make are theirs.
        var recognized: [MacroInvocation] = []
        for invocation in body.source.invocations(in: range) {
            if SleepEvidence.names.contains(invocation.name),
               !recognized.contains(where: { $0.range.lowerBound <= invocation.range.lowerBound
                   && invocation.range.upperBound <= $0.range.upperBound }) {
                recognized.append(invocation)
                pending.append((invocation.range.upperBound, order,
                                .sleep(invocation.name, line: body.line(of: invocation.range.lowerBound))))
                order += 1
                continue
            }
            guard let entry = LockVocabulary.entry(invocation.name),
                  !recognized.contains(where: { $0.range.lowerBound <= invocation.range.lowerBound
                      && invocation.range.upperBound <= $0.range.upperBound }) else { continue }
            recognized.append(invocation)
            let arguments = argumentCursors(of: invocation)
            let events = lockEvents(entry, primitive: invocation.name, arguments: arguments,
                                    texts: invocation.arguments, range: invocation.range,
                                    result: body.chain(to: invocation.range).last)
            pending.append((invocation.range.upperBound, order, .lock(events)))
            order += 1
        }
        var visited: [Cursor] = []
        var assignments: [(Cursor, Cursor, Cursor)] = []     // statement, variable, value
        func visit(_ cursor: Cursor) {
            cursor.visitChildren { child in
                visit(child)
                return .continue
            }
            if cursor.kind == .callExpr { visited.append(cursor) }
            if cursor.kind == .binaryOperator, let lvalue = body.writtenLvalue(of: cursor),
               let value = cursor.children.last, cursor.children.count == 2 {
                let target = LockExpressions.strip(lvalue)
                if target.kind == .declRefExpr, let variable = target.referenced { assignments.append((cursor, variable, value)) }
            } else if cursor.kind == .varDecl, let value = cursor.children.last(where: { $0.kind.isExpression }) {
                assignments.append((cursor, cursor, value))
            } else if cursor.kind == .compoundAssignOperator || cursor.kind == .unaryOperator,
                      let lvalue = body.writtenLvalue(of: cursor) {
                // `x++`, `x |= y`, `&x`: whatever x was known to be is stale.
                let target = LockExpressions.strip(lvalue)
                if target.kind == .declRefExpr, let variable = target.referenced { assignments.append((cursor, variable, cursor)) }
            }
        }
        visit(nodeCursor)
        let constants = ConditionAtoms(body: body, callAtoms: [:])
        for (statement, variable, value) in assignments {
            if value == statement && statement.kind != .varDecl {
                pending.append((body.source.range(of: statement).upperBound, order,
                                .assign(ConditionAtoms.variableAtom(variable), nil)))
                order += 1
                continue
            }
            let stripped = LockExpressions.strip(value)
            // A call's result: the old value is gone before the call's own
            // events (which may make a lock depend on the new one).
            if stripped.kind == .callExpr || body.source.origin(of: stripped).isMacroBody
                && !constants.isNullConstant(stripped) && stripped.kind != .integerLiteral {
                pending.append((body.source.range(of: statement).lowerBound, order,
                                .assign(ConditionAtoms.variableAtom(variable), nil)))
                order += 1
                continue
            }
            var nonzero: Bool?
            if constants.isNullConstant(stripped) {
                nonzero = false
            } else if stripped.kind == .integerLiteral {
                nonzero = true
            }
            pending.append((body.source.range(of: statement).upperBound, order,
                            .assign(ConditionAtoms.variableAtom(variable), nonzero)))
            order += 1
        }
        for call in visited {
            if case .body(let invocation) = body.source.origin(of: call), recognized.contains(invocation) { continue }
            let end = body.source.range(of: call).upperBound
            if let item = classify(call) {
                pending.append((end, order, item))
                order += 1
            }
        }
        pending.sort { ($0.end, $0.order) < ($1.end, $1.order) }
        for (_, _, item) in pending {
            switch item {
            case .sleep(let what, let line):
                items.append(.sleep(what, line: line))
            case .assign(let atom, let nonzero):
                items.append(.assign(atom: atom, nonzero: nonzero))
            case .lock(let events):
                items += events.map { .lock($0) }
            case .call(var call, let effects):
                call.eventIndex = items.count
                items.append(.call(calls.count))
                calls.append(call)
                items += effects.map { .lock($0) }
            case .notifier(var notifier):
                notifier.eventIndex = items.count
                items.append(.notifier(notifiers.count))
                notifiers.append(notifier)
            }
        }
    }

    private func location(_ offset: Int, _ cursor: Cursor? = nil) -> AuditLocation {
        let offset = min(offset, body.bytes.count)
        return AuditLocation(path: key.path, line: body.lines.line(of: offset),
                             column: offset - body.lines.lineStart(of: offset) + 1)
    }

    /// The expression written in each argument of an invocation, as its
    /// expansion uses it (nil for an argument the expansion drops).
    private func argumentCursors(of invocation: MacroInvocation) -> [Cursor?] {
        let nodes = body.argumentNodes(of: invocation)
        return invocation.argumentRanges.map { argument in
            nodes.filter { argument.lowerBound <= body.source.range(of: $0).lowerBound
                && body.source.range(of: $0).upperBound <= argument.upperBound }
                .max { body.source.range(of: $0).count < body.source.range(of: $1).count }
        }
    }

    private mutating func classify(_ call: Cursor) -> Pending? {
        let children = call.children
        guard let calleeExpression = children.first else { return nil }
        let arguments = Array(children.dropFirst())
        let texts = arguments.map { body.objectText($0) ?? "?" }
        let range = body.source.range(of: call)
        let at = location(range.lowerBound)
        var target = LockExpressions.strip(calleeExpression)
        if target.kind == .unaryOperator, let operand = target.children.first { target = LockExpressions.strip(operand) }
        let normalized = texts.map { LockExpressions.normalize($0, dropAddress: false) }
        switch target.kind {
        case .declRefExpr:
            guard let declaration = target.referenced else { break }
            if declaration.kind == .functionDecl {
                let name = declaration.spelling
                if extractor.names.dispatch[name] != nil {
                    var written = name
                    if case .body(let invocation) = body.source.origin(of: call) { written = invocation.name }
                    return .notifier(NotifierCallFact(dispatch: name, written: written, location: at, node: node,
                                                      eventIndex: 0))
                }
                if SleepEvidence.names.contains(name) { return .sleep(name, line: at.line) }
                if let entry = LockVocabulary.entry(name) {
                    return .lock(lockEvents(entry, primitive: name, arguments: arguments, texts: texts, range: range,
                                            result: call))
                }
                let definition = declaration.definition
                let fileStatic = declaration.isStaticStorage && (definition?.isInMainFile ?? declaration.isInMainFile)
                    && key.path.hasSuffix(".c")
                var effects: [LockEvent] = []
                if summaryDepth > 0, let definition, definition.kind == .functionDecl {
                    effects = extractor.summaries.effects(of: definition, depth: summaryDepth, at: at,
                                                          arguments: normalized, assigned: assignment(of: range),
                                                          callAtom: atomForCall(range), caller: self)
                    effects = conditioned(effects, at: range)
                }
                return .call(CallFact(callee: .function(name, fileStatic: fileStatic), arguments: normalized,
                                      location: at, node: node, eventIndex: 0), effects: effects)
            }
            if declaration.kind == .parmDecl, let index = parameters.firstIndex(of: declaration.spelling) {
                return .call(CallFact(callee: .parameter(index), arguments: normalized, location: at, node: node,
                                      eventIndex: 0), effects: [])
            }
            return .call(CallFact(callee: .unresolved(declaration.spelling), arguments: normalized, location: at,
                                  node: node, eventIndex: 0), effects: [])
        case .memberRefExpr:
            if let field = target.referenced, field.kind == .fieldDecl {
                return .call(CallFact(callee: .field(record: LockExpressions.recordName(ofField: field),
                                                     field: field.spelling),
                                      arguments: normalized, location: at, node: node, eventIndex: 0), effects: [])
            }
        default:
            break
        }
        return .call(CallFact(callee: .unresolved(body.expressionText(calleeExpression) ?? call.spelling),
                              arguments: normalized, location: at, node: node, eventIndex: 0), effects: [])
    }

    // MARK: - Results and atoms

    /// Events evaluated in one branch of `c ? a : b` happen only sometimes:
    /// when the other branch is NULL and the whole is stored or tested,
    /// exactly when that is non-zero (2.6's `pte_alloc_map_lock()`); else on
    /// some paths.
    private mutating func conditioned(_ events: [LockEvent], at range: Range<Int>) -> [LockEvent] {
        guard let conditional = conditionals.last(where: { c in
            c.branches.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
        }) else { return events }
        let index = conditional.branches.firstIndex { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }!
        let other = conditional.nodes[1 - index]
        let atoms = ConditionAtoms(body: body, callAtoms: [:])
        let atom: String? = atoms.isNullConstant(other) ? atomForCall(conditional.whole) : nil
        return events.map { event in
            var event = event
            switch event.operation {
            case .acquire, .acquireIf:
                event.operation = atom.map { .acquireIf(atom: $0, whenNonzero: true) } ?? .acquireMaybe
            case .release:
                event.operation = .releaseMaybe
            default:
                break
            }
            return event
        }
    }

    /// The variable (or member) the value of the call at `range` is stored
    /// in: `anon_vma = page_lock_anon_vma(page)`, `spinlock_t *ptl = pmd_lock(…)`.
    func assignment(of range: Range<Int>) -> (atom: String, text: String)? {
        var found: (String, String)?
        func visit(_ cursor: Cursor) {
            guard found == nil else { return }
            if cursor.kind == .binaryOperator, let lvalue = body.writtenLvalue(of: cursor),
               let value = cursor.children.last, body.source.range(of: LockExpressions.strip(value)) == range {
                let stripped = LockExpressions.strip(lvalue)
                if stripped.kind == .declRefExpr, let declaration = stripped.referenced {
                    found = (ConditionAtoms.variableAtom(declaration), declaration.spelling)
                } else if let text = body.expressionText(stripped) {
                    found = ("path:" + LockExpressions.normalize(text), LockExpressions.normalize(text))
                }
                return
            }
            if cursor.kind == .varDecl, let value = cursor.children.last(where: { $0.kind.isExpression }),
               body.source.range(of: LockExpressions.strip(value)) == range {
                found = (ConditionAtoms.variableAtom(cursor), cursor.spelling)
                return
            }
            cursor.visitChildren { child in
                visit(child)
                return found == nil ? .continue : .break
            }
        }
        visit(nodeCursor)
        return found
    }

    /// The atom of a call whose result decides a lock: the variable it is
    /// stored in, else the call itself (then a condition around it decides).
    mutating func atomForCall(_ range: Range<Int>) -> String {
        if let assigned = assignment(of: range) { return assigned.atom }
        let atom = "call:\(range.lowerBound)"
        callAtoms[range] = atom
        return atom
    }

    // MARK: - Lock events

    private mutating func lockEvents(_ entry: LockVocabulary.Entry, primitive: String, arguments: [Cursor?],
                                     texts: [String], range: Range<Int>, result: Cursor?) -> [LockEvent] {
        let at = location(range.lowerBound)
        var lock: LockRef
        var unnamed = false
        func argument(_ index: Int) -> (Cursor?, String) {
            (index < arguments.count ? arguments[index] : nil, index < texts.count ? texts[index] : "?")
        }
        switch entry.lock {
        case .argument(let index):
            let (cursor, text) = argument(index)
            (lock, unnamed) = LockExpressions.lock(expression: cursor, text: text, in: body, parameters: parameters,
                                                   treePath: extractor.treePath)
        case .context(let kind, let key):
            lock = LockRef(key: key, kind: kind, typeName: nil, identity: nil, declaredAt: nil, root: .global)
        case .bit:
            let (bit, address) = (argument(0).1, argument(1))
            let key = "bit \(LockExpressions.normalize(bit)) of \(LockExpressions.normalize(address.1, dropAddress: false))"
            var root = LockRef.Root.local
            if let cursor = address.0, let declaration = LockExpressions.rootDeclaration(cursor),
               declaration.kind == .parmDecl, let index = parameters.firstIndex(of: declaration.spelling) {
                root = .parameter(index, rest: "")
            }
            lock = LockRef(key: key, kind: .bitSpinlock, typeName: nil, identity: nil, declaredAt: nil, root: root)
            if case .parameter = root {} else { lock.root = .local }
        case .result:
            let assigned = assignment(of: range)
            let names = result?.typeNames(pointee: true) ?? []
            lock = LockRef(key: assigned?.text ?? "\(primitive)()", kind: LockKind.of(typeNames: names),
                           typeName: names.first, identity: nil, declaredAt: nil,
                           root: assigned.flatMap { LockExpressions.root(ofKey: $0.text, parameters: parameters) } ?? .local)
            unnamed = assigned == nil
        case .walk(let index):
            let (cursor, text) = argument(index)
            let plain = LockExpressions.normalize(text, dropAddress: false)
            let key = plain.hasPrefix("&") ? LockExpressions.normalize(String(plain.dropFirst())) + ".ptl" : plain + "->ptl"
            var kind: LockKind?
            var typeName: String?
            if let structure = cursor?.typeDeclaration,
               let field = structure.children.first(where: { $0.kind == .fieldDecl && $0.spelling == "ptl" }) {
                let names = field.typeNames(pointee: true)
                kind = LockKind.of(typeNames: names)
                typeName = names.first
            }
            lock = LockRef(key: key, kind: kind, typeName: typeName, identity: nil, declaredAt: nil,
                           root: LockExpressions.root(ofKey: key, parameters: parameters) ?? .local)
        }
        let operation: LockEvent.Operation
        var events: [LockEvent] = []
        switch entry.operation {
        case .acquire: operation = .acquire
        case .release: operation = .release
        case .relock: operation = .relock
        case .initialise: operation = .initialise
        case .assert: operation = .assert
        case .tryAcquire(let successNonzero):
            if case .walk = entry.lock {
                // The walk drops the previous pte's lock before looking further.
                events.append(LockEvent(operation: .release, lock: lock, location: at, primitive: primitive))
            }
            operation = .acquireIf(atom: atomForCall(range), whenNonzero: successNonzero)
        case .acquireIfResult:
            if case .result = entry.lock, let assigned = assignment(of: range) {
                operation = .acquireIf(atom: assigned.atom, whenNonzero: true)
            } else {
                operation = .acquireIf(atom: atomForCall(range), whenNonzero: true)
            }
        }
        events.append(LockEvent(operation: operation, lock: lock, location: at, primitive: primitive, unnamed: unnamed))
        events = conditioned(events, at: range)
        if let identity = lock.identity {
            extractor.record(LockSite(location: at, function: key.name, operation: Self.siteName(entry.operation),
                                      primitive: primitive, expression: lock.key, identity: identity, kind: lock.kind))
        }
        return events
    }

    static func siteName(_ operation: LockVocabulary.Operation) -> String {
        switch operation {
        case .acquire, .acquireIfResult: "lock"
        case .release: "unlock"
        case .tryAcquire: "trylock"
        case .relock: "relock"
        case .initialise: "init"
        case .assert: "assert"
        }
    }
}
