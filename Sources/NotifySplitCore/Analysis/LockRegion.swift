/// The part of a function between a call and the release of the
/// page-table lock held at it, computed once per site: which lock, the
/// unlocks every path from the call reaches first, the nodes in between,
/// and whether the call repeats before an unlock (a loop).
struct LockRegion {
    /// The page-table lock held at the call (empty when the function takes
    /// none: its caller did).
    var held: Set<String>
    /// The first unlock on each path from the call, in source order.
    var releases: [Int]
    /// Nodes on a path from the call to an unlock, unlocks excluded.
    var between: [Int]
    /// The call is reached again before an unlock.
    var cycle: Bool

    /// Follows every path from `siteNode` to its first release of the lock
    /// held there; refuses when a path leaves the function with it held, or
    /// the lock is taken and dropped where the function cannot see.
    static func find(from siteNode: Int, in analyzer: SiteAnalyzer) throws(SiteAnalyzer.Refusal) -> LockRegion {
        let graph = analyzer.function.graph
        let held = try analyzer.pageTableLock(at: siteNode)
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
            if let lock = analyzer.releaseLock(next),
               held.isEmpty ? analyzer.releasesPageTableOnly(next) : held.contains(lock) {
                releases.append(next)
                continue
            }
            if analyzer.isHiddenRelease(next) { hidden = next; continue }
            queue += graph.nodes[next].successors
        }
        let name = analyzer.function.name
        if let hidden {
            let line = analyzer.line(graph.nodes[hidden].range.lowerBound)
            throw .init(.lockHeldByWalker, line: line,
                        "the page-table lock is taken and dropped inside page_vma_mapped_walk() (line \(line)); "
                        + "\(name)() has no unlock to place the notifier after")
        }
        if returnsLocked {
            throw .init(.returnsLocked, line: analyzer.line(graph.nodes[siteNode].range.lowerBound),
                        "a path from the call leaves \(name)() without releasing the page-table lock here; "
                        + "the unlock is elsewhere")
        }
        guard !releases.isEmpty else {
            throw .init(.noRelease, line: analyzer.line(graph.nodes[siteNode].range.lowerBound),
                        "no release of the page-table lock follows the call in \(name)()")
        }
        releases.sort { graph.nodes[$0].range.lowerBound < graph.nodes[$1].range.lowerBound }
        let locks = Set(releases.compactMap(analyzer.releaseLock))
        if locks.count > 1 {
            throw .init(.differentLocks, line: analyzer.line(graph.nodes[releases[0]].range.lowerBound),
                        "paths from the call release different locks (\(locks.sorted().joined(separator: ", ")))")
        }
        let between = reached.subtracting(releases).subtracting([graph.exit]).sorted {
            graph.nodes[$0].range.lowerBound < graph.nodes[$1].range.lowerBound
        }
        return LockRegion(held: held, releases: releases, between: between, cycle: cycle)
    }
}
