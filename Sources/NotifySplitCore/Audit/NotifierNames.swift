/// Which calls are notifier calls, learnt from the tree's own
/// `mmu_notifier.h`: the `mmu_notifier_*()` functions that hand the event
/// to the registered notifiers (their body calls `__mmu_notifier_X()` and X
/// is a callback of `struct mmu_notifier_ops`), and every macro whose body
/// reaches one of them (`ptep_clear_flush_notify`, `set_pte_at_notify`, …).
/// Registration and bookkeeping (`mmu_notifier_register()`,
/// `mmu_notifier_range_init()`, the subscriptions' destroy) are not
/// notifier calls: no notifier runs.
public struct NotifierNames: Sendable, Hashable {
    /// `mmu_notifier_invalidate_range_start` → `invalidate_range_start`.
    public var dispatch: [String: String]
    /// Notify macros, with the dispatch function their body reaches.
    public var macros: [String: String]

    public var allNames: Set<String> { Set(dispatch.keys).union(macros.keys) }

    public init(dispatch: [String: String], macros: [String: String]) {
        self.dispatch = dispatch
        self.macros = macros
    }

    /// Reads the header's text (comments stripped): function definitions
    /// at brace depth 0, the ops structure's callback names, and the
    /// `#define`s. `extraMacros` (the scan's `--macro` names) count as
    /// notify macros when the header makes them reach a dispatch function.
    public static func learn(headerBytes: [UInt8]) -> NotifierNames {
        let text = MacroDefinitionReader.stripComments(headerBytes)
        let tokens = codeTokens(text)
        let callbacks = opsCallbacks(tokens)
        var dispatch: [String: String] = [:]
        var i = 0
        var depth = 0
        while i < tokens.count {
            let token = tokens[i]
            if token == "{" { depth += 1 } else if token == "}" { depth = max(0, depth - 1) }
            // `mmu_notifier_x ( … ) {` at depth 0: a definition.
            if depth == 0, token.hasPrefix("mmu_notifier_"), i + 1 < tokens.count, tokens[i + 1] == "(",
               let close = matching(tokens, from: i + 1), close + 1 < tokens.count, tokens[close + 1] == "{",
               let end = matching(tokens, from: close + 1) {
                for k in (close + 2)..<end where tokens[k].hasPrefix("__mmu_notifier_")
                    && k + 1 < end && tokens[k + 1] == "(" {
                    let callback = String(tokens[k].dropFirst("__mmu_notifier_".count))
                    if callbacks.isEmpty || callbacks.contains(callback) {
                        dispatch[token] = callback
                        break
                    }
                }
                i = end + 1
                continue
            }
            i += 1
        }
        var macros: [String: String] = [:]
        let definitions = MacroDefinitionReader.definitions(in: headerBytes)
        var changed = true
        while changed {
            changed = false
            for definition in definitions where macros[definition.name] == nil && dispatch[definition.name] == nil {
                let body = CExpression.tokens(definition.body)
                if let reached = body.lazy.compactMap({ dispatch[$0] != nil ? $0 : macros[$0] }).first {
                    macros[definition.name] = reached
                    changed = true
                }
            }
        }
        return NotifierNames(dispatch: dispatch, macros: macros)
    }

    /// Callback member names of `struct mmu_notifier_ops { … }`: the name in
    /// each `( * name )`.
    private static func opsCallbacks(_ tokens: [String]) -> Set<String> {
        var result = Set<String>()
        guard let start = tokens.indices.first(where: {
            tokens[$0] == "struct" && $0 + 2 < tokens.count && tokens[$0 + 1] == "mmu_notifier_ops"
                && tokens[$0 + 2] == "{"
        }), let end = matching(tokens, from: start + 2) else { return result }
        for k in (start + 3)..<end where tokens[k] == "(" && k + 3 < end && tokens[k + 1] == "*"
            && tokens[k + 3] == ")" {
            result.insert(tokens[k + 2])
        }
        return result
    }

    /// Tokens of the text outside preprocessor directives.
    private static func codeTokens(_ bytes: [UInt8]) -> [String] {
        var code: [UInt8] = []
        code.reserveCapacity(bytes.count)
        var lineStart = true
        var inDirective = false
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if lineStart && !inDirective {
                var j = i
                while j < bytes.count, bytes[j] == .space || bytes[j] == .tab { j += 1 }
                if j < bytes.count, bytes[j] == .hash { inDirective = true }
            }
            lineStart = byte == .newline
            if byte == .newline {
                var k = i - 1
                if k >= 0, bytes[k] == .carriageReturn { k -= 1 }
                if !(k >= 0 && bytes[k] == .backslash) { inDirective = false }
                code.append(.newline)
            } else if !inDirective {
                code.append(byte)
            }
            i += 1
        }
        return CExpression.tokens(String(decoding: code, as: UTF8.self))
    }

    /// The index of the bracket closing the one at `open`.
    private static func matching(_ tokens: [String], from open: Int) -> Int? {
        let pairs: [String: String] = ["(": ")", "{": "}", "[": "]"]
        guard let close = pairs[tokens[open]] else { return nil }
        var depth = 0
        for k in open..<tokens.count {
            if tokens[k] == tokens[open] { depth += 1 } else if tokens[k] == close {
                depth -= 1
                if depth == 0 { return k }
            }
        }
        return nil
    }
}
