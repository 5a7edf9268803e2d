/// The notify macros of a tree, learnt from its own `mmu_notifier.h`.
public struct MacroModel: Sendable {
    /// The default family; `--macro` adds siblings.
    public static let defaultNames = ["ptep_clear_flush_notify", "ptep_clear_flush_young_notify"]

    /// The requested macros, in request order. A macro the header does not
    /// define at all has no definitions.
    public var macros: [NotifyMacro]
    /// Path of the header the model was learnt from, relative to the tree.
    public var header: String

    public init(macros: [NotifyMacro], header: String) {
        self.macros = macros
        self.header = header
    }

    /// Reads `header` (bytes of `mmu_notifier.h`) and models each name.
    public init(headerBytes: [UInt8], header: String = KernelTree.notifierHeader, names: [String]) {
        let definitions = MacroDefinitionReader.definitions(in: headerBytes)
        self.header = header
        macros = names.map { name in
            Self.model(name: name, definitions: definitions.filter { $0.name == name })
        }
    }

    public subscript(name: String) -> NotifyMacro? { macros.first { $0.name == name } }

    static func model(name: String, definitions: [MacroDefinition]) -> NotifyMacro {
        var macro = NotifyMacro(name: name, parameters: [], definitions: [], plainOp: nil,
                                notifier: nil, combine: nil)
        for definition in definitions {
            var form = NotifyMacro.Form.other
            if let parameters = definition.parameters,
               let learnt = learnStatementExpression(definition.body, parameters: parameters) {
                form = .notifier
                macro.parameters = parameters
                macro.plainOp = learnt.plainOp
                macro.notifier = learnt.notifier
                macro.combine = learnt.combine
            } else if let target = stubTarget(definition) {
                form = .stub
                if macro.plainOp == nil { macro.plainOp = target }
            }
            macro.definitions.append(.init(form: form, lines: definition.lines,
                                           conditions: definition.conditions))
        }
        return macro
    }

    /// `#define ptep_clear_flush_notify ptep_clear_flush`, or a function-like
    /// macro whose body just calls another name with its parameters.
    static func stubTarget(_ definition: MacroDefinition) -> String? {
        let tokens = CExpression.tokens(definition.body)
        if definition.parameters == nil, tokens.count == 1,
           let first = tokens[0].utf8.first, CLexer.isIdentifierStart(first) {
            return tokens[0]
        }
        if definition.parameters != nil, let call = callee(tokens),
           !tokens.contains(where: { $0.hasPrefix("mmu_notifier_") }) {
            return call.function
        }
        return nil
    }

    struct Learnt {
        var plainOp: String
        var notifier: NotifyMacro.NotifierCall
        var combine: NotifyMacro.Combine
    }

    /// Reads the `({ … })` body: locals bound to expressions, the plain op
    /// assigned to the result variable, the `mmu_notifier_*` call (its result
    /// `|=`-ed into the result variable, or discarded).
    static func learnStatementExpression(_ body: String, parameters: [String]) -> Learnt? {
        var tokens = CExpression.tokens(body)
        guard tokens.count > 4, tokens[0] == "(", tokens[1] == "{",
              tokens[tokens.count - 1] == ")", tokens[tokens.count - 2] == "}" else { return nil }
        tokens = Array(tokens[2..<(tokens.count - 2)])
        var locals: [String: [String]] = [:]
        var resultVariable: String?
        var plainOp: String?
        var notifier: (function: String, arguments: [[String]])?
        var combine: NotifyMacro.Combine?

        for statement in CExpression.split(tokens, on: ";") where !statement.isEmpty {
            if let op = statement.firstIndex(where: { $0 == "=" || $0 == "|=" }) {
                let lhs = Array(statement[..<op])
                let rhs = Array(statement[(op + 1)...])
                guard let target = lhs.last else { return nil }
                if let call = callee(rhs), call.function.hasPrefix("mmu_notifier_") {
                    notifier = call
                    combine = statement[op] == "|=" ? .or : .discard
                } else if lhs.count == 1, statement[op] == "=", let call = callee(rhs) {
                    plainOp = call.function
                    resultVariable = target
                } else if lhs.count > 1, statement[op] == "=" {
                    locals[target] = rhs            // `type name = expr` binds a local
                } else {
                    return nil
                }
            } else if let call = callee(statement), call.function.hasPrefix("mmu_notifier_") {
                notifier = call
                combine = .discard
            }
        }
        guard let plainOp, let notifier, let combine, resultVariable != nil else { return nil }
        // Express the notifier's arguments through the macro's parameters.
        let arguments = notifier.arguments.map { argument -> String in
            var expression = argument
            for _ in 0..<8 {
                let next = CExpression.substitute(expression, locals)
                if next == expression { break }
                expression = next
            }
            return CExpression.render(expression)
        }
        return Learnt(plainOp: plainOp,
                      notifier: .init(function: notifier.function, arguments: arguments),
                      combine: combine)
    }

    /// `f ( a , b )` → ("f", [[a], [b]]); nil when the tokens are not one call.
    static func callee(_ tokens: [String]) -> (function: String, arguments: [[String]])? {
        guard tokens.count >= 3, tokens[1] == "(", tokens.last == ")",
              let first = tokens[0].utf8.first, CLexer.isIdentifierStart(first) else { return nil }
        let inside = Array(tokens[2..<(tokens.count - 1)])
        var depth = 0
        for token in inside {
            if token == "(" { depth += 1 }
            if token == ")" { depth -= 1; if depth < 0 { return nil } }
        }
        return (tokens[0], inside.isEmpty ? [] : CExpression.split(inside, on: ","))
    }
}
