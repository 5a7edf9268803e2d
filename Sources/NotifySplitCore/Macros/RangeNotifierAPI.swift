/// The tree's range notifier, when it has the `(mm, start, end)` form
/// that a lock region can be bracketed with (2.6 to 4.x trees); 5.x and
/// later take a `struct mmu_notifier_range *` instead.
struct RangeNotifierAPI: Hashable, Sendable {
    var start: String
    var end: String

    static func learn(headerBytes: [UInt8]) -> RangeNotifierAPI? {
        let text = String(decoding: MacroDefinitionReader.stripComments(headerBytes), as: UTF8.self)
        let tokens = CExpression.tokens(text)
        func hasMMForm(_ name: String) -> Bool {
            var i = 0
            while let found = tokens[i...].firstIndex(of: name) {
                i = found + 1
                guard found + 1 < tokens.count, tokens[found + 1] == "(" else { continue }
                var depth = 0
                var parameters: [[String]] = [[]]
                for token in tokens[(found + 1)...] {
                    if token == "(" { depth += 1; if depth == 1 { continue } }
                    if token == ")" { depth -= 1; if depth == 0 { break } }
                    if token == "," && depth == 1 { parameters.append([]) } else { parameters[parameters.count - 1].append(token) }
                }
                // A declaration: `struct mm_struct *mm, unsigned long start, unsigned long end`.
                if parameters.count == 3, parameters[0].contains("mm_struct"),
                   parameters[1].contains("long"), parameters[2].contains("long") {
                    return true
                }
            }
            return false
        }
        let start = "mmu_notifier_invalidate_range_start", end = "mmu_notifier_invalidate_range_end"
        return hasMMForm(start) && hasMMForm(end) ? RangeNotifierAPI(start: start, end: end) : nil
    }
}
