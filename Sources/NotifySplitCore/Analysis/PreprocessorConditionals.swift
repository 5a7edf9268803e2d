/// The `#if` blocks written inside a function body, and the texts of the
/// file in which a chosen branch of each is the one compiled.
///
/// Each variant keeps every byte offset and line of the original: only the
/// conditions of `#if`/`#ifdef`/`#ifndef`/`#elif` lines are overwritten,
/// with `1`, `0` and spaces, so a plan computed on a variant is a plan on
/// the original bytes and plans of variants compare byte for byte.
enum PreprocessorConditionals {
    struct Directive {
        enum Kind: String { case `if`, ifdef, ifndef, elif, `else`, endif, include, include_next }
        var kind: Kind
        /// Offset of the `#`.
        var start: Int
        /// Offset just after the keyword.
        var keywordEnd: Int
        /// End of the logical line (continuations included), before its newline.
        var end: Int
    }

    /// One `#if … #elif … #else … #endif` group.
    struct Group {
        /// The opening directive and each `#elif`/`#else`, in order.
        var branches: [Directive]
        var endif: Directive
        /// True when it has an `#else`: one of its branches always compiles.
        var hasElse: Bool { branches.last?.kind == .else }
        /// How many ways the group can go: each branch, or none without `#else`.
        var choices: Int { branches.count + (hasElse ? 0 : 1) }
        var range: Range<Int> { branches[0].start..<endif.end }
    }

    /// Directives of interest in `range`, in order.
    static func directives(in bytes: [UInt8], range: Range<Int>) -> [Directive] {
        var result: [Directive] = []
        var lineStart = true
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = bytes[i]
            if byte == .newline { lineStart = true; i += 1; continue }
            if lineStart, byte == .space || byte == .tab { i += 1; continue }
            if lineStart, byte == .hash {
                var j = i + 1
                while j < range.upperBound, bytes[j] == .space || bytes[j] == .tab { j += 1 }
                var k = j
                while k < range.upperBound, CLexer.isIdentifierByte(bytes[k]) { k += 1 }
                var end = k
                while end < bytes.count, bytes[end] != .newline
                        || (end > 0 && bytes[end - 1] == .backslash)
                        || (end > 1 && bytes[end - 1] == .carriageReturn && bytes[end - 2] == .backslash) {
                    end += 1
                }
                if let kind = Directive.Kind(rawValue: String(decoding: bytes[j..<k], as: UTF8.self)) {
                    result.append(Directive(kind: kind, start: i, keywordEnd: k, end: end))
                }
                i = end
                lineStart = false
                continue
            }
            lineStart = false
            i += 1
        }
        return result
    }

    /// The groups opened and closed inside `range` (nested ones too), or
    /// nil when the directives do not nest inside it.
    static func groups(in bytes: [UInt8], range: Range<Int>) -> [Group]? {
        var open: [[Directive]] = []
        var groups: [Group] = []
        for directive in directives(in: bytes, range: range) {
            switch directive.kind {
            case .if, .ifdef, .ifndef: open.append([directive])
            case .elif, .else:
                guard !open.isEmpty else { return nil }
                open[open.count - 1].append(directive)
            case .endif:
                guard let branches = open.popLast() else { return nil }
                groups.append(Group(branches: branches, endif: directive))
            case .include, .include_next: continue
            }
        }
        return open.isEmpty ? groups.sorted { $0.range.lowerBound < $1.range.lowerBound } : nil
    }

    /// The file's bytes with `choice` of each group compiled (index into its
    /// branches; `branches.count` for none). Conditions are overwritten in
    /// place; `#else` lines stay and take over when every condition is 0.
    static func variant(of bytes: [UInt8], groups: [Group], choices: [Int]) -> [UInt8] {
        var result = bytes
        for (group, choice) in zip(groups, choices) {
            for (index, branch) in group.branches.enumerated() where branch.kind != .else {
                let keyword: [UInt8] = branch.kind == .elif ? Array("elif".utf8) : Array("if".utf8)
                // `#` + spaces + keyword + " 1"/" 0", padded with spaces;
                // newlines inside a continued condition stay.
                var text = keyword + [.space, index == choice ? UInt8(ascii: "1") : UInt8(ascii: "0")]
                var position = branch.start + 1
                while position < branch.end {
                    if result[position] == .newline || result[position] == .carriageReturn {
                        position += 1
                        continue
                    }
                    result[position] = text.isEmpty ? .space : text.removeFirst()
                    position += 1
                }
            }
        }
        return result
    }
}
