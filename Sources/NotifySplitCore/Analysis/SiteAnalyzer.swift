import Clang
import Foundation

/// Decides the verdict of each call site from general rules on the code's
/// meaning — release points, paths, hazards, the young result's consumer —
/// never from a function's name. The phases live in their own files: the
/// lock region (LockRegion), the hazards (HazardRules), the young result's
/// consumer (YoungConsumerPlanner) and loops over ptes (RangePlanner).
struct SiteAnalyzer {
    let function: FunctionBody
    let model: MacroModel
    let rangeAPI: RangeNotifierAPI?
    /// Where the tree documents the rule that a re-pointed pte needs its
    /// secondary TLB invalidated under the lock, if it does.
    let ruleDocument: String?

    var graph: ControlFlowGraph { function.graph }

    func decide(_ site: CallSite) -> SiteDecision {
        do {
            let plan = try plan(site)
            let verdict: Verdict = plan.range != nil ? .range : plan.guarded ? .guarded : .unguarded
            return SiteDecision(site: site, verdict: verdict, plan: plan)
        } catch {
            return .refused(site, error.findings)
        }
    }

    /// Why a site cannot be converted: every finding, most fundamental first.
    struct Refusal: Error {
        var findings: [Finding]
        init(_ rule: Finding.Rule, line: Int, _ message: String) {
            findings = [Finding(rule, line: line, message)]
        }
        init(findings: [Finding]) { self.findings = findings }
    }

    func line(_ offset: Int) -> Int { function.line(of: offset) }

    // MARK: - The analysis

    private func plan(_ site: CallSite) throws(Refusal) -> ConversionPlan {
        if let via = site.via {
            throw Refusal(.throughWrapper, line: site.line,
                          "used through the wrapper macro \(via)(); convert the wrapper by hand")
        }
        guard let macro = model[site.macro], macro.hasNotifierDefinition,
              macro.plainOp != nil, let combine = macro.combine else {
            throw Refusal(.noNotifierForm, line: site.line,
                          "mmu_notifier.h has no notifier form of \(site.macro)() to learn the call from")
        }
        guard var notifierCall = macro.notifierCall(arguments: site.arguments),
              let invocation = function.source.invocation(exactly: site.start..<site.end) else {
            throw Refusal(.argumentsMismatch, line: site.line,
                          "the call's arguments do not match \(site.macro)()'s parameters")
        }
        if let conditional = conditionallyEvaluated(invocation.range) {
            var findings = [Finding(.conditionallyEvaluated, line: site.line,
                                    "the call is evaluated only sometimes inside its statement (\(conditional)); "
                                    + "the tool places notifiers by statements")]
            if combine == .or {
                // A young result inside a condition decides which way it goes.
                findings.insert(Finding(.youngDecidesControlFlow, line: site.line,
                                        "the young result is an operand of a condition before the unlock; moving "
                                        + "the notifier after the unlock would change that decision"), at: 0)
            }
            throw Refusal(findings: findings)
        }
        guard let siteNode = graph.node(containing: invocation.range), !graph.nodes[siteNode].insideMacro else {
            throw Refusal(.notInControlFlow, line: site.line,
                          "the call is not in a statement of \(function.name)()'s control flow")
        }
        if let impure = site.arguments.first(where: { !Self.isSideEffectFree($0) }) {
            throw Refusal(.argumentSideEffect, line: site.line,
                          "the argument '\(impure)' has side effects or calls a function; evaluating "
                          + "it again for the notifier after the unlock would change what the code does")
        }

        // 1. Release points: the first unlock of the lock held at the call
        // on every path from it.
        let region = try LockRegion.find(from: siteNode, in: self)
        let releases = region.releases
        try refuseHiddenJumps(siteNode: siteNode, releases: releases)

        // 2. Hazards between the call and the unlock, all of them.
        let chain = function.chain(to: invocation.range)
        let dependencies = Set(function.argumentNodes(of: invocation).flatMap(function.readPaths(in:)))
        var findings: [Finding] = []
        var consumer: ConversionPlan.YoungConsumer?
        if combine == .or {
            do {
                consumer = try youngConsumer(chain: chain, invocation: invocation.range, between: region.between)
            } catch {
                findings += error.findings
            }
        }
        // 3. A loop over ptes with the unlock after it: a range, or nothing.
        let siteLoops = graph.nodes[siteNode].loops
        let loopsLeft = Set(releases.flatMap { release in
            siteLoops.filter { !graph.nodes[release].loops.contains($0) }
        })
        let isRange = region.cycle || !loopsLeft.isEmpty
        // A range is invalidated before the lock is taken: then nothing the
        // region does to pages or ptes can leave a secondary mapping behind.
        var elsewhere: [DeferredCall] = []
        if !isRange || combine != .discard {
            findings += hazards(between: region.between, releases: releases,
                                cleared: assignedVariable(chain: chain, invocation: invocation.range),
                                elsewhere: &elsewhere)
        }
        if !isRange {
            // 4. Notifier arguments must still mean the same after the unlock.
            findings += argumentWrites(between: region.between, dependencies: dependencies)
        }
        // Functions of other files are parsed only when they can still
        // decide the verdict: a site refused already stays refused.
        findings += findings.isEmpty ? calleeHazardsElsewhere(elsewhere) : calleesNotLookedUp(elsewhere)
        if !findings.isEmpty { throw Refusal(findings: Self.mostFundamentalFirst(findings)) }

        for release in releases where graph.nodes[release].loops.contains(where: { !siteLoops.contains($0) }) {
            throw Refusal(.unlockInOtherLoop, line: line(graph.nodes[release].range.lowerBound),
                          "the unlock at line \(line(graph.nodes[release].range.lowerBound)) is inside "
                          + "a loop the call is not in")
        }
        if isRange {
            return try rangePlan(site: site, macro: macro, combine: combine, notifierCall: notifierCall,
                                 siteNode: siteNode, releases: releases, loops: loopsLeft)
        }

        // 5. Where the notifier goes, and whether a flag must guard it.
        let bypassed = graph.reachable(from: graph.entry, avoiding: [siteNode])
        let guarded = releases.count > 1 || releases.contains { bypassed.contains($0) }
        var planned: [ConversionPlan.Release] = []
        for release in releases {
            let node = graph.nodes[release]
            guard node.kind == .statement, !node.insideMacro,
                  node.parentKind == .compoundStmt || node.parentKind == .labelStmt,
                  let after = function.semicolon(after: node.range.upperBound) else {
                throw Refusal(.unlockNotAStatement, line: line(node.range.lowerBound),
                              "the unlock at line \(line(node.range.lowerBound)) is not a statement "
                              + "of its own in a block; the notifier cannot be placed after it")
            }
            if guarded && !node.loops.isEmpty {
                throw Refusal(.flagInLoop, line: line(node.range.lowerBound),
                              "the unlock at line \(line(node.range.lowerBound)) is inside a loop; a "
                              + "flag set in one iteration would fire the notifier in the next")
            }
            try requireVisible(dependencies, at: after)
            planned.append(.init(insertAt: after, indent: function.indentation(at: node.range.lowerBound),
                                 line: line(node.range.lowerBound)))
        }
        notifierCall = simplify(notifierCall, at: planned.map(\.insertAt))

        // 6. The macro's value: the plain op's (flush), or young's consumer.
        var plan = ConversionPlan(macro: macro, notifierCall: notifierCall, releases: planned, result: .plain,
                                  guarded: guarded, statementEnd: nil, statementIndent: [], range: nil)
        let statement = fullStatement(chain: chain)
        if let consumer {
            plan.result = .young(consumer: consumer)
            if guarded, case .none = consumer {
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

    /// The order a reviewer reads hazards in: what makes the move
    /// meaningless first (the young result deciding control flow), then
    /// what makes it unsafe (a freed page, a re-pointed pte), then what
    /// makes the notifier's text wrong.
    static func mostFundamentalFirst(_ findings: [Finding]) -> [Finding] {
        let order: [Finding.Rule] = [.youngDecidesControlFlow, .pageReferenceDropped, .ptePointedElsewhere,
                                     .argumentWritten, .youngConsumerBlocked]
        return findings.enumerated().sorted { a, b in
            let (x, y) = (order.firstIndex(of: a.element.rule) ?? order.count,
                          order.firstIndex(of: b.element.rule) ?? order.count)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    private func youngStatementStart(_ plan: ConversionPlan) -> Int? {
        if case .young(consumer: .statement(let range, _)) = plan.result { return range.lowerBound }
        return nil
    }

    /// A jump the graph could not follow (a `goto` inside a statement
    /// expression) matters only where it can still reach an unlock: there
    /// it could bypass the call or leave the lock region unseen.
    private func refuseHiddenJumps(siteNode: Int, releases: [Int]) throws(Refusal) {
        for hidden in function.hiddenJumps {
            let onward = graph.reachable(from: hidden)
            guard hidden == siteNode || releases.contains(where: onward.contains) else { continue }
            let at = line(graph.nodes[hidden].range.lowerBound)
            throw Refusal(.hiddenJump, line: at,
                          "an expression at line \(at) of \(function.name)() hides a goto or return before "
                          + "the unlock; its control flow cannot be followed")
        }
    }

    /// Every variable the notifier's arguments read must be the same one
    /// where the notifier goes: declared in a block that is still open, and
    /// not shadowed by an inner declaration of the same name.
    private func requireVisible(_ dependencies: Set<ValuePath>, at offset: Int) throws(Refusal) {
        for root in Set(dependencies.compactMap(\.root)) {
            guard let local = function.locals[root] else { continue }
            if function.local(named: local.name, at: offset)?.declaration != root {
                throw Refusal(.argumentOutOfScope, line: line(offset),
                              "'\(local.name)', which the call's arguments read, is not the variable of that "
                              + "name after the unlock at line \(line(offset)); the notifier cannot name it there")
            }
        }
    }

    /// The call sits in the second operand of `&&`/`||` or in a `?:`
    /// branch: whether it runs is decided inside the statement. An
    /// operator a macro body made cannot be read, so it counts as one.
    private func conditionallyEvaluated(_ invocation: Range<Int>) -> String? {
        let chain = function.chain(to: invocation)
        for (i, node) in chain.enumerated() where i + 1 < chain.count {
            let child = chain[i + 1]
            if node.kind == .conditionalOperator, node.children.first != child {
                return "a branch of ?:"
            }
            if node.kind == .binaryOperator, node.children.count == 2, node.children[1] == child {
                switch function.operatorSpelling(node) {
                case "&&", "||": return "the right operand of \(function.operatorSpelling(node)!)"
                case nil: return "the right operand of an operator a macro writes"
                default: continue
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
    func pageTableLock(at node: Int) throws(Refusal) -> Set<String> {
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
                let lock: String
                if LockOperations.acquiringByResult.contains(call.name) {
                    guard let holder = resultHolder(of: call.offset, in: graph.nodes[previous]) else { continue }
                    lock = holder
                } else {
                    guard let index = LockOperations.acquiring[call.name], index < call.arguments.count else {
                        continue
                    }
                    lock = LockOperations.lockName(call.arguments[index])
                }
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
            throw Refusal(.ambiguousLock, line: line(graph.nodes[node].range.lowerBound),
                          "several spinlocks (\(otherLocks.sorted().joined(separator: ", "))) are taken "
                          + "before the call; which one is the page-table lock cannot be told")
        }
        return otherLocks
    }

    /// The variable a call's result is stored in: `ptl = pmd_lock(…)` or
    /// `spinlock_t *ptl = pmd_lock(…)` → `ptl`.
    private func resultHolder(of callOffset: Int, in node: ControlFlowGraph.Node) -> String? {
        guard let cursor = node.cursor else { return nil }
        var holder: String?
        cursor.walk { candidate in
            let children = candidate.children
            if candidate.kind == .binaryOperator, children.count == 2, function.writtenLvalue(of: candidate) != nil,
               children[1].extent.byteRange.contains(callOffset) {
                holder = function.expressionText(children[0]).map(LockOperations.lockName)
            } else if candidate.kind == .varDecl, candidate.extent.byteRange.contains(callOffset) {
                holder = candidate.spelling
            }
        }
        return holder
    }

    /// True when the node's unlock is one only a page-table lock has.
    func releasesPageTableOnly(_ node: Int) -> Bool {
        !function.invocations(of: LockOperations.pageTableReleases, in: graph.nodes[node]).isEmpty
    }

    func isHiddenRelease(_ node: Int) -> Bool {
        !function.operations(of: graph.nodes[node]).isDisjoint(with: LockOperations.hiddenReleases)
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

    // MARK: - Statements and flags

    /// The variable keeping the op's result: `v = MACRO(...)` or
    /// `T v = MACRO(...)` → `v`'s declaration.
    func assignedVariable(chain: [Cursor], invocation: Range<Int>) -> Cursor? {
        for node in chain.reversed() where node.kind == .binaryOperator {
            let children = node.children
            if children.count == 2, children[1].extent.byteRange == invocation,
               function.writtenLvalue(of: node) != nil, let declaration = function.variable(children[0]) {
                return declaration
            }
        }
        return chain.last { $0.kind == .varDecl }
    }

    /// The innermost statement in a block holding the invocation.
    func fullStatement(chain: [Cursor]) -> Cursor? {
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
            throw Refusal(.noPlaceForFlag, line: statement.map { line($0.extent.start.offset) } ?? 0,
                          "the call is part of a larger statement; there is no place next to it "
                          + "for the flag the guarded notifier needs")
        }
        return end
    }

    // MARK: - Arguments

    /// `vma->vm_mm` → `mm` when a local `mm` is initialised to it, never
    /// assigned again, and is the `mm` visible at every place the notifier
    /// goes: provably the same value.
    func simplify(_ call: String, at offsets: [Int]) -> String {
        var result = call
        let written = function.writtenPaths(in: function.body)
        func stable(_ path: ValuePath) -> Bool { !written.contains { $0.conflicts(with: path) } }
        for local in function.locals.values.sorted(by: { $0.name < $1.name }) where !local.isParameter {
            guard let initializer = local.initializer,
                  CExpression.isPrimary(CExpression.tokens(initializer)),
                  CExpression.tokens(initializer).contains("->"),
                  let value = local.declaration.children.last(where: { $0.kind.isExpression }),
                  stable(ValuePath(root: local.declaration, rootName: local.name)),
                  function.readPaths(in: value).allSatisfy(stable),
                  offsets.allSatisfy({ function.local(named: local.name, at: $0)?.declaration == local.declaration })
            else { continue }
            let rendered = CExpression.render(CExpression.tokens(initializer))
            result = result.replacingOccurrences(of: "(" + rendered + ",", with: "(" + local.name + ",")
            result = result.replacingOccurrences(of: ", " + rendered + ",", with: ", " + local.name + ",")
            result = result.replacingOccurrences(of: ", " + rendered + ")", with: ", " + local.name + ")")
        }
        return result
    }
}
