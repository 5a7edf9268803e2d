/// A `#define` read from a header, with where it sits.
public struct MacroDefinition: Hashable, Sendable {
    public var name: String
    /// Parameter names for a function-like macro; nil for an object-like one.
    public var parameters: [String]?
    /// The replacement text, comments removed, continuations joined.
    public var body: String
    /// 1-based first and last line of the `#define` (continuations included).
    public var lines: ClosedRange<Int>
    /// The enclosing conditionals, outermost first, e.g. ["CONFIG_MMU_NOTIFIER"]
    /// or ["!CONFIG_MMU_NOTIFIER"] for the `#else` branch.
    public var conditions: [String]
}

/// Reads every `#define` of a header with its conditional context, the way
/// the preprocessor sees the text (comments stripped, backslash-newlines
/// joined), without evaluating any condition.
enum MacroDefinitionReader {
    static func definitions(in bytes: [UInt8]) -> [MacroDefinition] {
        let text = stripComments(bytes)
        var result: [MacroDefinition] = []
        var stack: [(condition: String, inElse: Bool)] = []
        var guardDepth: Int?            // stack depth of the include guard
        var lineNumber = 1
        var physical = text.split(separator: UInt8.newline, omittingEmptySubsequences: false)[...]
        while let first = physical.first {
            physical = physical.dropFirst()
            let startLine = lineNumber
            var logical = Array(first)
            lineNumber += 1
            while let last = logical.last(where: { $0 != .carriageReturn && $0 != .space && $0 != .tab }),
                  last == .backslash, let next = physical.first {
                logical.removeSubrange(logical.lastIndex(of: .backslash)!...)
                logical.append(.space)
                logical += next
                physical = physical.dropFirst()
                lineNumber += 1
            }
            let line = String(decoding: logical, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard line.hasPrefix("#") else { continue }
            let directive = line.dropFirst().trimmingCharacters(in: .whitespaces)
            let keyword = directive.prefix { $0.isLetter }
            let rest = directive.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
            switch keyword {
            case "ifdef": stack.append((rest, false))
            case "ifndef": stack.append(("!" + rest, false))
            case "if": stack.append((normalizeCondition(rest), false))
            case "elif":
                if let top = stack.popLast() { stack.append((negate(top.condition) + " && " + normalizeCondition(rest), true)) }
            case "else":
                if let top = stack.popLast() { stack.append((negate(top.condition), true)) }
            case "endif":
                _ = stack.popLast()
                if let depth = guardDepth, stack.count <= depth { guardDepth = nil }
            case "define":
                // `#ifndef X` + `#define X` is the include guard, not a condition.
                if guardDepth == nil, let top = stack.last, top.condition == "!" + rest,
                   !rest.contains(" ") {
                    guardDepth = stack.count - 1
                    continue
                }
                if let definition = parseDefine(rest, lines: startLine...(lineNumber - 1),
                                                conditions: stack.enumerated()
                                                    .filter { $0.offset != guardDepth }
                                                    .map(\.element.condition)) {
                    result.append(definition)
                }
            default: break
            }
        }
        return result
    }

    /// `defined(CONFIG_X)` → `CONFIG_X`, for readable condition names.
    static func normalizeCondition(_ condition: String) -> String {
        var text = condition
        if text.hasPrefix("defined(") && text.hasSuffix(")") && !text.dropFirst(8).contains("(") {
            text = String(text.dropFirst(8).dropLast())
        } else if text.hasPrefix("defined ") {
            text = String(text.dropFirst(8))
        }
        return text
    }

    static func negate(_ condition: String) -> String {
        if condition.hasPrefix("!"), !condition.contains(" ") { return String(condition.dropFirst()) }
        return condition.contains(" ") ? "!(\(condition))" : "!" + condition
    }

    static func parseDefine(_ text: String, lines: ClosedRange<Int>,
                            conditions: [String]) -> MacroDefinition? {
        let name = String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        guard !name.isEmpty else { return nil }
        var rest = text.dropFirst(name.count)
        var parameters: [String]?
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            parameters = rest[rest.index(after: rest.startIndex)..<close]
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            rest = rest[rest.index(after: close)...]
        }
        return MacroDefinition(name: name, parameters: parameters,
                               body: rest.trimmingCharacters(in: .whitespaces),
                               lines: lines, conditions: conditions)
    }

    /// The bytes with every comment replaced by spaces (newlines kept, so
    /// line numbers stay right) and string literals left alone.
    static func stripComments(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == .slash, i + 1 < bytes.count, bytes[i + 1] == .star {
                var j = i
                while j < bytes.count, !(j >= i + 2 && bytes[j - 2] == .star && bytes[j - 1] == .slash) {
                    if bytes[j] != .newline { out[j] = .space }
                    j += 1
                }
                i = j
            } else if byte == .slash, i + 1 < bytes.count, bytes[i + 1] == .slash {
                while i < bytes.count, bytes[i] != .newline { out[i] = .space; i += 1 }
            } else if byte == .doubleQuote || byte == .singleQuote {
                var j = i + 1
                while j < bytes.count, bytes[j] != byte, bytes[j] != .newline {
                    j += bytes[j] == .backslash ? 2 : 1
                }
                i = j + 1
            } else {
                i += 1
            }
        }
        return out
    }
}
