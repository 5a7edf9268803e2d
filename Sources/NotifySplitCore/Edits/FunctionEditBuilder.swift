/// Turns the conversion plans of one function into byte edits: the plain
/// op in place of the macro, the notifier after each unlock, flags and
/// young results declared with the function's other locals.
struct FunctionEditBuilder {
    let function: FunctionBody
    private(set) var edits: [Edit] = []
    private var declared: [String] = []
    /// Locals of other types (the captured bounds of a range), in order.
    private var typed: [(type: String, name: String)] = []
    private var taken: Set<String> = []
    private var rangeStarts: Set<Int> = []
    private var rangeEnds: Set<String> = []

    init(function: FunctionBody) {
        self.function = function
    }

    /// Adds the edits of one convertible site.
    mutating func add(_ decision: SiteDecision) {
        guard let plan = decision.plan, let plainOp = plan.macro.plainOp else { return }
        let site = decision.site
        let eol = function.lineEnding(at: site.start)
        let nameRange = site.start..<(site.start + site.macro.utf8.count)
        let plainCall = Array(plainOp.utf8) + function.bytes[nameRange.upperBound..<site.end]

        if let range = plan.range {
            edits.append(.replace(nameRange, with: plainOp))
            if rangeStarts.insert(range.lockStatementStart).inserted {
                var lines: [UInt8] = []
                for capture in range.captures {
                    typed.append((capture.type, capture.name))
                    lines += range.lockIndent + Array("\(capture.name) = \(capture.value);".utf8) + eol
                }
                lines += KernelStyle.call(indent: range.lockIndent, range.startCall, lineEnding: eol)
                edits.append(.insert(at: range.lockStatementStart,
                                     Array(lines.dropFirst(range.lockIndent.count)) + eol + range.lockIndent))
            }
            for release in plan.releases where rangeEnds.insert("\(release.insertAt) \(range.endCall)").inserted {
                edits.append(.insert(at: release.insertAt,
                                     eol + KernelStyle.call(indent: release.indent, range.endCall, lineEnding: eol)))
            }
            return
        }

        let flag = plan.guarded ? declare(flagName(for: plainOp)) : nil
        switch plan.result {
        case .plain, .young(consumer: .none):
            edits.append(.replace(nameRange, with: plainOp))
            if let flag, let end = plan.statementEnd {
                edits.append(.insert(at: end, eol + plan.statementIndent + Array("\(flag) = 1;".utf8)))
            }
            for release in plan.releases {
                edits.append(.insert(at: release.insertAt, eol + notifier(plan, release, flag: flag, eol: eol)))
            }
        case .young(consumer: .statement(let range, let end)):
            let young = declare("young")
            var replacement = Array("\(young) = ".utf8) + plainCall + [.semicolon]
            if let flag { replacement += eol + plan.statementIndent + Array("\(flag) = 1;".utf8) }
            edits.append(Edit(range: range.lowerBound..<end, replacement: replacement))
            let consumer = consumerText(range.lowerBound..<end, site: site, young: young)
            for release in plan.releases {
                edits.append(.insert(at: release.insertAt, eol + youngBlock(plan, release, young: young, flag: flag,
                                                                           consumer: consumer, from: plan.statementIndent,
                                                                           eol: eol)))
            }
        case .young(consumer: .elseIf(let outer, let outerCondition, let outerThen, let outerThenIsBlock,
                                      let inner, let end)):
            let young = declare("young")
            let flag = flag ?? declare(flagName(for: plainOp))
            let outerIndent = function.indentation(at: outer.lowerBound)
            let innerIndent = KernelStyle.deeper(outerIndent)
            if !outerThenIsBlock, let thenEnd = function.semicolon(after: outerThen.upperBound),
               let close = closingParenthesis(after: outerCondition.upperBound) {
                edits.append(.insert(at: close + 1, Array(" {".utf8)))
                edits.append(Edit(range: thenEnd..<inner.lowerBound, replacement: eol + outerIndent + Array("} else ".utf8)))
            }
            var block = Array("{".utf8) + eol + innerIndent + Array("\(young) = ".utf8) + plainCall + [.semicolon]
            block += eol + innerIndent + Array("\(flag) = 1;".utf8) + eol + outerIndent + [.closeBrace]
            edits.append(Edit(range: inner.lowerBound..<end, replacement: block))
            let consumer = consumerText(inner.lowerBound..<end, site: site, young: young)
            for release in plan.releases {
                edits.append(.insert(at: release.insertAt, eol + youngBlock(plan, release, young: young, flag: flag,
                                                                           consumer: consumer, from: outerIndent,
                                                                           eol: eol)))
            }
        }
    }

    /// The declarations of new locals, extending an `int x = 0;` at the top
    /// of the body when one is there (the kernel's usual style).
    mutating func finish() -> [Edit] {
        declareTyped()
        guard !declared.isEmpty else { return edits }
        let additions = declared.map { "\($0) = 0" }
        let topDeclarations = function.body.children.prefix { $0.kind == .declStmt }
        let eol = function.lineEnding(at: function.body.extent.start.offset)
        for declaration in topDeclarations {
            let range = declaration.extent.byteRange
            let text = function.text(range)
            guard text.hasPrefix("int "), text.hasSuffix(";"), !text.contains("("), !text.contains("["),
                  !text.contains("*"), !text.contains("\n"), text.contains("=") else { continue }
            let extension_ = ", " + additions.joined(separator: ", ")
            let indent = function.indentation(at: range.lowerBound)
            if KernelStyle.width(indent) + text.utf8.count + extension_.utf8.count <= KernelStyle.columns {
                edits.append(.insert(at: range.upperBound - 1, Array(extension_.utf8)))
                return edits
            }
        }
        let line = Array("int \(additions.joined(separator: ", "));".utf8)
        if let last = topDeclarations.last {
            let indent = function.indentation(at: last.extent.start.offset)
            edits.append(.insert(at: last.extent.end.offset, eol + indent + line))
        } else if let first = function.body.children.first {
            let indent = function.indentation(at: first.extent.start.offset)
            edits.append(.insert(at: first.extent.start.offset, line + eol + eol + indent))
        }
        return edits
    }

    /// `unsigned long mmun_start, mmun_end;` after the body's top
    /// declarations, one line per type.
    private mutating func declareTyped() {
        guard !typed.isEmpty else { return }
        let eol = function.lineEnding(at: function.body.extent.start.offset)
        var types: [String] = []
        for (type, _) in typed where !types.contains(type) { types.append(type) }
        let lines = types.map { type in
            Array("\(type) \(typed.filter { $0.type == type }.map(\.name).joined(separator: ", "));".utf8)
        }
        let topDeclarations = function.body.children.prefix { $0.kind == .declStmt }
        if let last = topDeclarations.last {
            let indent = function.indentation(at: last.extent.start.offset)
            edits.append(.insert(at: last.extent.end.offset, lines.flatMap { eol + indent + $0 }))
        } else if let first = function.body.children.first {
            let indent = function.indentation(at: first.extent.start.offset)
            edits.append(.insert(at: first.extent.start.offset, lines.flatMap { $0 + eol + indent } + eol + indent))
        }
        typed = []
    }

    // MARK: - Pieces of text

    private func notifier(_ plan: ConversionPlan, _ release: ConversionPlan.Release, flag: String?,
                          eol: [UInt8]) -> [UInt8] {
        guard let flag else { return KernelStyle.call(indent: release.indent, plan.notifierCall, lineEnding: eol) }
        return release.indent + Array("if (\(flag))".utf8) + eol
            + KernelStyle.call(indent: KernelStyle.deeper(release.indent), plan.notifierCall, lineEnding: eol)
    }

    /// After an unlock: OR the notifier's young into the plain op's, then
    /// run the original consumer, unchanged but for the variable.
    private func youngBlock(_ plan: ConversionPlan, _ release: ConversionPlan.Release, young: String, flag: String?,
                            consumer: [UInt8], from: [UInt8], eol: [UInt8]) -> [UInt8] {
        let inner = flag == nil ? release.indent : KernelStyle.deeper(release.indent)
        var text: [UInt8] = []
        if let flag { text += release.indent + Array("if (\(flag)) {".utf8) + eol }
        text += KernelStyle.call(indent: inner, prefix: "\(young) |= ", plan.notifierCall, lineEnding: eol)
        text += eol + inner + reindent(consumer, from: from, to: inner, eol: eol)
        if flag != nil { text += eol + release.indent + [.closeBrace] }
        return text
    }

    /// The consumer statement with the invocation replaced by `young`.
    private func consumerText(_ range: Range<Int>, site: CallSite, young: String) -> [UInt8] {
        Array(function.bytes[range.lowerBound..<site.start]) + Array(young.utf8)
            + Array(function.bytes[site.end..<range.upperBound])
    }

    /// Moves continuation lines from one indentation to another.
    private func reindent(_ text: [UInt8], from: [UInt8], to: [UInt8], eol: [UInt8]) -> [UInt8] {
        var lines = text.split(separator: .newline, omittingEmptySubsequences: false).map(Array.init)
        for i in lines.indices.dropFirst() where lines[i].starts(with: from) {
            lines[i] = to + lines[i].dropFirst(from.count)
        }
        return Array(lines.joined(separator: [UInt8.newline]))
    }

    private func closingParenthesis(after offset: Int) -> Int? {
        var i = offset
        while i < function.bytes.count, function.bytes[i] == .space || function.bytes[i] == .tab { i += 1 }
        return i < function.bytes.count && function.bytes[i] == .closeParen ? i : nil
    }

    // MARK: - Names

    /// `ptep_clear_flush_young` → `clear_flush_young`.
    private func flagName(for plainOp: String) -> String {
        for prefix in ["ptep_", "pmdp_", "pudp_"] where plainOp.hasPrefix(prefix) {
            return String(plainOp.dropFirst(prefix.count))
        }
        return plainOp + "_done"
    }

    /// A name not used anywhere in the file, declared as `int name = 0`.
    private mutating func declare(_ base: String) -> String {
        var name = base
        var n = 2
        while taken.contains(name) || mentions(name) {
            name = "\(base)_\(n)"
            n += 1
        }
        taken.insert(name)
        declared.append(name)
        return name
    }

    private func mentions(_ name: String) -> Bool { function.mentions(name) }
}
