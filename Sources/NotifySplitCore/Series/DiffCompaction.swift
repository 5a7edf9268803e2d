/// Where an ambiguous change goes, as git decides it (xdiff's
/// `xdl_change_compact()` with the indent heuristic, git's default): a
/// group of added or deleted lines that could slide (a blank line, a `}`
/// repeated next to it) is slid to line up with a change in the other file,
/// else to the position whose two splits read best by indentation and blank
/// lines. Without it a series differs from `git format-patch` in which of
/// two equal blank lines it deletes; with it the tests can hold our diffs to
/// git's byte for byte.
enum DiffCompaction {
    /// Compacts the deletions (`changedA`) against the insertions, then the
    /// insertions against the deletions, as `xdl_diff()` does.
    static func compact(_ a: [[UInt8]], _ b: [[UInt8]], changedA: inout [Bool], changedB: inout [Bool]) {
        var fileA = File(lines: a, changed: changedA)
        var fileB = File(lines: b, changed: changedB)
        compact(&fileA, against: fileB)
        compact(&fileB, against: fileA)
        changedA = fileA.changed
        changedB = fileB.changed
    }

    /// One side: its lines and which of them changed.
    struct File {
        var lines: [[UInt8]]
        var changed: [Bool]
        var count: Int { lines.count }

        func isChanged(_ i: Int) -> Bool { i >= 0 && i < changed.count && changed[i] }
    }

    /// A run of changed lines `start..<end` (empty between two unchanged lines).
    struct Group {
        var start = 0
        var end = 0
    }

    private static func first(_ file: File) -> Group {
        var group = Group()
        while file.isChanged(group.end) { group.end += 1 }
        return group
    }

    private static func next(_ file: File, _ group: inout Group) -> Bool {
        guard group.end < file.count else { return false }
        group.start = group.end + 1
        group.end = group.start
        while file.isChanged(group.end) { group.end += 1 }
        return true
    }

    private static func previous(_ file: File, _ group: inout Group) -> Bool {
        guard group.start > 0 else { return false }
        group.end = group.start - 1
        group.start = group.end
        while file.isChanged(group.start - 1) { group.start -= 1 }
        return true
    }

    private static func slideDown(_ file: inout File, _ group: inout Group) -> Bool {
        guard group.end < file.count, file.lines[group.start] == file.lines[group.end] else { return false }
        file.changed[group.start] = false
        group.start += 1
        file.changed[group.end] = true
        group.end += 1
        while file.isChanged(group.end) { group.end += 1 }
        return true
    }

    private static func slideUp(_ file: inout File, _ group: inout Group) -> Bool {
        guard group.start > 0, file.lines[group.start - 1] == file.lines[group.end - 1] else { return false }
        group.start -= 1
        file.changed[group.start] = true
        group.end -= 1
        file.changed[group.end] = false
        while file.isChanged(group.start - 1) { group.start -= 1 }
        return true
    }

    private static func compact(_ file: inout File, against other: File) {
        var group = first(file)
        var otherGroup = first(other)
        while true {
            if group.end != group.start {
                var groupSize = 0
                var earliestEnd = 0
                var endMatchingOther = -1
                repeat {
                    groupSize = group.end - group.start
                    endMatchingOther = -1
                    while slideUp(&file, &group) { _ = previous(other, &otherGroup) }
                    earliestEnd = group.end
                    if otherGroup.end > otherGroup.start { endMatchingOther = group.end }
                    while slideDown(&file, &group) {
                        _ = next(other, &otherGroup)
                        if otherGroup.end > otherGroup.start { endMatchingOther = group.end }
                    }
                } while groupSize != group.end - group.start
                if group.end == earliestEnd {
                    // No slide possible.
                } else if endMatchingOther != -1 {
                    // Line up with the last change of the other file.
                    while otherGroup.end == otherGroup.start {
                        guard slideUp(&file, &group) else { break }
                        _ = previous(other, &otherGroup)
                    }
                } else {
                    var shift = max(earliestEnd, group.end - groupSize - 1, group.end - 100)
                    var best: (shift: Int, score: Score)?
                    while shift <= group.end {
                        var score = Score()
                        score.add(Split(file, at: shift))
                        score.add(Split(file, at: shift - groupSize))
                        if best == nil || score.compare(best!.score) <= 0 { best = (shift, score) }
                        shift += 1
                    }
                    while let best, group.end > best.shift {
                        guard slideUp(&file, &group) else { break }
                        _ = previous(other, &otherGroup)
                    }
                }
            }
            guard next(file, &group) else { break }
            _ = next(other, &otherGroup)
        }
    }

    // MARK: - The indent heuristic (git's constants)

    /// The lines around a split point: its indentation, and the blank
    /// lines and indentation before and after it.
    struct Split {
        var endOfFile = false
        var indent = -1
        var preBlank = 0
        var preIndent = -1
        var postBlank = 0
        var postIndent = -1

        init(_ file: File, at split: Int) {
            if split >= file.count { endOfFile = true } else { indent = Self.indent(file.lines[split]) }
            var i = split - 1
            while i >= 0 {
                preIndent = Self.indent(file.lines[i])
                if preIndent != -1 { break }
                preBlank += 1
                if preBlank == 20 { preIndent = 0; break }
                i -= 1
            }
            i = split + 1
            while i < file.count {
                postIndent = Self.indent(file.lines[i])
                if postIndent != -1 { break }
                postBlank += 1
                if postBlank == 20 { postIndent = 0; break }
                i += 1
            }
        }

        /// Columns of leading white space (tabs to multiples of 8, at most
        /// 200); -1 for a line of white space only.
        static func indent(_ line: [UInt8]) -> Int {
            var columns = 0
            for byte in line {
                switch byte {
                case .space: columns += 1
                case .tab: columns += 8 - columns % 8
                case .newline, .carriageReturn, 0x0B, 0x0C: break
                default: return columns
                }
                if columns >= 200 { return 200 }
            }
            return -1
        }
    }

    struct Score {
        var effectiveIndent = 0
        var penalty = 0

        mutating func add(_ m: Split) {
            if m.preIndent == -1 && m.preBlank == 0 { penalty += 1 }       // start of file
            if m.endOfFile { penalty += 21 }
            let postBlank = m.indent == -1 ? 1 + m.postBlank : 0
            let totalBlank = m.preBlank + postBlank
            penalty += -30 * totalBlank
            penalty += 6 * postBlank
            let indent = m.indent != -1 ? m.indent : m.postIndent
            let anyBlanks = totalBlank != 0
            effectiveIndent += indent
            if indent == -1 || m.preIndent == -1 {
                // nothing more
            } else if indent > m.preIndent {
                penalty += anyBlanks ? 10 : -4
            } else if indent == m.preIndent {
                // nothing more
            } else if m.postIndent != -1 && m.postIndent > indent {
                penalty += anyBlanks ? 17 : 24
            } else {
                penalty += anyBlanks ? 17 : 23
            }
        }

        /// Negative when `self` is better.
        func compare(_ other: Score) -> Int {
            let indents = (effectiveIndent > other.effectiveIndent ? 1 : 0) - (effectiveIndent < other.effectiveIndent ? 1 : 0)
            return 60 * indents + (penalty - other.penalty)
        }
    }
}
