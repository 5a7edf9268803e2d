import Clang
import Foundation

/// A function with `#if` blocks is analysed in every configuration of its
/// blocks: each combination of their branches is compiled in turn (the
/// file re-parsed with the other conditions forced, byte offsets kept) and
/// the site converts only when every combination gives the same edits and
/// none of them falls inside a block. Otherwise the refusal names the
/// configuration that differs.
struct ConfigurationVariants {
    /// More combinations than this are refused rather than parsed.
    static let limit = 16

    let bytes: [UInt8]
    let groups: [PreprocessorConditionals.Group]
    /// The branch the real configuration compiles, per group.
    let baseChoices: [Int]
    let function: FunctionBody

    init(function: FunctionBody, groups: [PreprocessorConditionals.Group], skipped: [Range<Int>]) {
        self.function = function
        self.bytes = function.bytes
        self.groups = groups
        baseChoices = groups.map { group in
            let ends = group.branches.dropFirst().map(\.start) + [group.endif.start]
            let active = Array(zip(group.branches, ends)).firstIndex { branch, end in
                let code = branch.end..<end
                return !skipped.contains { $0.lowerBound <= code.lowerBound && code.upperBound <= $0.upperBound }
                    || code.isEmpty
            }
            return active ?? group.branches.count
        }
    }

    /// Groups written with the same directives (`#ifdef CONFIG_X` twice)
    /// go the same way in every configuration: one choice serves them all.
    private var independent: [[Int]] {
        var byText: [String: [Int]] = [:]
        var order: [String] = []
        for (index, group) in groups.enumerated() {
            let key = group.branches.map(directiveText).joined(separator: "\n")
            if byText[key] == nil { order.append(key) }
            byText[key, default: []].append(index)
        }
        return order.map { byText[$0]! }
    }

    /// Every combination but the real configuration's.
    var combinations: [[Int]] {
        var result: [[Int]] = [Array(repeating: 0, count: groups.count)]
        for tied in independent {
            result = result.flatMap { prefix in
                (0..<groups[tied[0]].choices).map { choice in
                    var next = prefix
                    for index in tied { next[index] = choice }
                    return next
                }
            }
        }
        return result.filter { $0 != baseChoices }
    }

    var count: Int { independent.reduce(1) { $0 * groups[$1[0]].choices } }

    /// "`#ifdef CONFIG_MIGRATION` (line 12) not taken, the `#else` at line 15 taken".
    func describe(_ choices: [Int]) -> String {
        var parts: [String] = []
        for tied in independent where choices[tied[0]] != baseChoices[tied[0]] {
            let group = groups[tied[0]]
            let choice = choices[tied[0]]
            let branch = group.branches[min(choice, group.branches.count - 1)]
            let lines = tied.map { function.line(of: groups[$0].branches[min(choice, group.branches.count - 1)].start) }
            let at = lines.count == 1 ? "line \(lines[0])" : "lines " + lines.map(String.init).joined(separator: ", ")
            parts.append(choice < group.branches.count
                         ? "`\(directiveText(branch))` (\(at)) taken"
                         : "no branch of `\(directiveText(branch))` (\(at)) taken")
        }
        return parts.joined(separator: ", ")
    }

    private func directiveText(_ directive: PreprocessorConditionals.Directive) -> String {
        String(decoding: bytes[directive.start..<directive.end], as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map(String.init)?
            .replacingOccurrences(of: "\\", with: "").trimmingCharacters(in: .whitespaces) ?? "#if"
    }

    func variantBytes(_ choices: [Int]) -> [UInt8] {
        PreprocessorConditionals.variant(of: bytes, groups: groups, choices: choices)
    }

    /// The group whose bytes hold `offset`, if any.
    func group(holding offset: Int) -> PreprocessorConditionals.Group? {
        groups.first { $0.range.lowerBound <= offset && offset < $0.range.upperBound }
    }
}
