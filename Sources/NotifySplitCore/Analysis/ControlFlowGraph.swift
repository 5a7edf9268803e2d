import Clang

/// A statement-level control-flow graph of one function body, built from
/// libclang's AST.
///
/// Leaves are whole statements (an expression statement, a declaration, a
/// statement that a macro such as `pte_unmap_unlock()` expanded to); `if`,
/// loop and `switch` conditions are nodes of their own. Edges follow
/// if/else, loops, break/continue, goto/labels, switch/case and return.
struct ControlFlowGraph {
    struct Node {
        enum Kind { case entry, exit, statement, condition, label, caseLabel, jump }
        var kind: Kind
        /// The statement, or the condition expression.
        var cursor: Cursor?
        /// Byte range in the main file.
        var range: Range<Int>
        var successors: [Int] = []
        /// The AST parent of a statement node (a block, a label, an if …).
        var parentKind: CursorKind?
        /// Loop statements (their byte ranges) enclosing the node, outermost first.
        var loops: [Range<Int>] = []
        /// Inside a statement a macro body made (built because it jumps):
        /// no edit may be placed there.
        var insideMacro = false
    }

    var nodes: [Node]
    let entry = 0
    let exit = 1

    /// Nodes reachable from `start` (not included unless on a cycle),
    /// not passing through `blocked`, not continuing past `stop` nodes.
    func reachable(from start: Int, avoiding blocked: Set<Int> = [],
                   stoppingAt stop: (Int) -> Bool = { _ in false }) -> Set<Int> {
        var seen = Set<Int>()
        var queue = nodes[start].successors
        while let next = queue.popLast() {
            guard !blocked.contains(next), seen.insert(next).inserted else { continue }
            if stop(next) { continue }
            queue += nodes[next].successors
        }
        return seen
    }

    /// The innermost node whose range holds `range`.
    func node(containing range: Range<Int>) -> Int? {
        nodes.indices.filter { i in
            nodes[i].kind != .entry && nodes[i].kind != .exit
                && nodes[i].range.lowerBound <= range.lowerBound && range.upperBound <= nodes[i].range.upperBound
        }.min { nodes[$0].range.count < nodes[$1].range.count }
    }
}

/// Builds the graph, continuation-passing: each statement is built knowing
/// the node control reaches after it.
///
/// Macros are followed through the expanded AST: a macro that expands to a
/// loop header is a loop, a macro statement that jumps (`do { if (x)
/// return; } while (0)`) contributes its real edges. A macro statement
/// without jumps (`pte_unmap_unlock()`) stays one node, named by its
/// invocation.
struct ControlFlowGraphBuilder {
    private(set) var graph = ControlFlowGraph(nodes: [
        .init(kind: .entry, cursor: nil, range: 0..<0),
        .init(kind: .exit, cursor: nil, range: 0..<0),
    ])
    private var labels: [String: Int] = [:]
    private var loops: [Range<Int>] = []
    private var macroDepth = 0
    let source: SourceModel
    /// Nodes whose expression hides a jump (a statement expression with a
    /// `goto` or `return`): their control flow is not followed.
    private(set) var hiddenJumps: [Int] = []

    init(source: SourceModel) {
        self.source = source
    }

    mutating func build(body: Cursor) -> ControlFlowGraph {
        let first = build(body, next: graph.exit, breakTarget: nil, continueTarget: nil, parent: nil)
        graph.nodes[graph.entry].successors = [first]
        return graph
    }

    private mutating func add(_ kind: ControlFlowGraph.Node.Kind, _ cursor: Cursor?, range: Range<Int>,
                              successors: [Int], parent: CursorKind?) -> Int {
        graph.nodes.append(.init(kind: kind, cursor: cursor, range: range, successors: successors,
                                 parentKind: parent, loops: loops, insideMacro: macroDepth > 0))
        return graph.nodes.count - 1
    }

    private mutating func labelNode(_ name: String) -> Int {
        if let id = labels[name] { return id }
        let id = add(.label, nil, range: 0..<0, successors: [], parent: nil)
        labels[name] = id
        return id
    }

    private mutating func build(_ statement: Cursor, next: Int, breakTarget: Int?, continueTarget: Int?,
                                parent: CursorKind?) -> Int {
        let range = statement.extent.byteRange
        let kind = statement.kind
        if macroDepth == 0, kind != .compoundStmt, let invocation = source.invocation(exactly: range),
           source.origin(of: range) == .body(invocation) {
            guard Self.containsJump(statement) else {
                return add(.statement, statement, range: range, successors: [next], parent: parent)
            }
            macroDepth += 1
            defer { macroDepth -= 1 }
            return buildStructure(statement, kind: kind, range: range, next: next, breakTarget: breakTarget,
                                  continueTarget: continueTarget, parent: parent)
        }
        return buildStructure(statement, kind: kind, range: range, next: next, breakTarget: breakTarget,
                              continueTarget: continueTarget, parent: parent)
    }

    private mutating func buildStructure(_ statement: Cursor, kind: CursorKind, range: Range<Int>, next: Int,
                                         breakTarget: Int?, continueTarget: Int?, parent: CursorKind?) -> Int {
        let children = statement.children
        switch kind {
        case .compoundStmt:
            var entry = next
            for child in children.reversed() {
                entry = build(child, next: entry, breakTarget: breakTarget, continueTarget: continueTarget,
                              parent: .compoundStmt)
            }
            return entry
        case .ifStmt where children.count >= 2:
            let thenEntry = build(children[1], next: next, breakTarget: breakTarget,
                                  continueTarget: continueTarget, parent: .ifStmt)
            let elseEntry = children.count >= 3
                ? build(children[2], next: next, breakTarget: breakTarget, continueTarget: continueTarget,
                        parent: .ifStmt)
                : next
            return add(.condition, children[0], range: children[0].extent.byteRange,
                       successors: [thenEntry, elseEntry], parent: parent)
        case .whileStmt where children.count == 2:
            loops.append(range)
            let condition = add(.condition, children[0], range: children[0].extent.byteRange,
                                successors: [], parent: parent)
            let bodyEntry = build(children[1], next: condition, breakTarget: next, continueTarget: condition,
                                  parent: .whileStmt)
            graph.nodes[condition].successors = [bodyEntry, next]
            loops.removeLast()
            return condition
        case .doStmt where children.count == 2:
            loops.append(range)
            let condition = add(.condition, children[1], range: children[1].extent.byteRange,
                                successors: [], parent: parent)
            let bodyEntry = build(children[0], next: condition, breakTarget: next, continueTarget: condition,
                                  parent: .doStmt)
            graph.nodes[condition].successors = [bodyEntry, next]
            loops.removeLast()
            return bodyEntry
        case .forStmt:
            return buildFor(statement, children: children, next: next, parent: parent)
        case .switchStmt where children.count == 2:
            let condition = add(.condition, children[0], range: children[0].extent.byteRange,
                                successors: [], parent: parent)
            let before = graph.nodes.count
            // The body is entered only through its case labels.
            _ = build(children[1], next: next, breakTarget: next, continueTarget: continueTarget,
                      parent: .switchStmt)
            // Case and default labels built inside the body are the targets.
            let cases = (before..<graph.nodes.count).filter { graph.nodes[$0].kind == .caseLabel }
            let hasDefault = cases.contains { graph.nodes[$0].range.isEmpty }
            graph.nodes[condition].successors = cases + (hasDefault ? [] : [next])
            return condition
        case .caseStmt, .defaultStmt:
            // Only the label itself: its statement is a node of its own.
            // (A default label gets an empty range, which marks it.)
            let sub = children.last.map {
                build($0, next: next, breakTarget: breakTarget, continueTarget: continueTarget, parent: kind)
            } ?? next
            let labelRange = kind == .defaultStmt ? range.lowerBound..<range.lowerBound
                : range.lowerBound..<(children.last?.extent.start.offset ?? range.upperBound)
            return add(.caseLabel, nil, range: labelRange, successors: [sub], parent: parent)
        case .labelStmt:
            let id = labelNode(statement.spelling)
            let sub = children.last.map {
                build($0, next: next, breakTarget: breakTarget, continueTarget: continueTarget, parent: .labelStmt)
            } ?? next
            graph.nodes[id].successors = [sub]
            // The label alone: its statement is a node of its own.
            graph.nodes[id].range = range.lowerBound..<(children.last?.extent.start.offset ?? range.upperBound)
            graph.nodes[id].parentKind = parent
            graph.nodes[id].loops = loops
            graph.nodes[id].insideMacro = macroDepth > 0
            return id
        case .gotoStmt:
            let target = labelNode(children.first?.spelling ?? "")
            return add(.jump, statement, range: range, successors: [target], parent: parent)
        case .returnStmt:
            return add(.jump, statement, range: range, successors: [graph.exit], parent: parent)
        case .breakStmt:
            return add(.jump, statement, range: range, successors: [breakTarget ?? next], parent: parent)
        case .continueStmt:
            return add(.jump, statement, range: range, successors: [continueTarget ?? next], parent: parent)
        case .nullStmt:
            return next
        default:
            let node = add(.statement, statement, range: range, successors: [next], parent: parent)
            if Self.containsJump(statement) && kind.isExpression {
                hiddenJumps.append(node)     // a statement expression with a goto
            }
            return node
        }
    }

    /// `for (init; cond; inc) body`: libclang leaves out absent parts, so
    /// when fewer than three are there, the header's own tokens say which
    /// (the file's bytes for a `for` written in the file, the macro's
    /// definition for one a macro made). A header that cannot be read is
    /// built so that every path it might have is there: each part in turn,
    /// then a test that may enter the body or leave.
    private mutating func buildFor(_ statement: Cursor, children: [Cursor], next: Int,
                                   parent: CursorKind?) -> Int {
        guard let body = children.last else {
            return add(.statement, statement, range: statement.extent.byteRange, successors: [next], parent: parent)
        }
        let header = Array(children.dropLast())
        var parts: (initial: Cursor?, condition: Cursor?, increment: Cursor?)
        var readable = true
        if header.count == 3 {
            parts = (header[0], header[1], header[2])
        } else if header.isEmpty, forHeaderPresence(statement) != nil {
            parts = (nil, nil, nil)
        } else if let present = forHeaderPresence(statement), present.filter({ $0 }).count == header.count {
            var remaining = header[...]
            parts = (present[0] ? remaining.popFirst() : nil, present[1] ? remaining.popFirst() : nil,
                     present[2] ? remaining.popFirst() : nil)
        } else {
            readable = false
        }
        loops.append(statement.extent.byteRange)
        defer { loops.removeLast() }
        guard readable else {
            // Every order is possible: the parts, then a test either way.
            let test = add(.condition, statement, range: statement.extent.start.offset..<body.extent.start.offset,
                           successors: [], parent: parent)
            var entry = test
            for part in header.reversed() {
                entry = add(.statement, part, range: part.extent.byteRange, successors: [entry], parent: .forStmt)
            }
            let bodyEntry = build(body, next: entry, breakTarget: next, continueTarget: entry, parent: .forStmt)
            graph.nodes[test].successors = [bodyEntry, next]
            return entry
        }
        let conditionRange = parts.condition?.extent.byteRange
            ?? statement.extent.start.offset..<body.extent.start.offset
        let conditionNode = add(.condition, parts.condition ?? statement, range: conditionRange,
                                successors: [], parent: parent)
        let incrementNode = parts.increment.map {
            add(.statement, $0, range: $0.extent.byteRange, successors: [conditionNode], parent: .forStmt)
        } ?? conditionNode
        let bodyEntry = build(body, next: incrementNode, breakTarget: next, continueTarget: incrementNode,
                              parent: .forStmt)
        graph.nodes[conditionNode].successors = parts.condition == nil ? [bodyEntry] : [bodyEntry, next]
        let initNode = parts.initial.map {
            add(.statement, $0, range: $0.extent.byteRange, successors: [conditionNode], parent: parent)
        } ?? conditionNode
        return initNode
    }

    /// Which of init, condition and increment a `for` header has, from its
    /// tokens in file coordinates; nil when they cannot be read.
    private func forHeaderPresence(_ statement: Cursor) -> [Bool]? {
        let start = statement.extent.start.offset
        let unit = statement.translationUnit
        let tokens: [String]
        switch source.origin(at: start) {
        case .text, .argument:
            guard let body = statement.children.last else { return nil }
            tokens = unit.tokens(inFile: source.path, start: start, end: body.extent.start.offset).map(\.spelling)
        case .body(let invocation):
            // The macro's definition, when it holds exactly one `for`.
            guard let definition = invocation.cursor.referenced else { return nil }
            let all = definition.tokens.map(\.spelling)
            let fors = all.indices.filter { all[$0] == "for" }
            guard fors.count == 1 else { return nil }
            tokens = Array(all[fors[0]...])
        }
        guard tokens.count >= 2, tokens[0] == "for", tokens[1] == "(" else { return nil }
        var present = [false, false, false]
        var part = 0
        var depth = 0
        for token in tokens.dropFirst() {
            switch token {
            case "(", "[", "{":
                depth += 1
                if depth == 1 { continue }
            case ")", "]", "}":
                depth -= 1
                if depth == 0 { return part == 2 ? present : nil }
            case ";" where depth == 1:
                part += 1
                if part > 2 { return nil }
                continue
            default: break
            }
            present[part] = true
        }
        return nil
    }

    static func containsJump(_ cursor: Cursor) -> Bool {
        var found = false
        cursor.visitChildren { child in
            if [.gotoStmt, .returnStmt, .breakStmt, .continueStmt].contains(child.kind) {
                found = true
                return .break
            }
            return .recurse
        }
        return found
    }
}
