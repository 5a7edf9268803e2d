import Clang

/// A call in a loop over ptes with the unlock after the loop: the lock
/// region is bracketed with the range notifier, or the site is refused.
extension SiteAnalyzer {

    /// The call sits in a loop over ptes and the unlock comes after the
    /// loop: bracket the lock region with the range notifier, when the
    /// tree has the (mm, start, end) form and the bounds are plain variables.
    func rangePlan(site: CallSite, macro: NotifyMacro, combine: NotifyMacro.Combine,
                           notifierCall: String, siteNode: Int, releases: [Int],
                           loops: Set<Range<Int>>) throws(Refusal) -> ConversionPlan {
        guard combine == .discard else {
            throw Refusal(.rangeNotPossible, line: site.line, "the call is in a loop over ptes and its young result is read per pte; "
                          + "one range notifier cannot give each pte its own answer")
        }
        guard let api = rangeAPI else {
            throw Refusal(.rangeNotPossible, line: site.line, "the call is in a loop over ptes with the unlock after the loop, and this "
                          + "tree's mmu_notifier.h has no mmu_notifier_invalidate_range_start(mm, start, end) "
                          + "to bracket the lock region with")
        }
        guard releases.count == 1, let release = releases.first, let lock = releaseLock(release) else {
            throw Refusal(.rangeNotPossible, line: site.line, "the loop's lock region ends at several unlocks; one range cannot cover them")
        }
        guard let loopRange = graph.nodes[siteNode].loops.first(where: { loops.contains($0) }),
              let loop = function.chain(to: loopRange).last, loop.extent.byteRange == loopRange,
              loop.kind == .forStmt else {
            throw Refusal(.rangeNotPossible, line: site.line, "the call repeats before the unlock, but not in a for loop over an "
                          + "address range the tool can bracket")
        }
        let loopLine = line(loopRange.lowerBound)
        guard let bounds = loopBounds(loop), variables(in: site.arguments, at: loopRange.lowerBound).contains(bounds.variable) else {
            throw Refusal(.rangeNotPossible, line: site.line, "the loop at line \(loopLine) does not run the call's address from one "
                          + "plain variable to another ('for (addr = start; addr != end; …)')")
        }
        let written = function.writtenPaths(in: function.body)
        guard let mm = macro.notifierArguments(arguments: site.arguments)?.first else {
            throw Refusal(.rangeNotPossible, line: site.line, "the notifier's mm argument cannot be learnt from the macro")
        }
        let held = paths(in: [bounds.start, bounds.end, mm], at: loopRange.lowerBound)
        if let changed = held.first(where: { path in written.contains { $0.conflicts(with: path) } }) {
            throw Refusal(.rangeNotPossible, line: site.line,
                          "'\(changed)', a bound of the range, is assigned in \(function.name)(); the "
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
            throw Refusal(.rangeNotPossible, line: site.line, "the statement taking the page-table lock '\(lock)' before the loop at line "
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
            throw Refusal(.rangeNotPossible, line: site.line, "a path between taking the lock at line \(line(graph.nodes[taker].range.lowerBound)) "
                          + "and the unlock leaves \(function.name)(); the range end would be skipped")
        }
        let node = graph.nodes[release]
        guard node.kind == .statement, node.parentKind == .compoundStmt || node.parentKind == .labelStmt,
              node.loops.isEmpty, let after = function.semicolon(after: node.range.upperBound) else {
            throw Refusal(.rangeNotPossible, line: site.line, "the unlock at line \(line(node.range.lowerBound)) is not a statement of its "
                          + "own in a block; the range end cannot be placed after it")
        }
        let mmText = simplify("f(\(mm), x)", at: [after]).dropFirst(2).prefix { $0 != "," }
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

    /// `for (v = start; v != end; …)` or `v < end`, written in the file →
    /// the three names.
    private func loopBounds(_ loop: Cursor) -> (variable: String, start: String, end: String)? {
        guard case .text = function.source.origin(at: loop.extent.start.offset),
              let body = loop.children.last else { return nil }
        var header: [String] = []
        var depth = 0
        let tokens = loop.translationUnit.tokens(inFile: function.path, start: loop.extent.start.offset,
                                                 end: body.extent.start.offset)
        for token in tokens.dropFirst() {
            if token.spelling == "(" { depth += 1; if depth == 1 { continue } }
            if token.spelling == ")" { depth -= 1; if depth == 0 { break } }
            header.append(token.spelling)
        }
        let parts = CExpression.split(header, on: ";")
        let offset = loop.extent.start.offset
        guard parts.count == 3, parts[1].count == 3, parts[1][1] == "!=" || parts[1][1] == "<" else { return nil }
        let (variable, end) = (parts[1][0], parts[1][2])
        let start: String
        if parts[0].isEmpty {
            // `for (; addr != end; …)`: addr starts as it was initialised,
            // and nothing but the loop changes it.
            guard let local = function.local(named: variable, at: offset), let initializer = local.initializer,
                  CExpression.tokens(initializer).count == 1, writesOnlyInside(loop, of: local) else { return nil }
            start = initializer
        } else {
            guard parts[0].count == 3, parts[0][1] == "=", parts[0][0] == variable else { return nil }
            start = parts[0][2]
        }
        guard [variable, start, end].allSatisfy({ function.local(named: $0, at: offset) != nil }) else { return nil }
        return (variable, start, end)
    }

    /// True when every write of `local` lies inside `loop`.
    private func writesOnlyInside(_ loop: Cursor, of local: FunctionBody.Local) -> Bool {
        let loopRange = loop.extent.byteRange
        var outside = false
        function.body.visitChildren { node in
            if !loopRange.contains(node.extent.start.offset), let lvalue = function.writtenLvalue(of: node),
               function.path(of: lvalue)?.root == local.declaration {
                outside = true
                return .break
            }
            return .recurse
        }
        return !outside
    }

    /// Locals and parameters named in argument texts (not member names).
    private func variables(in arguments: [String], at offset: Int) -> Set<String> {
        var result = Set<String>()
        for argument in arguments {
            let tokens = CExpression.tokens(argument)
            for (i, token) in tokens.enumerated() where function.local(named: token, at: offset) != nil {
                if i > 0 && (tokens[i - 1] == "->" || tokens[i - 1] == ".") { continue }
                result.insert(token)
            }
        }
        return result
    }

    /// The paths expression texts read, their roots resolved to the locals
    /// visible at `offset`.
    private func paths(in expressions: [String], at offset: Int) -> [ValuePath] {
        ValuePaths.dependencies(of: expressions).sorted().compactMap { text in
            let tokens = CExpression.tokens(text)
            guard let root = tokens.first, let local = function.local(named: root, at: offset) else { return nil }
            var members: [String] = []
            var i = 1
            while i + 1 < tokens.count {
                members.append(tokens[i] + tokens[i + 1])
                i += 2
            }
            return ValuePath(root: local.declaration, rootName: root, members: members)
        }
    }
}
