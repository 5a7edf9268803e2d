import Foundation

/// Just enough of GNU make to read the variables an architecture Makefile
/// sets for a given configuration: `:=`, `=`, `+=`, `?=`, `$(CONFIG_X)`
/// in names and values, `ifeq`/`ifneq`/`ifdef`/`ifndef`/`else`/`endif`,
/// `include`, and the functions such Makefiles use to build flag lists
/// (`patsubst`, `subst`, `addprefix`, `word`, `firstword`, `if`, `filter`,
/// `strip`, and `call` of kbuild's `cc-option` family, taken as the
/// compiler supporting the option). Rules, recipes, `define` blocks and
/// `$(shell …)` are ignored. It never runs anything.
struct MakeEvaluator {
    /// Values of `CONFIG_` variables (`y`, `m`, a number or a string).
    let configuration: [String: String]
    /// Predefined variables (`srctree`, `ARCH`, …).
    var variables: [String: String]
    /// Reads an included Makefile by its path as written after expansion.
    let read: (String) -> String?
    /// Every branch of every conditional is taken (`else` too): what a
    /// Makefile can build in some configuration, e.g. which objects a
    /// driver's Makefile lists from the sub-Makefiles it includes only
    /// with an option on.
    var takesEveryBranch = false

    init(configuration: [String: String], variables: [String: String] = [:],
         read: @escaping (String) -> String? = { _ in nil }) {
        self.configuration = configuration
        self.variables = variables
        self.read = read
    }

    /// Evaluates a Makefile's assignments in order.
    mutating func evaluate(_ text: String, depth: Int = 0) {
        /// The open conditionals: whether the current branch is taken, and
        /// whether any branch of it was (for `else` and `else ifeq`).
        var conditions: [(taken: Bool, anyTaken: Bool)] = []
        var inDefine = false
        for rawLine in Self.logicalLines(text) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if rawLine.hasPrefix("\t") && !Self.isDirective(line) { continue }  // a recipe
            if inDefine { if line.hasPrefix("endef") { inDefine = false }; continue }
            let active = conditions.allSatisfy(\.taken)
            let (keyword, rest) = Self.split(line)
            switch keyword {
            case "ifeq", "ifneq", "ifdef", "ifndef":
                let taken = active && (takesEveryBranch || test(keyword, rest))
                conditions.append((taken, taken))
                continue
            case "else":
                guard let last = conditions.popLast() else { continue }
                let outer = conditions.allSatisfy(\.taken)
                let (nested, nestedRest) = Self.split(rest)
                var taken = outer && (takesEveryBranch || !last.anyTaken)
                if ["ifeq", "ifneq", "ifdef", "ifndef"].contains(nested) {
                    taken = taken && (takesEveryBranch || test(nested, nestedRest))
                }
                conditions.append((taken, last.anyTaken || taken))
                continue
            case "endif":
                _ = conditions.popLast()
                continue
            case "define":
                inDefine = true
                continue
            default:
                break
            }
            guard active else { continue }
            if keyword == "include" || keyword == "-include" || keyword == "sinclude" {
                if depth < 4 {
                    for path in expand(rest).split(separator: " ") {
                        if let text = read(String(path)) { evaluate(text, depth: depth + 1) }
                    }
                }
                continue
            }
            assign(keyword == "export" || keyword == "override" ? rest : line)
        }
    }

    /// Whether the condition of an `ifeq`/`ifneq`/`ifdef`/`ifndef` holds.
    private func test(_ keyword: String, _ rest: String) -> Bool {
        switch keyword {
        case "ifeq": return comparison(rest)
        case "ifneq": return !comparison(rest)
        default:
            let defined = !(value(of: expand(rest.trimmingCharacters(in: .whitespaces))) ?? "").isEmpty
            return defined == (keyword == "ifdef")
        }
    }

    /// The expanded value of a variable, nil when it is not set.
    func value(of name: String) -> String? {
        if name.hasPrefix("CONFIG_") {
            let option = String(name.dropFirst(7))
            if let value = configuration[option] { return Self.makeValue(value) }
            return configuration[option + "_MODULE"] == "1" ? "m" : nil
        }
        return variables[name].map { expand($0) }
    }

    /// Expands `$(…)` and `${…}` references and functions in `text`.
    func expand(_ text: String) -> String {
        var result = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            guard c == "$" else { result.append(c); i = text.index(after: i); continue }
            let next = text.index(after: i)
            guard next < text.endIndex else { break }
            if text[next] == "$" { result.append("$"); i = text.index(after: next); continue }
            guard text[next] == "(" || text[next] == "{" else {
                result += value(of: String(text[next])) ?? ""
                i = text.index(after: next)
                continue
            }
            let close: Character = text[next] == "(" ? ")" : "}"
            var depth = 0
            var j = next
            while j < text.endIndex {
                if text[j] == text[next] { depth += 1 } else if text[j] == close { depth -= 1; if depth == 0 { break } }
                j = text.index(after: j)
            }
            guard j < text.endIndex else { break }
            result += reference(String(text[text.index(after: next)..<j]))
            i = text.index(after: j)
        }
        return result
    }

    /// The text inside `$(…)`: a variable or a function call.
    private func reference(_ inside: String) -> String {
        let (name, rest) = Self.split(inside)
        guard !rest.isEmpty || inside.contains(" ") else { return value(of: expand(inside)) ?? "" }
        let arguments = Self.arguments(rest)
        func argument(_ i: Int) -> String { i < arguments.count ? expand(arguments[i]) : "" }
        func words(_ i: Int) -> [String] { argument(i).split(whereSeparator: \.isWhitespace).map(String.init) }
        switch name {
        case "patsubst":
            return words(2).map { Self.patsubst(argument(0), argument(1), $0) }.joined(separator: " ")
        case "subst":
            return argument(2).replacingOccurrences(of: argument(0), with: argument(1))
        case "addprefix":
            return words(1).map { argument(0) + $0 }.joined(separator: " ")
        case "addsuffix":
            return words(1).map { $0 + argument(0) }.joined(separator: " ")
        case "word":
            let all = words(1)
            guard let n = Int(argument(0).trimmingCharacters(in: .whitespaces)), n >= 1, n <= all.count else { return "" }
            return all[n - 1]
        case "firstword":
            return words(0).first ?? ""
        case "strip":
            return words(0).joined(separator: " ")
        case "if":
            return argument(0).trimmingCharacters(in: .whitespaces).isEmpty ? argument(2) : argument(1)
        case "filter":
            let patterns = words(0)
            return words(1).filter { word in patterns.contains { Self.matches($0, word) } }.joined(separator: " ")
        case "filter-out":
            let patterns = words(0)
            return words(1).filter { word in !patterns.contains { Self.matches($0, word) } }.joined(separator: " ")
        case "call":
            // kbuild's compiler probes: the compiler is taken to support the option.
            switch argument(0).trimmingCharacters(in: .whitespaces) {
            case "cc-option", "as-option", "cc-option-align", "ld-option", "cc-cross-prefix": return argument(1)
            case "as-instr": return argument(2)
            case "cc-option-yn", "as-instr-yn": return "y"
            default: return ""
            }
        default:
            return ""  // shell, wildcard, info, …
        }
    }

    /// `name op value` with op one of `:=`, `::=`, `+=`, `?=`, `=`.
    private mutating func assign(_ line: String) {
        guard let (name, op, value) = Self.assignment(line) else { return }
        let target = expand(name).trimmingCharacters(in: .whitespaces)
        guard !target.isEmpty, !target.contains(" ") else { return }
        switch op {
        case ":=", "::=": variables[target] = expand(value)
        case "?=": if variables[target] == nil { variables[target] = value }
        case "+=":
            let old = variables[target] ?? ""
            let added = value
            variables[target] = old.isEmpty ? added : old + " " + added
        default: variables[target] = value
        }
    }

    static func assignment(_ line: String) -> (String, String, String)? {
        // The first operator outside a reference.
        var depth = 0
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "(" || c == "{" { depth += 1 } else if c == ")" || c == "}" { depth -= 1 }
            if depth == 0 {
                if c == ":" && !line[i...].hasPrefix(":=") && !line[i...].hasPrefix("::=") { return nil }  // a rule
                for op in ["::=", ":=", "+=", "?=", "="] where line[i...].hasPrefix(op) {
                    let name = String(line[..<i])
                    let value = String(line[line.index(i, offsetBy: op.count)...]).trimmingCharacters(in: .whitespaces)
                    return (name, op, value)
                }
            }
            i = line.index(after: i)
        }
        return nil
    }

    /// `ifeq (A,B)`, `ifeq "A" "B"` → A == B after expansion.
    private func comparison(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var parts: [String]
        if trimmed.hasPrefix("(") && trimmed.hasSuffix(")") {
            parts = Self.arguments(String(trimmed.dropFirst().dropLast()))
        } else {
            parts = trimmed.split(separator: " ").map { String($0.dropFirst().dropLast()) }
        }
        guard parts.count == 2 else { return false }
        return expand(parts[0]).trimmingCharacters(in: .whitespaces) == expand(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// Splits function arguments at top-level commas.
    static func arguments(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "(" || c == "{" { depth += 1 } else if c == ")" || c == "}" { depth -= 1 }
            if c == "," && depth == 0 { result.append(current); current = ""; continue }
            current.append(c)
        }
        result.append(current)
        return result
    }

    /// make's `%` pattern substitution on one word.
    static func patsubst(_ pattern: String, _ replacement: String, _ word: String) -> String {
        guard let percent = pattern.firstIndex(of: "%") else { return word == pattern ? replacement : word }
        let prefix = pattern[..<percent], suffix = pattern[pattern.index(after: percent)...]
        guard word.hasPrefix(prefix), word.hasSuffix(suffix), word.count >= prefix.count + suffix.count else { return word }
        let stem = word.dropFirst(prefix.count).dropLast(suffix.count)
        return replacement.replacingOccurrences(of: "%", with: String(stem))
    }

    static func matches(_ pattern: String, _ word: String) -> Bool {
        guard let percent = pattern.firstIndex(of: "%") else { return pattern == word }
        return word.hasPrefix(pattern[..<percent]) && word.hasSuffix(pattern[pattern.index(after: percent)...])
    }

    /// A `.config` value as make sees it in `$(CONFIG_X)`: `y` for the
    /// header's `1`, strings without their quotes.
    static func makeValue(_ value: String) -> String {
        if value == "1" { return "y" }
        if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { return String(value.dropFirst().dropLast()) }
        return value
    }

    /// The first word and the rest of a line.
    static func split(_ line: String) -> (String, String) {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "(" }) else {
            return (String(trimmed), "")
        }
        return (String(trimmed[..<space]), String(trimmed[space...]).trimmingCharacters(in: .whitespaces))
    }

    static func isDirective(_ line: String) -> Bool {
        ["ifeq", "ifneq", "ifdef", "ifndef", "else", "endif"].contains(split(line).0)
    }

    /// Lines with comments removed and `\` continuations joined.
    static func logicalLines(_ text: String) -> [String] {
        var lines: [String] = []
        var pending: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if let hash = line.firstIndex(of: "#"), !line[..<hash].hasSuffix("\\") { line = String(line[..<hash]) }
            if line.hasSuffix("\\") {
                pending = (pending.map { $0 + " " } ?? "") + line.dropLast()
                continue
            }
            lines.append(pending.map { $0 + " " + line.trimmingCharacters(in: .whitespaces) } ?? line)
            pending = nil
        }
        if let pending { lines.append(pending) }
        return lines
    }
}
