import Clang

/// What may not happen between the call and the unlock for the notifier
/// to move after the unlock: a page reference dropped, the pte re-pointed,
/// the notifier's arguments changed. Every finding is reported, not just
/// the first, so a reviewer sees the whole story.
extension SiteAnalyzer {
    /// Calls to functions of other files are handed back in `elsewhere`.
    func hazards(between: [Int], releases: [Int], cleared: Cursor?, elsewhere: inout [DeferredCall]) -> [Finding] {
        var findings: [Finding] = []
        let unlockLine = line(graph.nodes[releases[0]].range.lowerBound)
        for node in between {
            let at = line(graph.nodes[node].range.lowerBound)
            let operations = function.operations(of: graph.nodes[node])
            if let drop = operations.intersection(LockOperations.pageReferenceDrops).sorted().first {
                findings.append(Finding(.pageReferenceDropped, line: at,
                                        "\(drop)() at line \(at) drops a page reference before the unlock at line "
                                        + "\(unlockLine); unless a reference the tool cannot see outlives the "
                                        + "notifier, a notifier after the unlock could leave a secondary mapping "
                                        + "to a freed page"))
            }
            for write in function.invocations(of: Set(LockOperations.pteWrites.keys), in: graph.nodes[node]) {
                let index = LockOperations.pteWrites[write.name]!
                guard index < write.arguments.count else { continue }
                let value = write.arguments[index]
                let origin = provenance(of: value, cleared: cleared, at: write.offset)
                guard origin.isRepoint else { continue }
                var reason: String
                if case .page(let page) = origin {
                    reason = "\(write.name)() at line \(line(write.offset)) re-points the pte to a present "
                        + "mapping of '\(page)', not the page cleared; the secondary TLB must be invalidated "
                        + "under the page-table lock"
                } else {
                    reason = "\(write.name)() at line \(line(write.offset)) writes '\(value)' into the pte, and "
                        + "the tool cannot tell which page it maps; a re-pointed pte needs its secondary TLB "
                        + "invalidated under the page-table lock"
                }
                if let ruleDocument { reason += " (\(ruleDocument))" }
                findings.append(Finding(.ptePointedElsewhere, line: line(write.offset), reason))
            }
            findings += calleeHazards(in: node, unlockLine: unlockLine, elsewhere: &elsewhere)
        }
        return findings
    }

    /// Writes between the call and the unlock to what the call's arguments
    /// read: the notifier after the unlock would see the new value.
    func argumentWrites(between: [Int], dependencies: Set<ValuePath>) -> [Finding] {
        var findings: [Finding] = []
        for node in between {
            guard let cursor = graph.nodes[node].cursor else { continue }
            let at = line(graph.nodes[node].range.lowerBound)
            let clashes = Set(function.writtenPaths(in: cursor).filter { written in
                dependencies.contains { written.conflicts(with: $0) }
            }.map(\.description))
            for written in clashes.sorted() {
                findings.append(Finding(.argumentWritten, line: at,
                                        "'\(written)', which the call's arguments read, is assigned at line \(at) "
                                        + "before the unlock; the notifier after it would see the new value"))
            }
        }
        return findings
    }
}
