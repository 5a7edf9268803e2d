/// A `diff --git` section for one file, computed on bytes: lines keep their
/// own endings (CRLF stays CRLF), nothing is decoded.
public struct FileDiff: Sendable {
    public var path: String
    /// The hunks, from the first `@@` on.
    public var hunks: [UInt8]
    public var insertions: Int
    public var deletions: Int
    /// git's abbreviated blob ids before and after, for the `index` line.
    public var oldBlob: String
    public var newBlob: String
    /// The file's git mode (100644, or 100755 for an executable file).
    public var mode = "100644"

    static let context = 3

    /// The diff of `old` → `new`, or nil when they are equal.
    public init?(path: String, old: [UInt8], new: [UInt8]) {
        guard old != new else { return nil }
        self.path = path
        oldBlob = String(SHA1.gitBlob(old).prefix(12))
        newBlob = String(SHA1.gitBlob(new).prefix(12))
        let a = Self.lines(old), b = Self.lines(new)
        // Trim the common head and tail; the edits are local.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let script = Self.editScript(Array(a[head..<(a.count - tail)]), Array(b[head..<(b.count - tail)]))
        // Which lines changed, over whole files; ambiguous groups slid as
        // git slides them; then the operations, deletions before insertions.
        var changedA = Array(repeating: false, count: a.count)
        var changedB = Array(repeating: false, count: b.count)
        for (op, i, j) in script {
            if op == "-" { changedA[i + head] = true }
            if op == "+" { changedB[j + head] = true }
        }
        let unslid = (changedA, changedB)
        DiffCompaction.compact(a, b, changedA: &changedA, changedB: &changedB)
        // Sliding never changes how many lines are common to both sides.
        if changedA.filter({ !$0 }).count != changedB.filter({ !$0 }).count { (changedA, changedB) = unslid }
        var operations: [(Character, Int, Int)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, !changedA[i], !changedB[j] {
                operations.append(("=", i, j)); i += 1; j += 1
                continue
            }
            let before = (i, j)
            while i < a.count, changedA[i] { operations.append(("-", i, j)); i += 1 }
            while j < b.count, changedB[j] { operations.append(("+", i, j)); j += 1 }
            if before == (i, j) { break }     // unreachable while the common counts agree
        }
        var output: [UInt8] = []
        var insertions = 0, deletions = 0
        // Group changes into hunks with three lines of context.
        let changed = operations.indices.filter { operations[$0].0 != "=" }
        var groupStart = 0
        while groupStart < changed.count {
            var groupEnd = groupStart
            while groupEnd + 1 < changed.count, changed[groupEnd + 1] - changed[groupEnd] <= 2 * Self.context + 1 {
                groupEnd += 1
            }
            let first = max(0, changed[groupStart] - Self.context)
            let last = min(operations.count - 1, changed[groupEnd] + Self.context)
            let slice = operations[first...last]
            let oldStart = slice.first { $0.0 != "+" }.map { $0.1 } ?? slice.first!.1
            let newStart = slice.first { $0.0 != "-" }.map { $0.2 } ?? slice.first!.2
            let oldCount = slice.filter { $0.0 != "+" }.count
            let newCount = slice.filter { $0.0 != "-" }.count
            var header = "@@ -\(Self.range(oldStart, oldCount)) +\(Self.range(newStart, newCount)) @@"
            if let function = Self.functionName(before: oldStart, in: a) { header += " " + function }
            output += Array(header.utf8) + [.newline]
            for (op, i, j) in slice {
                let line: [UInt8]
                switch op {
                case "-": line = a[i]; deletions += 1; output.append(UInt8(ascii: "-"))
                case "+": line = b[j]; insertions += 1; output.append(UInt8(ascii: "+"))
                default: line = a[i]; output.append(.space)
                }
                output += line
                if line.last != .newline {
                    output += [.newline] + Array("\\ No newline at end of file\n".utf8)
                }
            }
            groupStart = groupEnd + 1
        }
        hunks = output
        self.insertions = insertions
        self.deletions = deletions
    }

    /// `start,count` as unified diff writes it (1-based; `n,0` is after line n).
    static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
    }

    /// Lines with their endings.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == .newline {
            result.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { result.append(Array(bytes[start...])) }
        return result
    }

    /// A shortest edit script by longest common subsequence (the window
    /// between the common head and tail is small).
    static func editScript(_ a: [[UInt8]], _ b: [[UInt8]]) -> [(Character, Int, Int)] {
        let n = a.count, m = b.count
        var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var script: [(Character, Int, Int)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                script.append(("=", i, j)); i += 1; j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                // On a tie, delete first: the next common line is then the
                // nearest one, as git's Myers diff keeps it (an unlock
                // that stays is context, not a deleted and re-added line).
                script.append(("-", i, j)); i += 1
            } else {
                script.append(("+", i, j)); j += 1
            }
        }
        // Deletions before insertions within a change, as diff prints them.
        var k = 0
        while k < script.count {
            guard script[k].0 != "=" else { k += 1; continue }
            var e = k
            while e < script.count, script[e].0 != "=" { e += 1 }
            let block = script[k..<e]
            script.replaceSubrange(k..<e, with: block.filter { $0.0 == "-" } + block.filter { $0.0 == "+" })
            k = e
        }
        return script
    }

    /// git's default hunk-header function line: the nearest line above the
    /// hunk starting with a letter, `_` or `$`, trailing space trimmed, at
    /// most 80 bytes.
    static func functionName(before line: Int, in lines: [[UInt8]]) -> String? {
        var i = line - 1
        while i >= 0 {
            if let first = lines[i].first, CLexer.isIdentifierStart(first) || first == UInt8(ascii: "$") {
                var text = lines[i]
                while let last = text.last, [.newline, .carriageReturn, .space, .tab].contains(last) { text.removeLast() }
                return String(decoding: text.prefix(80), as: UTF8.self)
            }
            i -= 1
        }
        return nil
    }
}
