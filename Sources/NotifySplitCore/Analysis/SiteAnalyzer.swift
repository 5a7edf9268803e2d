import Clang
import Foundation

/// Decides the verdict of each call site from general rules on the code's
/// shape — release points, paths, hazards, the young result's consumer —
/// never from a function's name.
struct SiteAnalyzer {
    let function: FunctionBody
    let model: MacroModel
    let rangeAPI: RangeNotifierAPI?
    /// Where the tree documents the rule that a re-pointed pte needs its
    /// secondary TLB invalidated under the lock, if it does.
    let ruleDocument: String?

    private var graph: ControlFlowGraph { function.graph }

    func decide(_ site: CallSite) -> SiteDecision {
        switch analyse(site) {
        case .success(let plan):
            let verdict: Verdict = plan.range != nil ? .range : plan.guarded ? .guarded : .unguarded
            return SiteDecision(site: site, verdict: verdict, reason: "", plan: plan)
        case .failure(let refusal):
            return SiteDecision(site: site, verdict: .refused, reason: refusal.reason, plan: nil)
        }
    }

    struct Refusal: Error { var reason: String }

    private func line(_ offset: Int) -> Int { function.line(of: offset) }

    // MARK: - The analysis

    private func analyse(_ site: CallSite) -> Result<ConversionPlan, Refusal> {
        do { return .success(try plan(site)) } catch { return .failure(error) }
    }

    private func plan(_ site: CallSite) throws(Refusal) -> ConversionPlan {
        if let via = site.via {
            throw Refusal(reason: "used through the wrapper macro \(via)(); convert the wrapper by hand")
        }
        guard let macro = model[site.macro], macro.hasNotifierDefinition,
              macro.plainOp != nil, let combine = macro.combine else {
            throw Refusal(reason: "mmu_notifier.h has no notifier form of \(site.macro)() to learn the call from")
        }
        guard var notifierCall = macro.notifierCall(arguments: site.arguments) else {
            throw Refusal(reason: "the call's arguments do not match \(site.macro)()'s parameters")
        }
        if let hidden = function.hiddenJumps.first {
            throw Refusal(reason: "a macro at line \(line(hidden.lowerBound)) of \(function.name)() hides "
                          + "a goto, return, break or continue; its control flow cannot be followed")
        }
        if let directive = function.conditionalDirectiveLines.first {
            throw Refusal(reason: "\(function.name)() has #if blocks or an #include in its body (line "
                          + "\(directive)); code in the branches this configuration does not take, or in the "
                          + "included file, was not analysed")
        }
        let invocation = site.start..<site.end
        if let conditional = conditionallyEvaluated(invocation) {
            throw Refusal(reason: "the call is evaluated only sometimes inside its statement (\(conditional)); "
                          + "the tool places notifiers by statements")
        }
        guard let siteNode = graph.node(containing: invocation) else {
            throw Refusal(reason: "the call is not in a statement of \(function.name)()'s control flow")
        }
        if let impure = site.arguments.first(where: { !Self.isSideEffectFree($0) }) {
            throw Refusal(reason: "the argument '\(impure)' has side effects or calls a function; evaluating "
                          + "it again for the notifier after the unlock would change what the code does")
        }

        // 1. Release points: the first unlock of the lock held at the call
        // on every path from it.
        let held = try pageTableLock(at: siteNode)
        var reached = Set<Int>()
        var releases: [Int] = []
        var hidden: Int?
        var returnsLocked = false
        var cycle = false
        var queue = graph.nodes[siteNode].successors
        while let next = queue.popLast() {
            if next == siteNode { cycle = true; continue }
            guard reached.insert(next).inserted else { continue }
            if next == graph.exit { returnsLocked = true; continue }
            if let lock = releaseLock(next),
               held.isEmpty ? releasesPageTableOnly(next) : held.contains(lock) {
                releases.append(next)
                continue
            }
            if isHiddenRelease(next) { hidden = next; continue }
            queue += graph.nodes[next].successors
        }
        if let hidden {
            throw Refusal(reason: "the page-table lock is taken and dropped inside page_vma_mapped_walk() "
                          + "(line \(line(graph.nodes[hidden].range.lowerBound))); \(function.name)() has no "
                          + "unlock to place the notifier after")
        }
        if returnsLocked {
            throw Refusal(reason: "a path from the call leaves \(function.name)() without releasing the "
                          + "page-table lock here; the unlock is elsewhere")
        }
        guard !releases.isEmpty else {
            throw Refusal(reason: "no release of the page-table lock follows the call in \(function.name)()")
        }
        releases.sort { graph.nodes[$0].range.lowerBound < graph.nodes[$1].range.lowerBound }
        let locks = Set(releases.compactMap(releaseLock))
        if locks.count > 1 {
            throw Refusal(reason: "paths from the call release different locks (\(locks.sorted().joined(separator: ", ")))")
        }
        let between = reached.subtracting(releases).subtracting([graph.exit]).sorted {
            graph.nodes[$0].range.lowerBound < graph.nodes[$1].range.lowerBound
        }

        // 2. Hazards between the call and the unlock.
        let chain = function.chain(to: invocation)
        let resultVariable = assignedVariable(chain: chain, invocation: invocation)
        try checkHazards(between: between, releases: releases, resultVariable: resultVariable)

        // 3. A loop over ptes with the unlock after it: a range, or nothing.
        let siteLoops = graph.nodes[siteNode].loops
        for release in releases where graph.nodes[release].loops.contains(where: { !siteLoops.contains($0) }) {
            throw Refusal(reason: "the unlock at line \(line(graph.nodes[release].range.lowerBound)) is inside "
                          + "a loop the call is not in")
        }
        let loopsLeft = Set(releases.flatMap { release in
            siteLoops.filter { !graph.nodes[release].loops.contains($0) }
        })
        if cycle || !loopsLeft.isEmpty {
            return try rangePlan(site: site, macro: macro, combine: combine, notifierCall: notifierCall,
                                 siteNode: siteNode, releases: releases, loops: loopsLeft)
        }

        // 4. Notifier arguments must still mean the same after the unlock.
        let dependencies = ValuePaths.dependencies(of: site.arguments)
        for node in between {
            guard let cursor = graph.nodes[node].cursor else { continue }
            for written in function.writtenPaths(in: cursor).sorted()
            where dependencies.contains(where: { ValuePaths.conflicts(written: written, with: $0) }) {
                throw Refusal(reason: "'\(written)', which the call's arguments read, is assigned at line "
                              + "\(line(graph.nodes[node].range.lowerBound)) before the unlock; the notifier "
                              + "after it would see the new value")
            }
        }
        notifierCall = simplify(notifierCall)

        // 5. Where the notifier goes, and whether a flag must guard it.
        let bypassed = graph.reachable(from: graph.entry, avoiding: [siteNode])
        let guarded = releases.count > 1 || releases.contains { bypassed.contains($0) }
        var planned: [ConversionPlan.Release] = []
        for release in releases {
            let node = graph.nodes[release]
            guard node.kind == .statement, node.parentKind == .compoundStmt || node.parentKind == .labelStmt,
                  let after = function.semicolon(after: node.range.upperBound) else {
                throw Refusal(reason: "the unlock at line \(line(node.range.lowerBound)) is not a statement "
                              + "of its own in a block; the notifier cannot be placed after it")
            }
            if guarded && !node.loops.isEmpty {
                throw Refusal(reason: "the unlock at line \(line(node.range.lowerBound)) is inside a loop; a "
                              + "flag set in one iteration would fire the notifier in the next")
            }
            planned.append(.init(insertAt: after, indent: function.indentation(at: node.range.lowerBound),
                                 line: line(node.range.lowerBound)))
        }

        // 6. The macro's value: the plain op's (flush), or young's consumer.
        var plan = ConversionPlan(macro: macro, notifierCall: notifierCall, releases: planned, result: .plain,
                                  guarded: guarded, statementEnd: nil, statementIndent: [], range: nil)
        let statement = fullStatement(chain: chain, invocation: invocation)
        if combine == .or {
            plan.result = .young(consumer: try youngConsumer(chain: chain, invocation: invocation,
                                                             between: between))
            if guarded, case .young(consumer: .none) = plan.result {
                plan.statementEnd = try statementEndForFlag(statement)
            }
        } else if guarded {
            plan.statementEnd = try statementEndForFlag(statement)
        }
        if let end = plan.statementEnd ?? youngStatementStart(plan) {
            plan.statementIndent = function.indentation(at: statement?.extent.start.offset ?? end)
        }
        return plan
    }

    private func youngStatementStart(_ plan: ConversionPlan) -> Int? {
        if case .young(consumer: .statement(let range, _)) = plan.result { return range.lowerBound }
        return nil
    }

    /// The call sits in the second operand of `&&`/`||` or in a `?:`
    /// branch: whether it runs is decided inside the statement.
    private func conditionallyEvaluated(_ invocation: Range<Int>) -> String? {
        let chain = function.chain(to: invocation)
        for (i, node) in chain.enumerated() where i + 1 < chain.count {
            let child = chain[i + 1]
            if node.kind == .conditionalOperator, node.children.first != child {
                return "a branch of ?:"
            }
            if node.kind == .binaryOperator, node.children.count == 2, node.children[1] == child {
                let lhsEnd = node.children[0].extent.end.offset
                let op = node.tokens.first { $0.kind == .punctuation && $0.extent.start.offset >= lhsEnd }
                if op?.spelling == "&&" || op?.spelling == "||" {
                    return "the right operand of \(op!.spelling)"
                }
            }
        }
        return nil
    }

    // MARK: - Release points

    /// The lock a node releases, if it is an unlock.
    func releaseLock(_ node: Int) -> String? {
        let found = function.invocations(of: Set(LockOperations.releases.keys), in: graph.nodes[node])
        guard let first = found.min(by: { $0.offset < $1.offset }),
              let index = LockOperations.releases[first.name], index < first.arguments.count else {
            return nil
        }
        return LockOperations.lockName(first.arguments[index])
    }

    /// The page-table lock held at `node`, found walking backwards to the
    /// acquisitions on every path: the lock of a page-table acquisition
    /// (`pte_offset_map_lock(…, &ptl)`, `page_check_address()`, …), else
    /// the one spinlock taken (2.6-era `spin_lock(ptl)`). Empty when the
    /// function takes none (its caller did): then only page-table unlocks
    /// (`pte_unmap_unlock()`, …) count as releases.
    private func pageTableLock(at node: Int) throws(Refusal) -> Set<String> {
        var predecessors = Array(repeating: [Int](), count: graph.nodes.count)
        for (index, candidate) in graph.nodes.enumerated() {
            for successor in candidate.successors { predecessors[successor].append(index) }
        }
        var pageTableLocks = Set<String>()
        var otherLocks = Set<String>()
        var seen: Set<Int> = [node]
        var queue = predecessors[node]
        while let previous = queue.popLast() {
            guard seen.insert(previous).inserted else { continue }
            for call in function.invocations(of: LockOperations.acquires, in: graph.nodes[previous]) {
                guard let index = LockOperations.acquiring[call.name], index < call.arguments.count else { continue }
                let lock = LockOperations.lockName(call.arguments[index])
                if LockOperations.pageTableAcquires.contains(call.name) {
                    pageTableLocks.insert(lock)
                } else {
                    otherLocks.insert(lock)
                }
            }
            queue += predecessors[previous]
        }
        if !pageTableLocks.isEmpty { return pageTableLocks }
        if otherLocks.count > 1 {
            throw Refusal(reason: "several spinlocks (\(otherLocks.sorted().joined(separator: ", "))) are taken "
                          + "before the call; which one is the page-table lock cannot be told")
        }
        return otherLocks
    }

    /// True when the node's unlock is one only a page-table lock has.
    private func releasesPageTableOnly(_ node: Int) -> Bool {
        !function.invocations(of: LockOperations.pageTableReleases, in: graph.nodes[node]).isEmpty
    }

    /// Arguments the notifier may evaluate again: names, members, constants,
    /// arithmetic and upper-case macros; no call, increment or assignment.
    static func isSideEffectFree(_ argument: String) -> Bool {
        let tokens = CExpression.tokens(argument)
        for (i, token) in tokens.enumerated() {
            if ["++", "--", "=", "+=", "-=", "|=", "&="].contains(token) { return false }
            if token == "(", i > 0, let first = tokens[i - 1].utf8.first, CLexer.isIdentifierStart(first),
               tokens[i - 1] != tokens[i - 1].uppercased(), tokens[i - 1] != "sizeof" {
                return false
            }
        }
        return true
    }

    private func isHiddenRelease(_ node: Int) -> Bool {
        !function.operations(of: graph.nodes[node]).isDisjoint(with: LockOperations.hiddenReleases)
    }

    // MARK: - Hazards

    private func checkHazards(between: [Int], releases: [Int], resultVariable: String?) throws(Refusal) {
        let unlockLine = line(graph.nodes[releases[0]].range.lowerBound)
        for node in between {
            let operations = function.operations(of: graph.nodes[node])
            if let drop = operations.intersection(LockOperations.pageReferenceDrops).sorted().first {
                throw Refusal(reason: "\(drop)() at line \(line(graph.nodes[node].range.lowerBound)) drops a page "
                              + "reference before the unlock at line \(unlockLine); a notifier after the unlock "
                              + "could leave a secondary mapping to a freed page")
            }
            for write in function.invocations(of: Set(LockOperations.pteWrites.keys), in: graph.nodes[node]) {
                let index = LockOperations.pteWrites[write.name]!
                guard index < write.arguments.count else { continue }
                let value = write.arguments[index]
                if !derives(value, from: resultVariable) {
                    var reason = "\(write.name)() at line \(line(write.offset)) re-points the pte to '\(value)', "
                        + "not derived from the cleared pte; the secondary TLB must be invalidated under the "
                        + "page-table lock"
                    if let ruleDocument { reason += " (\(ruleDocument))" }
                    throw Refusal(reason: reason)
                }
            }
        }
    }

    /// True when `value` (or every value assigned to it, for a variable)
    /// is computed from the cleared pte the macro returned.
    private func derives(_ value: String, from resultVariable: String?) -> Bool {
        guard let resultVariable else { return false }
        let tokens = CExpression.tokens(value)
        if tokens.count == 1, let local = function.locals[tokens[0]], tokens[0] != resultVariable {
            var sources: [String] = local.initializer.map { [$0] } ?? []
            function.body.visitChildren { child in
                if child.kind == .binaryOperator, child.children.count == 2,
                   child.children[0].kind == .declRefExpr, child.children[0].spelling == tokens[0],
                   function.writes(in: child).contains(tokens[0]) {
                    sources.append(function.text(child.children[1].extent.byteRange))
                }
                return .recurse
            }
            return !sources.isEmpty && sources.allSatisfy { CExpression.tokens($0).contains(resultVariable) }
        }
        return tokens.contains(resultVariable)
    }

    /// `v = MACRO(...)` → `v`.
    private func assignedVariable(chain: [Cursor], invocation: Range<Int>) -> String? {
        for node in chain.reversed() where node.kind == .binaryOperator {
            let children = node.children
            if children.count == 2, children[1].extent.byteRange == invocation,
               children[0].kind == .declRefExpr {
                return children[0].spelling
            }
        }
        for node in chain.reversed() where node.kind == .varDecl {
            return node.spelling
        }
        return nil
    }

    // MARK: - Statements and flags

    /// The innermost statement in a block holding the invocation.
    private func fullStatement(chain: [Cursor], invocation: Range<Int>) -> Cursor? {
        for i in stride(from: chain.count - 1, through: 1, by: -1) where chain[i - 1].kind == .compoundStmt
            || chain[i - 1].kind == .labelStmt {
            return chain[i]
        }
        return nil
    }

    /// Where `flag = 1;` goes: after the call's own expression statement.
    private func statementEndForFlag(_ statement: Cursor?) throws(Refusal) -> Int {
        guard let statement, statement.kind.isExpression,
              let end = function.semicolon(after: statement.extent.end.offset) else {
            throw Refusal(reason: "the call is part of a larger statement; there is no place next to it "
                          + "for the flag the guarded notifier needs")
        }
        return end
    }

    // MARK: - Young results

    private func youngConsumer(chain: [Cursor], invocation: Range<Int>,
                               between: [Int]) throws(Refusal) -> ConversionPlan.YoungConsumer {
        let decides = "the young result decides control flow before the unlock; moving the notifier "
            + "after the unlock would change that decision"
        // The statement holding the call, and its parent.
        var statementIndex: Int?
        for i in stride(from: chain.count - 1, through: 1, by: -1) {
            let parent = chain[i - 1].kind
            if parent == .compoundStmt || parent == .labelStmt { statementIndex = i; break }
            if parent == .ifStmt && chain[i].kind == .ifStmt { statementIndex = i; break }   // else if
        }
        guard let s = statementIndex else { throw Refusal(reason: decides) }
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
                throw Refusal(reason: "the young result chooses between two branches before the unlock; "
                              + "moving the notifier would change that choice")
            }
            guard conditionIsResult(children[0], invocation: invocation),
                  !ControlFlowGraphBuilder.containsJump(children[1]),
                  ![.gotoStmt, .returnStmt, .breakStmt, .continueStmt].contains(children[1].kind) else {
                throw Refusal(reason: decides)
            }
            guard isPureAccumulation(children[1]) else {
                throw Refusal(reason: "the statement guarded by the young result does more than count "
                              + "(a call, a jump or a larger effect); it cannot move after the unlock")
            }
            consumerBody = children[1]
        } else if statement.kind == .binaryOperator || statement.kind == .compoundAssignOperator {
            let children = statement.children
            guard children.count == 2, children[1].extent.byteRange == invocation,
                  children[0].kind == .declRefExpr, parent.kind != .ifStmt else { throw Refusal(reason: decides) }
        } else {
            throw Refusal(reason: decides)
        }
        // Nothing between the consumer and the unlock may touch what it uses.
        let consumerWrites = function.writes(in: statement)
        let consumerReads = function.references(in: statement)
        for node in between where !range.contains(graph.nodes[node].range.lowerBound) {
            guard let cursor = graph.nodes[node].cursor else { continue }
            let at = line(graph.nodes[node].range.lowerBound)
            if let clash = function.references(in: cursor).intersection(consumerWrites).sorted().first {
                throw Refusal(reason: "'\(clash)', which the young result's consumer updates, is used at line \(at) "
                              + "before the unlock; the consumer cannot move after it")
            }
            if let clash = function.writes(in: cursor).intersection(consumerReads).sorted().first {
                throw Refusal(reason: "'\(clash)', which the young result's consumer reads, is assigned at line "
                              + "\(at) before the unlock; the consumer cannot move after it")
            }
        }
        guard let end = function.semicolon(after: range.upperBound) else { throw Refusal(reason: decides) }
        if parent.kind == .ifStmt {
            // `if (c) A; else if (MACRO(...)) B;`
            let outer = parent
            let outerChildren = outer.children
            guard outerChildren.count == 3, outerChildren[2] == statement, consumerBody != nil,
                  s >= 2, chain[s - 2].kind == .compoundStmt else {
                throw Refusal(reason: "the young result is tested in a longer if/else chain; the tool only "
                              + "rewrites 'if (...) ...; else if (young) ...;'")
            }
            let outerThen = outerChildren[1]
            let outerThenIsBlock = outerThen.kind == .compoundStmt
            if !outerThenIsBlock && function.semicolon(after: outerThen.extent.end.offset) == nil {
                throw Refusal(reason: decides)
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
            if current.extent.byteRange == invocation { return true }
            switch current.kind {
            case .parenExpr, .unexposedExpr:
                guard let child = current.children.first else { return false }
                current = child
            case .binaryOperator:
                let children = current.children
                guard children.count == 2, children[0].extent.byteRange.contains(invocation.lowerBound),
                      isPureExpression(children[1]) else { return false }
                let operatorToken = current.tokens.first {
                    $0.kind == .punctuation && $0.extent.start.offset >= children[0].extent.end.offset
                }
                guard operatorToken?.spelling == "&&" else { return false }
                current = children[0]
            default:
                return false
            }
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

    // MARK: - Ranges

    /// The call sits in a loop over ptes and the unlock comes after the
    /// loop: bracket the lock region with the range notifier, when the
    /// tree has the (mm, start, end) form and the bounds are plain variables.
    private func rangePlan(site: CallSite, macro: NotifyMacro, combine: NotifyMacro.Combine,
                           notifierCall: String, siteNode: Int, releases: [Int],
                           loops: Set<Range<Int>>) throws(Refusal) -> ConversionPlan {
        guard combine == .discard else {
            throw Refusal(reason: "the call is in a loop over ptes and its young result is read per pte; "
                          + "one range notifier cannot give each pte its own answer")
        }
        guard let api = rangeAPI else {
            throw Refusal(reason: "the call is in a loop over ptes with the unlock after the loop, and this "
                          + "tree's mmu_notifier.h has no mmu_notifier_invalidate_range_start(mm, start, end) "
                          + "to bracket the lock region with")
        }
        guard releases.count == 1, let release = releases.first, let lock = releaseLock(release) else {
            throw Refusal(reason: "the loop's lock region ends at several unlocks; one range cannot cover them")
        }
        guard let loopRange = graph.nodes[siteNode].loops.first(where: { loops.contains($0) }),
              let loop = function.chain(to: loopRange).last, loop.extent.byteRange == loopRange,
              loop.kind == .forStmt else {
            throw Refusal(reason: "the call repeats before the unlock, but not in a for loop over an "
                          + "address range the tool can bracket")
        }
        let loopLine = line(loopRange.lowerBound)
        guard let bounds = loopBounds(loop), variables(in: site.arguments).contains(bounds.variable) else {
            throw Refusal(reason: "the loop at line \(loopLine) does not run the call's address from one "
                          + "plain variable to another ('for (addr = start; addr != end; …)')")
        }
        let written = function.writtenPaths(in: function.body)
        guard let mm = macro.notifierArguments(arguments: site.arguments)?.first else {
            throw Refusal(reason: "the notifier's mm argument cannot be learnt from the macro")
        }
        let held = [bounds.start, bounds.end] + ValuePaths.dependencies(of: [mm]).sorted()
        if let changed = held.first(where: { path in
            written.contains { ValuePaths.conflicts(written: $0, with: path) }
        }) {
            throw Refusal(reason: "'\(changed)', a bound of the range, is assigned in \(function.name)(); the "
                          + "range notifier needs bounds that hold from before the lock to after the unlock")
        }
        // The statement taking the same lock before the loop.
        let takers = graph.nodes.indices.filter { index in
            let node = graph.nodes[index]
            guard node.kind == .statement, node.range.upperBound <= loopRange.lowerBound,
                  node.parentKind == .compoundStmt else { return false }
            return function.invocations(of: LockOperations.acquires, in: node).contains { call in
                call.arguments.contains { LockOperations.lockName($0) == lock }
            }
        }
        guard let taker = takers.max(by: { graph.nodes[$0].range.lowerBound < graph.nodes[$1].range.lowerBound })
        else {
            throw Refusal(reason: "the statement taking the page-table lock '\(lock)' before the loop at line "
                          + "\(loopLine) was not found")
        }
        // Every path from taking the lock must reach the unlock.
        var escapes = false
        _ = graph.reachable(from: taker) { next in
            if next == release { return true }
            if next == graph.exit || isHiddenRelease(next) { escapes = true; return true }
            return false
        }
        if escapes {
            throw Refusal(reason: "a path between taking the lock at line \(line(graph.nodes[taker].range.lowerBound)) "
                          + "and the unlock leaves \(function.name)(); the range end would be skipped")
        }
        let node = graph.nodes[release]
        guard node.kind == .statement, node.parentKind == .compoundStmt || node.parentKind == .labelStmt,
              node.loops.isEmpty, let after = function.semicolon(after: node.range.upperBound) else {
            throw Refusal(reason: "the unlock at line \(line(node.range.lowerBound)) is not a statement of its "
                          + "own in a block; the range end cannot be placed after it")
        }
        let mmText = simplify("f(\(mm), x)").dropFirst(2).prefix { $0 != "," }
        let arguments = "\(mmText), \(bounds.start), \(bounds.end)"
        return ConversionPlan(
            macro: macro, notifierCall: notifierCall,
            releases: [.init(insertAt: after, indent: function.indentation(at: node.range.lowerBound),
                             line: line(node.range.lowerBound))],
            result: .plain, guarded: false, statementEnd: nil, statementIndent: [],
            range: RangePlan(lockStatementStart: graph.nodes[taker].range.lowerBound,
                             lockIndent: function.indentation(at: graph.nodes[taker].range.lowerBound),
                             startCall: "\(api.start)(\(arguments))", endCall: "\(api.end)(\(arguments))"))
    }

    /// `for (v = start; v != end; …)` or `v < end` → the three names.
    private func loopBounds(_ loop: Cursor) -> (variable: String, start: String, end: String)? {
        var header: [String] = []
        var depth = 0
        for token in loop.tokens.dropFirst() {
            if token.spelling == "(" { depth += 1; if depth == 1 { continue } }
            if token.spelling == ")" { depth -= 1; if depth == 0 { break } }
            header.append(token.spelling)
        }
        let parts = CExpression.split(header, on: ";")
        guard parts.count == 3, parts[0].count == 3, parts[0][1] == "=", parts[1].count == 3,
              parts[1][1] == "!=" || parts[1][1] == "<", parts[1][0] == parts[0][0] else { return nil }
        let (variable, start, end) = (parts[0][0], parts[0][2], parts[1][2])
        guard [variable, start, end].allSatisfy({ function.locals[$0] != nil }) else { return nil }
        return (variable, start, end)
    }

    // MARK: - Arguments

    /// Locals and parameters named in argument texts (not member names).
    private func variables(in arguments: [String]) -> Set<String> {
        var result = Set<String>()
        for argument in arguments {
            let tokens = CExpression.tokens(argument)
            for (i, token) in tokens.enumerated() where function.locals[token] != nil {
                if i > 0 && (tokens[i - 1] == "->" || tokens[i - 1] == ".") { continue }
                result.insert(token)
            }
        }
        return result
    }

    /// `vma->vm_mm` → `mm` when a local `mm` is initialised to it and never
    /// assigned again: provably the same value.
    private func simplify(_ call: String) -> String {
        var result = call
        let written = function.writtenPaths(in: function.body)
        func stable(_ path: String) -> Bool {
            !written.contains { ValuePaths.conflicts(written: $0, with: path) }
        }
        for (name, local) in function.locals.sorted(by: { $0.key < $1.key })
        where !local.isParameter && stable(name) {
            guard let initializer = local.initializer,
                  CExpression.isPrimary(CExpression.tokens(initializer)),
                  CExpression.tokens(initializer).contains("->") else { continue }
            let rendered = CExpression.render(CExpression.tokens(initializer))
            guard ValuePaths.dependencies(of: [rendered]).allSatisfy(stable) else { continue }
            result = result.replacingOccurrences(of: "(" + rendered + ",", with: "(" + name + ",")
            result = result.replacingOccurrences(of: ", " + rendered + ",", with: ", " + name + ",")
            result = result.replacingOccurrences(of: ", " + rendered + ")", with: ", " + name + ")")
        }
        return result
    }
}
