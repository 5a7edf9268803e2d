/// Rewords a kernel block comment that introduces deleted macros together
/// with macros that stay: the deleted names are taken out of the list that
/// names them (`a() and b() do …` → `b() does …`), the verbs that had the
/// list as subject agree again, and the paragraph is re-wrapped to the
/// comment's width. Anything it cannot do with certainty (another style of
/// comment, a deleted name outside such a list, a list left empty) leaves
/// the comment alone: a person rewords it then.
enum CommentRewording {
    /// The new bytes of the comment `lines` (each with its line ending), or nil.
    static func reword(_ lines: [[UInt8]], removing names: Set<String>) -> [UInt8]? {
        guard lines.count >= 3, lines.allSatisfy({ !$0.contains { $0 >= 0x80 } }) else { return nil }
        let eol: [UInt8] = lines[0].suffix(2) == [.carriageReturn, .newline] ? [.carriageReturn, .newline] : [.newline]
        let texts = lines.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .newlines) }
        guard texts[0].trimmingCharacters(in: .whitespaces) == "/*",
              texts[texts.count - 1].trimmingCharacters(in: .whitespaces) == "*/" else { return nil }
        let indent = String(texts[0].prefix { $0 == " " || $0 == "\t" })
        let prefix = indent + " *"
        var contents: [String] = []
        for text in texts.dropFirst().dropLast() {
            guard text.hasPrefix(prefix) else { return nil }
            let rest = text.dropFirst(prefix.count)
            guard rest.isEmpty || rest.hasPrefix(" ") else { return nil }
            contents.append(String(rest.dropFirst()))
        }
        let width = max(72, texts.map(columns).max() ?? 0)

        // Paragraphs of the body, as line-index ranges.
        var paragraphs: [Range<Int>] = []
        var start: Int?
        for (i, text) in contents.enumerated() {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                if let s = start { paragraphs.append(s..<i); start = nil }
            } else if start == nil {
                start = i
            }
        }
        if let s = start { paragraphs.append(s..<contents.count) }

        var output = lines[0]
        var changed = false
        var position = 0
        for paragraph in paragraphs {
            for i in position..<paragraph.lowerBound { output += lines[i + 1] }
            position = paragraph.upperBound
            let words = contents[paragraph].flatMap { $0.split(separator: " ").map(String.init) }
            guard let reworded = rewordParagraph(words, removing: names) else { return nil }
            if reworded == words {
                for i in paragraph { output += lines[i + 1] }
                continue
            }
            changed = true
            var line = prefix
            for word in reworded {
                if line != prefix, columns(line + " " + word) > width {
                    output += Array(line.utf8) + eol
                    line = prefix
                }
                line += " " + word
            }
            output += Array(line.utf8) + eol
        }
        for i in position..<contents.count { output += lines[i + 1] }
        output += lines[lines.count - 1]
        return changed ? output : nil
    }

    /// The paragraph's words with the deleted names taken out of their
    /// lists; the words unchanged when no deleted name is there; nil when
    /// a deleted name is there in a form this cannot reword.
    static func rewordParagraph(_ input: [String], removing names: Set<String>) -> [String]? {
        var words = input
        var i = 0
        while i < words.count {
            guard item(words[i]) != nil else { i += 1; continue }
            // The list: items separated by "," and a last "and"/"or".
            var items = [i]
            var conjunction = "and"
            var j = i
            while true {
                if words[j].hasSuffix(","), j + 1 < words.count, item(words[j + 1]) != nil {
                    j += 1
                    items.append(j)
                    continue
                }
                if j + 2 < words.count, ["and", "or"].contains(words[j + 1]), item(words[j + 2]) != nil {
                    conjunction = words[j + 1]
                    j += 2
                    items.append(j)
                }
                break
            }
            guard items.contains(where: { names.contains(item(words[$0])!.name) }) else { i = j + 1; continue }
            let kept = items.filter { !names.contains(item(words[$0])!.name) }.map { item(words[$0])!.text }
            guard !kept.isEmpty, items.count > 1 else { return nil }
            var replacement: [String]
            switch kept.count {
            case 1: replacement = kept
            case 2: replacement = [kept[0], conjunction, kept[1]]
            default: replacement = kept.dropLast(2).map { $0 + "," } + [kept[kept.count - 2], conjunction, kept.last!]
            }
            replacement[replacement.count - 1] += String(words[j].reversed().prefix { ",.;:".contains($0) }.reversed())
            if kept.count == 1 {
                // The list was a plural subject: its verb, and a verb joined
                // to it by "then" in the same sentence, agree again.
                var k = j + 1
                while k < words.count, ["only", "also", "still", "always", "all", "both"].contains(words[k]) { k += 1 }
                guard k < words.count, let verb = singular(words[k]) else { return nil }
                words[k] = verb
                var m = k + 1
                while m + 1 < words.count, !words[m - 1].hasSuffix(".") {
                    if words[m] == "then" {
                        if let next = singular(words[m + 1]) { words[m + 1] = next }
                        break
                    }
                    m += 1
                }
                if i > 0, words[i - 1].lowercased() == "both" {
                    words.remove(at: i - 1)
                    i -= 1
                    j -= 1
                }
            }
            words.replaceSubrange(i...j, with: replacement)
            i += replacement.count
        }
        if words.contains(where: { word in names.contains { HeaderDeletion.mentions(word, $0) } }) { return nil }
        return words
    }

    /// `name()` or `name(),` (trailing punctuation allowed) → the name.
    private static func item(_ word: String) -> (name: String, text: String)? {
        var core = Substring(word)
        while let last = core.last, ",.;:".contains(last) { core = core.dropLast() }
        guard core.hasSuffix("()") else { return nil }
        let name = core.dropLast(2)
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return (String(name), String(core))
    }

    /// The third-person singular of a plural verb, or nil when the word
    /// is not one this can tell is a verb.
    static func singular(_ word: String) -> String? {
        var core = word
        var tail = ""
        while let last = core.last, ",.;:".contains(last) { tail = String(last) + tail; core.removeLast() }
        let irregular = ["do": "does", "are": "is", "have": "has", "were": "was", "go": "goes"]
        if let verb = irregular[core] { return verb + tail }
        guard core.count >= 2, core.allSatisfy({ $0.isLowercase && $0.isLetter }), !core.hasSuffix("s"),
              !core.hasSuffix("ed"), !["the", "a", "an", "to", "in", "on", "of", "for", "and", "or", "not",
                                       "can", "may", "must", "will", "should", "would", "could", "might"].contains(core)
        else {
            return ["can", "may", "must", "will", "should", "would", "could", "might"].contains(core) ? word : nil
        }
        if core.hasSuffix("sh") || core.hasSuffix("ch") || core.hasSuffix("x") || core.hasSuffix("z")
            || core.hasSuffix("o") {
            return core + "es" + tail
        }
        if core.hasSuffix("y"), let before = core.dropLast().last, !"aeiou".contains(before) {
            return core.dropLast() + "ies" + tail
        }
        return core + "s" + tail
    }

    /// Display columns, tabs to the next multiple of 8.
    private static func columns(_ text: String) -> Int {
        var column = 0
        for character in text where character != "\n" && character != "\r" {
            column = character == "\t" ? (column / 8 + 1) * 8 : column + 1
        }
        return column
    }
}
