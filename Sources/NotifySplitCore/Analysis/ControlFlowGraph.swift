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
struct ControlFlowGraphBuilder {
    private(set) var graph = ControlFlowGraph(nodes: [
        .init(kind: .entry, cursor: nil, range: 0..<0),
        .init(kind: .exit, cursor: nil, range: 0..<0),
    ])
    private var labels: [String: Int] = [:]
    private var loops: [Range<Int>] = []
    /// Byte ranges of macro invocations: a statement that is exactly one is
    /// a leaf, whatever it expanded to.
    let macroRanges: Set<Range<Int>>
    /// Control flow hidden inside a macro-expanded statement (a `return` in
    /// a macro): the graph cannot be trusted then.
    private(set) var hiddenJumps: [Range<Int>] = []

    init(macroRanges: Set<Range<Int>>) {
        self.macroRanges = macroRanges
    }

    mutating func build(body: Cursor) -> ControlFlowGraph {
        let first = build(body, next: graph.exit, breakTarget: nil, continueTarget: nil, parent: nil)
        graph.nodes[graph.entry].successors = [first]
        return graph
    }

    private mutating func add(_ kind: ControlFlowGraph.Node.Kind, _ cursor: Cursor?, range: Range<Int>,
                              successors: [Int], parent: CursorKind?) -> Int {
        graph.nodes.append(.init(kind: kind, cursor: cursor, range: range, successors: successors,
                                 parentKind: parent, loops: loops))
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
        if macroRanges.contains(range) && kind != .compoundStmt {
            if Self.containsJump(statement) { hiddenJumps.append(range) }
            return add(.statement, statement, range: range, successors: [next], parent: parent)
        }
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
            if Self.containsJump(statement) && kind.isExpression {
                hiddenJumps.append(range)     // a statement expression with a goto
            }
            return add(.statement, statement, range: range, successors: [next], parent: parent)
        }
    }

    /// `for (init; cond; inc) body`: libclang leaves out absent parts, so
    /// each child is placed by where it sits relative to the header's `;`s.
    private mutating func buildFor(_ statement: Cursor, children: [Cursor], next: Int,
                                   parent: CursorKind?) -> Int {
        var semicolons: [Int] = []
        var depth = 0
        for token in statement.tokens {
            switch token.spelling {
            case "(": depth += 1
            case ")": depth -= 1
            case ";" where depth == 1: semicolons.append(token.extent.start.offset)
            default: break
            }
            if semicolons.count == 2 { break }
        }
        guard semicolons.count == 2, let body = children.last else {
            hiddenJumps.append(statement.extent.byteRange)   // not understood: distrust
            return add(.statement, statement, range: statement.extent.byteRange, successors: [next], parent: parent)
        }
        let header = children.dropLast()
        let initPart = header.first { $0.extent.end.offset <= semicolons[0] }
        let condition = header.first { $0.extent.start.offset > semicolons[0] && $0.extent.end.offset <= semicolons[1] }
        let increment = header.first { $0.extent.start.offset > semicolons[1] }
        loops.append(statement.extent.byteRange)
        let conditionNode = add(.condition, condition ?? statement,
                                range: condition?.extent.byteRange ?? semicolons[0]..<semicolons[1],
                                successors: [], parent: parent)
        let incrementNode = increment.map {
            add(.statement, $0, range: $0.extent.byteRange, successors: [conditionNode], parent: .forStmt)
        } ?? conditionNode
        let bodyEntry = build(body, next: incrementNode, breakTarget: next, continueTarget: incrementNode,
                              parent: .forStmt)
        graph.nodes[conditionNode].successors = condition == nil ? [bodyEntry] : [bodyEntry, next]
        loops.removeLast()
        let initNode = initPart.map {
            add(.statement, $0, range: $0.extent.byteRange, successors: [conditionNode], parent: parent)
        } ?? conditionNode
        return initNode
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
