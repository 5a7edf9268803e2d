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
        guard let header = loopHeader(loop),
              variables(in: site.arguments, at: loopRange.lowerBound).contains(header.variable) else {
            throw Refusal(.rangeNotPossible, line: site.line, "the loop at line \(loopLine) does not run the call's "
                          + "address up to a plain variable ('for (addr = start; addr != end; …)')")
        }
        guard let mm = macro.notifierArguments(arguments: site.arguments)?.first else {
            throw Refusal(.rangeNotPossible, line: site.line, "the notifier's mm argument cannot be learnt from the macro")
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
            throw Refusal(.rangeNotPossible, line: site.line, "the statement taking the page-table lock '\(lock)' "
                          + "before the loop at line \(loopLine) was not found")
        }
        let takerStart = graph.nodes[taker].range.lowerBound
        let written = function.writtenPaths(in: function.body)
        if let changed = paths(in: [mm], at: loopRange.lowerBound)
            .first(where: { path in written.contains { $0.conflicts(with: path) } }) {
            throw Refusal(.rangeNotPossible, line: site.line,
                          "'\(changed)', the range's mm, is assigned in \(function.name)(); the range notifier "
                          + "needs it to hold from before the lock to after the unlock")
        }
        // Bounds that never change are named as they are; otherwise their
        // values at the lock are kept in new locals (the loop moves its
        // address, the kernel's mmun_start/mmun_end).
        var bounds = (start: header.start ?? header.variable, end: header.end)
        var captures: [RangePlan.Capture] = []
        let fixed = header.start.map { start in
            paths(in: [start, header.end], at: loopRange.lowerBound)
                .allSatisfy { path in !written.contains { $0.conflicts(with: path) } }
        } ?? false
        if !fixed {
            guard let variable = function.local(named: header.variable, at: loopRange.lowerBound),
                  let end = function.local(named: header.end, at: loopRange.lowerBound),
                  writes(of: variable, allowedBefore: takerStart, orInside: loop),
                  writes(of: end, allowedBefore: takerStart, orInside: nil),
                  header.start.map({ start in function.local(named: start, at: loopRange.lowerBound).map {
                      writes(of: $0, allowedBefore: takerStart, orInside: nil)
                  } ?? false }) ?? true else {
                throw Refusal(.rangeNotPossible, line: site.line,
                              "the loop's bounds change between taking the lock at line \(line(takerStart)) and the "
                              + "unlock other than by the loop; the range notifier needs them to hold")
            }
            let type = variable.declaration.type.canonical
            let names = [freshName("mmun_start"), freshName("mmun_end")]
            captures = [.init(name: names[0], type: type, value: header.start ?? header.variable),
                        .init(name: names[1], type: end.declaration.type.canonical, value: header.end)]
            bounds = (names[0], names[1])
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
                             startCall: "\(api.start)(\(arguments))", endCall: "\(api.end)(\(arguments))",
                             captures: captures))
    }

    /// `for (v = start; v != end; …)` or `v < end`, written in the file:
    /// the variable, its start when the header or a plain initialiser
    /// names one, and the end.
    private func loopHeader(_ loop: Cursor) -> (variable: String, start: String?, end: String)? {
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
        guard let local = function.local(named: variable, at: offset), function.local(named: end, at: offset) != nil
        else { return nil }
        if parts[0].isEmpty {
            // `for (; addr != end; …)`: addr starts as it was initialised,
            // when nothing but the loop changes it.
            guard let initializer = local.initializer, CExpression.tokens(initializer).count == 1,
                  function.local(named: initializer, at: offset) != nil,
                  writes(of: local, allowedBefore: nil, orInside: loop) else {
                return (variable, nil, end)
            }
            return (variable, initializer, end)
        }
        guard parts[0].count == 3, parts[0][1] == "=", parts[0][0] == variable,
              function.local(named: parts[0][2], at: offset) != nil else { return nil }
        return (variable, parts[0][2], end)
    }

    /// True when every write of `local` lies before `offset` or inside `loop`.
    private func writes(of local: FunctionBody.Local, allowedBefore offset: Int?, orInside loop: Cursor?) -> Bool {
        let loopRange = loop?.extent.byteRange
        var outside = false
        function.body.walk { node in
            let start = node.extent.start.offset
            guard !outside, let lvalue = function.writtenLvalue(of: node),
                  function.path(of: lvalue)?.root == local.declaration else { return }
            if let offset, start < offset { return }
            if let loopRange, loopRange.contains(start) { return }
            outside = true
        }
        return !outside
    }

    /// `base`, or `base_2`, … — a name the file does not use yet.
    private func freshName(_ base: String) -> String {
        var name = base
        var n = 2
        while function.mentions(name) {
            name = "\(base)_\(n)"
            n += 1
        }
        return name
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
