import Clang

/// The young result's consumer: the statement that reads what
/// `ptep_clear_flush_young_notify()` returned, moved after the unlock to run
/// once with the plain result ORed with the notifier's.
extension SiteAnalyzer {
    func youngConsumer(chain: [Cursor], invocation: Range<Int>,
                       between: [Int]) throws(Refusal) -> ConversionPlan.YoungConsumer {
        let decides = Refusal(.youngDecidesControlFlow, line: line(invocation.lowerBound),
                              "the young result decides control flow before the unlock; moving the notifier "
                              + "after the unlock would change that decision")
        // The statement holding the call, and its parent.
        var statementIndex: Int?
        for i in stride(from: chain.count - 1, through: 1, by: -1) {
            let parent = chain[i - 1].kind
            if parent == .compoundStmt || parent == .labelStmt { statementIndex = i; break }
            if parent == .ifStmt && chain[i].kind == .ifStmt { statementIndex = i; break }   // else if
        }
        guard let s = statementIndex else { throw decides }
        let statement = chain[s]
        let parent = chain[s - 1]
        let range = statement.extent.byteRange

        // `MACRO(...);` — nobody reads the result.
        if range == invocation && parent.kind != .ifStmt {
            return .none
        }
        var consumerBody: Cursor?
        if statement.kind == .ifStmt {
            let children = statement.children
            guard children.count == 2 else {
                throw Refusal(.youngDecidesControlFlow, line: line(invocation.lowerBound),
                              "the young result chooses between two branches before the unlock; "
                              + "moving the notifier would change that choice")
            }
            guard conditionIsResult(children[0], invocation: invocation),
                  !ControlFlowGraphBuilder.containsJump(children[1]),
                  ![.gotoStmt, .returnStmt, .breakStmt, .continueStmt].contains(children[1].kind) else {
                throw decides
            }
            guard isPureAccumulation(children[1]) else {
                throw Refusal(.youngConsumerBlocked, line: line(invocation.lowerBound),
                              "the statement guarded by the young result does more than count "
                              + "(a call, a jump or a larger effect); it cannot move after the unlock")
            }
            consumerBody = children[1]
        } else if statement.kind == .binaryOperator || statement.kind == .compoundAssignOperator {
            let children = statement.children
            guard children.count == 2, children[1].extent.byteRange == invocation,
                  children[0].kind == .declRefExpr, parent.kind != .ifStmt else { throw decides }
        } else {
            throw decides
        }
        // Nothing between the consumer and the unlock may read what it
        // updates or change what it reads; updates of the same family
        // commute with it (`referenced++` there and in the consumer).
        let updated = function.writes(in: statement)
        var families: [Cursor: Set<FunctionBody.UpdateFamily>] = [:]
        var consumerReads = Set<Cursor>()
        for variable in function.references(in: statement) {
            let uses = function.uses(of: variable, in: statement)
            if updated.contains(variable) { families[variable] = Set(uses.updates) }
            if uses.otherUses { consumerReads.insert(variable) }
        }
        for node in between where !range.contains(graph.nodes[node].range.lowerBound) {
            guard let cursor = graph.nodes[node].cursor else { continue }
            let at = line(graph.nodes[node].range.lowerBound)
            let clashes = function.references(in: cursor).intersection(updated).filter { variable in
                let uses = function.uses(of: variable, in: cursor)
                let family = families[variable] ?? []
                return uses.otherUses || family.count != 1 || family.contains(.other)
                    || !Set(uses.updates).isSubset(of: family)
            }
            if let clash = clashes.map(function.name(of:)).sorted().first {
                throw Refusal(.youngConsumerBlocked, line: at,
                              "'\(clash)', which the young result's consumer updates, is used at line \(at) "
                              + "before the unlock; the consumer cannot move after it")
            }
            if let clash = function.writes(in: cursor).intersection(consumerReads).map(function.name(of:))
                .sorted().first {
                throw Refusal(.youngConsumerBlocked, line: at,
                              "'\(clash)', which the young result's consumer reads, is assigned at line "
                              + "\(at) before the unlock; the consumer cannot move after it")
            }
        }
        // A statement ends at its `;`, or at the `}` of an if's block.
        let endsInBlock = statement.kind == .ifStmt && statement.children.last?.kind == .compoundStmt
        guard let end = endsInBlock ? range.upperBound : function.semicolon(after: range.upperBound) else {
            throw decides
        }
        if parent.kind == .ifStmt {
            // `if (c) A; else if (MACRO(...)) B;`
            let outer = parent
            let outerChildren = outer.children
            guard outerChildren.count == 3, outerChildren[2] == statement, consumerBody != nil,
                  s >= 2, chain[s - 2].kind == .compoundStmt else {
                throw Refusal(.youngConsumerBlocked, line: line(invocation.lowerBound),
                              "the young result is tested in a longer if/else chain; the tool only "
                              + "rewrites 'if (...) ...; else if (young) ...;'")
            }
            let outerThen = outerChildren[1]
            let outerThenIsBlock = outerThen.kind == .compoundStmt
            if !outerThenIsBlock && function.semicolon(after: outerThen.extent.end.offset) == nil {
                throw decides
            }
            return .elseIf(outer: outer.extent.byteRange, outerCondition: outerChildren[0].extent.byteRange,
                           outerThen: outerThen.extent.byteRange, outerThenIsBlock: outerThenIsBlock,
                           inner: range, end: end)
        }
        return .statement(range: range, end: end)
    }

    /// `MACRO(...)`, `(MACRO(...))` or `MACRO(...) && pure`.
    private func conditionIsResult(_ condition: Cursor, invocation: Range<Int>) -> Bool {
        var current = condition
        while true {
            if function.source.range(of: current) == invocation { return true }
            switch current.kind {
            case .parenExpr, .unexposedExpr:
                guard let child = current.children.first else { return false }
                current = child
            case .binaryOperator:
                let children = current.children
                guard children.count == 2, children[0].extent.byteRange.contains(invocation.lowerBound),
                      isPureExpression(children[1]) else { return false }
                guard function.operatorSpelling(current) == "&&" else { return false }
                current = children[0]
            case .callExpr where current.spelling == "__builtin_expect":
                // likely()/unlikely(): `__builtin_expect(!!(x), c)` has x's truth.
                let arguments = Array(current.children.dropFirst())
                guard arguments.count == 2, let operand = doubleNegation(arguments[0]) else { return false }
                current = operand
            default:
                return false
            }
        }
    }

    /// `!!(x)` → `x`: two logical negations keep x's truth.
    private func doubleNegation(_ expression: Cursor) -> Cursor? {
        func strip(_ node: Cursor) -> Cursor {
            var node = node
            while [.parenExpr, .unexposedExpr].contains(node.kind), let child = node.children.first { node = child }
            return node
        }
        let outer = strip(expression)
        guard outer.kind == .unaryOperator, isLogicalNot(outer), let middle = outer.children.first.map(strip),
              middle.kind == .unaryOperator, isLogicalNot(middle), let operand = middle.children.first else {
            return nil
        }
        return operand
    }

    /// A unary `!`, read from the file, or from the definition of the macro
    /// that made it (`#define likely(x) __builtin_expect(!!(x), 1)`).
    private func isLogicalNot(_ node: Cursor) -> Bool {
        guard node.type.canonical == "int" else { return false }
        switch function.source.origin(of: node) {
        case .text, .argument:
            let start = node.extent.start.offset
            return node.translationUnit.tokens(inFile: function.path, start: start, end: start + 1)
                .first?.spelling == "!"
        case .body(let invocation):
            let tokens = invocation.cursor.referenced?.tokens.map(\.spelling) ?? []
            return zip(tokens, tokens.dropFirst()).contains { $0 == "!" && $1 == "!" }
        }
    }

    /// Counting only: increments, compound assignments and constant
    /// stores, possibly under pure conditions; no calls, no jumps.
    private func isPureAccumulation(_ statement: Cursor) -> Bool {
        switch statement.kind {
        case .compoundStmt:
            return statement.children.allSatisfy(isPureAccumulation)
        case .ifStmt:
            let children = statement.children
            return isPureExpression(children[0]) && children.dropFirst().allSatisfy(isPureAccumulation)
        case .unaryOperator, .compoundAssignOperator, .binaryOperator:
            // An increment or an assignment (it writes something), with no call.
            return !function.writes(in: statement).isEmpty && !hasCall(statement)
        case .parenExpr, .unexposedExpr:
            return statement.children.allSatisfy(isPureAccumulation)
        default:
            return false
        }
    }

    private func isPureExpression(_ expression: Cursor) -> Bool {
        function.writes(in: expression).isEmpty && !hasCall(expression)
            && ![.gotoStmt, .returnStmt].contains(expression.kind)
    }

    private func hasCall(_ cursor: Cursor) -> Bool {
        function.calls(in: cursor).contains { !$0.hasPrefix("__builtin_") }
    }

}
