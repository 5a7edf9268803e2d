/// Deletes notify macros from `mmu_notifier.h` the way a person would:
/// every definition (the `CONFIG_MMU_NOTIFIER` form and the `#else` stub);
/// the comment that introduced them (removed when it introduces only them,
/// reworded when it names them in a list with macros that stay); the
/// `#if`/`#else`/`#endif` lines left around nothing; and no run of blank
/// lines where a deletion leaves two.
///
/// Only lines the deletion touches or empties are changed: a branch that was
/// already empty, or a double blank line that was already there, stays.
struct HeaderDeletion {
    let bytes: [UInt8]
    let model: MacroModel

    struct Result {
        var edits: [Edit] = []
        /// What else went, for the commit message ("the #else branch left
        /// empty", …), in file order.
        var tidied: [String] = []
    }

    /// Edits removing `names`.
    func edits(removing names: Set<String>) -> Result {
        let lines = FileDiff.lines(bytes)
        var starts: [Int] = []
        var offset = 0
        for line in lines { starts.append(offset); offset += line.count }
        starts.append(offset)
        let texts = lines.map { String(decoding: $0, as: UTF8.self) }
        func trimmed(_ i: Int) -> String { texts[i].trimmingCharacters(in: .whitespacesAndNewlines) }
        func blank(_ i: Int) -> Bool { i >= 0 && i < lines.count && trimmed(i).isEmpty }

        var result = Result()
        var doomed = Set<Int>()     // 0-based line numbers
        var replaced: [Int: [UInt8]] = [:]      // first line of a range → its new text
        var replacedRanges: [Int: Range<Int>] = [:]
        for macro in model.macros where names.contains(macro.name) {
            for definition in macro.definitions {
                doomed.formUnion((definition.lines.lowerBound - 1)...(definition.lines.upperBound - 1))
            }
        }
        let deletedDefinitions = doomed

        // Comments introducing deleted definitions.
        let keptNames = Set(model.macros.map(\.name)).subtracting(names)
        for comment in commentBlocks(texts) where deletedDefinitions.contains(comment.upperBound + 1) {
            let text = comment.map { texts[$0] }.joined()
            let mentionsKept = keptNames.contains { Self.mentions(text, $0) }
            let scope = self.scope(after: comment.upperBound, texts: texts, doomed: deletedDefinitions)
            if !mentionsKept && !scope.mixed {
                doomed.formUnion(comment)
                result.tidied.append("the comment that introduced them")
            } else if let reworded = CommentRewording.reword(comment.map { lines[$0] }, removing: names) {
                replaced[comment.lowerBound] = reworded
                replacedRanges[comment.lowerBound] = comment.lowerBound..<(comment.upperBound + 1)
                result.tidied.append("their names in the comment that introduced them with other macros")
            }
        }

        // #if/#else/#endif skeletons the deletion emptied, innermost first.
        let groups = ConditionalGroup.parse(texts).sorted { $0.depth > $1.depth }
        for group in groups {
            func empty(_ branch: ConditionalGroup.Branch) -> Bool {
                branch.body.allSatisfy { doomed.contains($0) || blank($0) }
            }
            func touched(_ branch: ConditionalGroup.Branch) -> Bool { branch.body.contains { doomed.contains($0) } }
            guard group.branches.contains(where: touched) else { continue }
            func directive(_ line: Int) -> String {
                let words = texts[line].trimmingCharacters(in: .whitespacesAndNewlines).dropFirst()
                    .split(whereSeparator: { $0 == " " || $0 == "\t" })
                return "#" + (words.count > 1 && !words[1].hasPrefix("/*") ? "\(words[0]) \(words[1])" : "\(words.first ?? "")")
            }
            if group.branches.allSatisfy(empty) {
                doomed.formUnion(group.lines)
                result.tidied.append("the \(directive(group.branches[0].directive)) block left empty")
                continue
            }
            // Trailing branches (#else, or a last #elif) left empty go.
            var branches = group.branches
            while branches.count > 1, let last = branches.last, touched(last), empty(last) {
                doomed.insert(last.directive)
                doomed.formUnion(last.body)
                result.tidied.append("the \(directive(last.directive).split(separator: " ")[0]) branch left empty")
                branches.removeLast()
            }
            // `#ifdef X` emptied, `#else` kept: `#ifndef X` over the #else part.
            if branches.count == 2, touched(branches[0]), empty(branches[0]),
               let inverted = Self.inverted(texts[group.branches[0].directive]) {
                doomed.formUnion(branches[0].body)
                doomed.insert(branches[1].directive)
                replaced[branches[0].directive] = Array(inverted.utf8)
                replacedRanges[branches[0].directive] = branches[0].directive..<(branches[0].directive + 1)
                result.tidied.append("the \(directive(branches[0].directive)) branch left empty (the #else branch "
                                     + "becomes \(inverted.trimmingCharacters(in: .whitespaces)))")
            }
        }

        // Keep one blank line where the deletion leaves two, and none
        // between a comment and the definition it now introduces.
        var previousKept: Int?
        var deletedSince = false
        for i in lines.indices {
            if doomed.contains(i) { deletedSince = true; continue }
            if blank(i), deletedSince, let previous = previousKept,
               blank(previous) || trimmed(previous).hasSuffix("*/") {
                doomed.insert(i)
                continue
            }
            previousKept = i
            deletedSince = false
        }

        // Edits: runs of deleted lines, and the replaced ranges.
        var covered = Set<Int>()
        for (first, range) in replacedRanges {
            var replacement = replaced[first]!
            let lineEnd = lines[range.upperBound - 1].reversed().prefix { $0 == .newline || $0 == .carriageReturn }
            if range.count == 1, !replacement.isEmpty, replacement.last != .newline { replacement += lineEnd.reversed() }
            result.edits.append(Edit(range: starts[range.lowerBound]..<starts[range.upperBound], replacement: replacement))
            covered.formUnion(range)
        }
        var runStart: Int?
        for line in 0...lines.count {
            if line < lines.count, doomed.contains(line), !covered.contains(line) {
                if runStart == nil { runStart = line }
            } else if let start = runStart {
                result.edits.append(Edit(range: starts[start]..<starts[line], replacement: []))
                runStart = nil
            }
        }
        result.edits.sort { $0.range.lowerBound < $1.range.lowerBound }
        result.tidied = result.tidied.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        return result
    }

    /// `/* … */` blocks that start a line, as 0-based line ranges.
    private func commentBlocks(_ texts: [String]) -> [ClosedRange<Int>] {
        var blocks: [ClosedRange<Int>] = []
        var i = 0
        while i < texts.count {
            let line = texts[i].trimmingCharacters(in: .whitespacesAndNewlines)
            guard line.hasPrefix("/*") else { i += 1; continue }
            var end = i
            while end < texts.count, !texts[end].contains("*/") { end += 1 }
            guard end < texts.count else { break }
            blocks.append(i...end)
            i = end + 1
        }
        return blocks
    }

    /// What a comment ending at `line` introduces: the definitions after it
    /// up to the next comment, directive or code. `mixed` when a definition
    /// that stays is among them.
    private func scope(after line: Int, texts: [String], doomed: Set<Int>) -> (lines: [Int], mixed: Bool) {
        var covered: [Int] = []
        var i = line + 1
        while i < texts.count {
            let text = texts[i].trimmingCharacters(in: .whitespacesAndNewlines)
            if doomed.contains(i) { covered.append(i); i += 1; continue }
            if text.isEmpty { i += 1; continue }
            let directive = text.hasPrefix("#") ? text.dropFirst().trimmingCharacters(in: .whitespaces) : ""
            if directive.hasPrefix("define") { return (covered, true) }
            break
        }
        return (covered, false)
    }

    static func mentions(_ text: String, _ name: String) -> Bool {
        var searchStart = text.startIndex
        while let found = text.range(of: name, range: searchStart..<text.endIndex) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            let isWord: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
            if !isWord(before) && !isWord(after) { return true }
            searchStart = found.upperBound
        }
        return false
    }

    /// `#ifdef X …` → `#ifndef X …` and back; nil for other conditions.
    static func inverted(_ directive: String) -> String? {
        guard let hash = directive.firstIndex(of: "#") else { return nil }
        let head = directive[..<hash]
        let rest = directive[directive.index(after: hash)...]
        let spaces = rest.prefix { $0 == " " || $0 == "\t" }
        let body = rest.dropFirst(spaces.count)
        var text: String
        if body.hasPrefix("ifdef") && body.dropFirst(5).first.map({ $0 == " " || $0 == "\t" }) == true {
            text = "ifndef" + body.dropFirst(5)
        } else if body.hasPrefix("ifndef") && body.dropFirst(6).first.map({ $0 == " " || $0 == "\t" }) == true {
            text = "ifdef" + body.dropFirst(6)
        } else {
            return nil
        }
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return String(head) + "#" + String(spaces) + text
    }
}

/// The `#if … #endif` groups of a file, with their branches' line ranges.
struct ConditionalGroup {
    struct Branch {
        /// The `#if`/`#elif`/`#else` line.
        var directive: Int
        /// The lines after it, up to the next directive of the group.
        var body: [Int]
    }

    var branches: [Branch]
    var endif: Int
    var depth: Int

    /// Every line of the group, directives included.
    var lines: ClosedRange<Int> { branches[0].directive...endif }

    static func parse(_ texts: [String]) -> [ConditionalGroup] {
        var groups: [ConditionalGroup] = []
        var stack: [(branches: [Branch], depth: Int)] = []
        var continued = false
        for (i, text) in texts.enumerated() {
            let wasContinued = continued
            let stripped = text.trimmingCharacters(in: .newlines)
            continued = stripped.hasSuffix("\\")
            // Every line belongs to the current branch of every open group
            // (a nested group is part of the branch around it).
            for level in stack.indices { stack[level].branches[stack[level].branches.count - 1].body.append(i) }
            guard !wasContinued else { continue }
            let line = stripped.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("#") else { continue }
            let word = line.dropFirst().trimmingCharacters(in: .whitespaces).prefix { $0.isLetter }
            switch word {
            case "if", "ifdef", "ifndef":
                stack.append(([Branch(directive: i, body: [])], stack.count))
            case "elif", "else":
                guard !stack.isEmpty else { continue }
                stack[stack.count - 1].branches[stack[stack.count - 1].branches.count - 1].body.removeLast()
                stack[stack.count - 1].branches.append(Branch(directive: i, body: []))
            case "endif":
                guard var group = stack.popLast() else { continue }
                group.branches[group.branches.count - 1].body.removeLast()
                groups.append(ConditionalGroup(branches: group.branches, endif: i, depth: group.depth))
            default: break
            }
        }
        return groups
    }
}
