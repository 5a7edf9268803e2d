import Foundation

/// The forms of `audit`'s answer: text for a reader, JSON for tools
/// (schemas/audit-report.schema.json; schema 1, fields only ever added).
public struct AuditReport: Sendable {
    public let result: AuditResult

    public init(_ result: AuditResult) {
        self.result = result
    }

    /// 0 when every file was read and parsed, 3 otherwise (2 never reaches
    /// a report). Unknown answers are answers: they name what was not
    /// followed.
    public var exitStatus: Int32 { result.problems.isEmpty ? 0 : 3 }

    // MARK: - Text

    public func text() -> String {
        var out = ""
        for call in result.calls {
            let via = call.notifier == call.dispatch ? call.dispatch : "\(call.notifier) (\(call.dispatch))"
            let answer: String
            switch call.sleepable {
            case .no: answer = "not sleepable"
            case .yes: answer = "sleepable"
            case .unknown: answer = "sleepable: unknown"
            }
            var extra: [String] = ["\(call.chains) chain\(call.chains == 1 ? "" : "s")"]
            if !call.depthLimited.isEmpty {
                extra.append("cut at depth \(result.depth) above " + call.depthLimited.map { "\($0)()" }
                    .joined(separator: ", "))
            }
            out += "\(call.path):\(call.line):\(call.column): \(call.function)(): \(via): \(answer) "
                + "(\(extra.joined(separator: "; ")))\n"
            for held in call.held {
                out += "    " + Self.describe(held) + "\n"
            }
            for reason in call.unknown {
                out += "    unknown: \(reason)\n"
            }
        }
        if !result.locks.isEmpty {
            out += "\nLocks that keep notifier calls atomic:\n"
            for lock in result.locks {
                var head = "  \(lock.lock) (\(lock.kind)"
                if let identity = lock.identity, identity != lock.lock { head += ", \(identity)" }
                if let declared = lock.declaredAt { head += ", declared at \(declared.path):\(declared.line)" }
                head += "): \(lock.calls.count) call\(lock.calls.count == 1 ? "" : "s"), taken in "
                    + lock.takenIn.joined(separator: ", ")
                out += head + "\n"
                for call in lock.calls { out += "      keeps atomic: \(call)\n" }
                if !lock.sites.isEmpty {
                    out += "      \(lock.sites.count) site\(lock.sites.count == 1 ? "" : "s") in the tree:\n"
                    for site in lock.sites {
                        out += "        \(site.path):\(site.line):\(site.column): \(site.operation) "
                            + "\(site.primitive)(\(site.expression))"
                            + (site.function.map { " in \($0)()" } ?? "") + "\n"
                    }
                }
                if let note = lock.inventoryNote { out += "      sites: \(note)\n" }
            }
        }
        for problem in result.problems { out += "problem: \(problem)\n" }
        for note in result.notes { out += "note: \(note)\n" }
        let count = { (s: AuditResult.Sleepable) in result.calls.filter { $0.sleepable == s }.count }
        out += "\n" + "configuration: \(result.configuration)\n"
        out += "audit\(result.series.map { " (with series \($0))" } ?? ""): \(result.calls.count) notifier call(s): "
            + "\(count(.no)) not sleepable, \(count(.yes)) sleepable, \(count(.unknown)) unknown; callers followed "
            + "\(result.depth) deep; \(result.filesParsed) file(s) parsed of \(result.filesScanned) scanned\n"
        return out
    }

    static func describe(_ held: AuditResult.Held) -> String {
        var kind = held.kind ?? "unknown kind, type \(held.typeName ?? "?")"
        if held.atomic == true { kind += ", atomic" }
        let taker = held.takenBy == held.lock ? "" : " by \(held.takenBy)()"
        let chain = held.chain.map { "\($0.function)():\($0.line)" }.joined(separator: " -> ")
        let paths = held.paths == "all" ? "" : " [on some paths only]"
        return "\(held.lock) (\(kind)) taken in \(held.takenIn)()\(taker) at \(held.takenAt.path):\(held.takenAt.line)"
            + "\(paths): \(chain)"
    }

    // MARK: - JSON

    public func json() -> String {
        func location(_ value: (path: String, line: Int)?) -> Any {
            guard let value else { return NSNull() }
            return ["path": value.path, "line": value.line] as [String: Any]
        }
        func optional(_ value: String?) -> Any { value ?? NSNull() }
        let calls: [[String: Any]] = result.calls.map { call in
            let sleepable: Any = call.sleepable == .unknown ? "unknown" : (call.sleepable == .yes)
            return [
                "path": call.path, "line": call.line, "column": call.column, "function": call.function,
                "notifier": call.notifier, "dispatch": call.dispatch, "sleepable": sleepable,
                "held": call.held.map { held -> [String: Any] in
                    [
                        "lock": held.lock, "kind": optional(held.kind), "atomic": held.atomic.map { $0 as Any } ?? NSNull(),
                        "type": optional(held.typeName), "identity": optional(held.identity),
                        "declared_at": location(held.declaredAt), "taken_in": held.takenIn,
                        "taken_at": location(held.takenAt), "taken_by": held.takenBy, "paths": held.paths,
                        "chain": held.chain.map { ["function": $0.function, "path": $0.path, "line": $0.line] },
                    ]
                },
                "unknown": call.unknown, "chains": call.chains, "depth_limited": call.depthLimited,
            ]
        }
        let locks: [[String: Any]] = result.locks.map { lock in
            [
                "lock": lock.lock, "kind": lock.kind, "identity": optional(lock.identity),
                "declared_at": location(lock.declaredAt),
                "calls": lock.calls, "taken_in": lock.takenIn,
                "sites": lock.sites.map { site -> [String: Any] in
                    ["path": site.path, "line": site.line, "column": site.column, "function": optional(site.function),
                     "operation": site.operation, "primitive": site.primitive, "expression": site.expression]
                },
                "inventory_note": optional(lock.inventoryNote),
            ]
        }
        let count = { (s: AuditResult.Sleepable) in result.calls.filter { $0.sleepable == s }.count }
        let object: [String: Any] = [
            "schema": 1, "tool_version": ToolVersion.current, "tree_version": result.treeVersion,
            "configuration": result.configuration, "series": optional(result.series), "depth": result.depth,
            "complete": result.problems.isEmpty, "exit_status": Int(exitStatus),
            "calls": calls, "locks": locks, "problems": result.problems, "notes": result.notes,
            "summary": [
                "calls": result.calls.count, "not_sleepable": count(.no), "sleepable": count(.yes),
                "unknown": count(.unknown), "files_parsed": result.filesParsed, "files_scanned": result.filesScanned,
            ] as [String: Any],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object,
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
