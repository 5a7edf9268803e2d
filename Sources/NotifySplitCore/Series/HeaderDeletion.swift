/// Deletes notify macros from `mmu_notifier.h`: every definition (the
/// `CONFIG_MMU_NOTIFIER` form and the `#else` stub) and a comment right
/// above one that speaks only of macros being deleted.
struct HeaderDeletion {
    let bytes: [UInt8]
    let model: MacroModel

    /// Edits removing `names`, or none.
    func edits(removing names: Set<String>) -> [Edit] {
        let lines = FileDiff.lines(bytes)
        var starts: [Int] = []
        var offset = 0
        for line in lines { starts.append(offset); offset += line.count }
        starts.append(offset)
        func text(_ i: Int) -> String { String(decoding: lines[i], as: UTF8.self) }
        func blank(_ i: Int) -> Bool { i >= 0 && i < lines.count && text(i).allSatisfy(\.isWhitespace) }

        var doomed = Set<Int>()     // 0-based line numbers
        for macro in model.macros where names.contains(macro.name) {
            for definition in macro.definitions {
                let first = definition.lines.lowerBound - 1, last = definition.lines.upperBound - 1
                doomed.formUnion(first...last)
                // A comment block ending right above it.
                guard first > 0, text(first - 1).trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("*/") else { continue }
                var top = first - 1
                while top > 0, !text(top).contains("/*") { top -= 1 }
                let comment = (top..<first).map(text).joined()
                let mentioned = model.macros.map(\.name).filter { comment.contains($0) }
                if !mentioned.isEmpty, mentioned.allSatisfy(names.contains) {
                    doomed.formUnion(top..<first)
                }
            }
        }
        // Keep one blank line where a deletion leaves two.
        for line in doomed.sorted() where !doomed.contains(line + 1) && blank(line + 1) {
            var start = line
            while doomed.contains(start - 1) { start -= 1 }
            if blank(start - 1) || start == 0 { doomed.insert(line + 1) }
        }
        var edits: [Edit] = []
        var runStart: Int?
        for line in 0...lines.count {
            if doomed.contains(line) {
                if runStart == nil { runStart = line }
            } else if let start = runStart {
                edits.append(Edit(range: starts[start]..<starts[line], replacement: []))
                runStart = nil
            }
        }
        return edits
    }
}
