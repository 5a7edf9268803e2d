import Foundation

/// The forms of `check`'s answer: compiler-style text, JSON (schema in
/// schemas/check-report.schema.json), SARIF 2.1.0, GitHub annotations.
public struct CheckReport: Codable, Sendable {
    public struct Macro: Codable, Sendable {
        public var name: String
        public var state: String
        public var uses: [Use]
        public var definitions: [Definition]
        public var notes: [Note]
    }

    public struct Use: Codable, Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        public var function: String?
        public var via: String?
        public var in_wrapper_definition: Bool

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encode(function, forKey: .function)
            try c.encode(via, forKey: .via)
            try c.encode(in_wrapper_definition, forKey: .in_wrapper_definition)
        }
    }

    public struct Definition: Codable, Sendable {
        public var path: String
        public var first_line: Int
        public var last_line: Int
        public var form: String
        public var conditions: [String]
    }

    public struct Note: Codable, Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        public var kind: String
    }

    public struct Unreadable: Codable, Sendable {
        public var path: String
        public var reason: String
    }

    public var schema = 1
    /// notifysplit's own version.
    public var tool_version = ToolVersion.current
    public var tree_version: String
    public var series: String?
    public var files_scanned: Int
    public var complete: Bool
    /// 0 complete, 1 uses remain, 3 incomplete (2 never reaches a report).
    public var exit_status: Int
    public var macros: [Macro]
    public var unreadable: [Unreadable]

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(tool_version, forKey: .tool_version)
        try c.encode(tree_version, forKey: .tree_version)
        try c.encode(series, forKey: .series)
        try c.encode(files_scanned, forKey: .files_scanned)
        try c.encode(complete, forKey: .complete)
        try c.encode(exit_status, forKey: .exit_status)
        try c.encode(macros, forKey: .macros)
        try c.encode(unreadable, forKey: .unreadable)
    }

    public init(_ check: TreeCheck) {
        tree_version = check.tree.version.description
        series = check.series
        files_scanned = check.filesScanned
        macros = check.macros.map { macro in
            Macro(name: macro.name, state: macro.state.rawValue,
                  uses: macro.uses.map {
                      Use(path: $0.path, line: $0.line, column: $0.column, function: $0.function, via: $0.via,
                          in_wrapper_definition: $0.inWrapperDefinition)
                  },
                  definitions: macro.definitions.map {
                      Definition(path: $0.path, first_line: $0.firstLine, last_line: $0.lastLine, form: $0.form,
                                 conditions: $0.conditions)
                  },
                  notes: macro.mentions.map { Note(path: $0.path, line: $0.line, column: $0.column, kind: $0.kind) })
        }
        unreadable = check.unreadable.map { Unreadable(path: $0.path, reason: $0.reason) }
        complete = check.isComplete && check.unreadable.isEmpty
        exit_status = !check.unreadable.isEmpty ? 3 : check.isComplete ? 0 : 1
    }

    // MARK: - Text

    static func describe(_ use: Use, _ macro: String) -> String {
        if use.in_wrapper_definition { return "\(macro) still used in the definition of wrapper \(use.via ?? "?")" }
        var text = "\(macro) still used"
        if let via = use.via { text += " through \(via)" }
        if let function = use.function { text += " in \(function)()" }
        return text
    }

    static func describe(_ definition: Definition, _ macro: String) -> String {
        let lines = definition.first_line == definition.last_line ? "line \(definition.first_line)"
            : "lines \(definition.first_line)-\(definition.last_line)"
        let form = definition.form == "stub" ? "#else stub" : definition.form == "notifier"
            ? "CONFIG_MMU_NOTIFIER form" : definition.form
        let condition = definition.conditions.isEmpty ? "" : ", under \(definition.conditions.joined(separator: " && "))"
        return "\(macro) defined here (\(form), \(lines)\(condition))"
    }

    public func text() -> String {
        var lines: [String] = []
        for macro in macros {
            for use in macro.uses {
                lines.append("\(use.path):\(use.line):\(use.column): error: \(Self.describe(use, macro.name))")
            }
            for definition in macro.definitions {
                lines.append("\(definition.path):\(definition.first_line): note: \(Self.describe(definition, macro.name))")
            }
            for note in macro.notes {
                lines.append("\(note.path):\(note.line):\(note.column): note: \(macro.name) mentioned in "
                             + (note.kind == "comment" ? "a comment" : "documentation") + " (goes stale)")
            }
        }
        for file in unreadable { lines.append("\(file.path): error: cannot read: \(file.reason)") }
        for macro in macros {
            let summary: String
            switch macro.state {
            case "deletable":
                summary = "deletable: no use left; \(macro.definitions.count) definition(s) to delete"
            case "in-use": summary = "in use: \(macro.uses.count) use(s) left"
            case "gone": summary = "gone: neither used nor defined"
            default: summary = "unknown: \(unreadable.count) file(s) could not be read"
            }
            lines.append("\(macro.name): \(summary)")
        }
        let verdict = exit_status == 0 ? "complete: every macro can be deleted or is gone"
            : exit_status == 1 ? "uses remain" : "incomplete: not every file was read"
        lines.append("check\(series.map { " (with series \($0))" } ?? ""): \(files_scanned) files scanned; \(verdict)")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - JSON

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    // MARK: - GitHub workflow annotations

    public func github() -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
        }
        var lines: [String] = []
        for macro in macros {
            for use in macro.uses {
                lines.append("::error file=\(use.path),line=\(use.line),col=\(use.column),title=notify macro in use::"
                             + escape(Self.describe(use, macro.name)))
            }
            for note in macro.notes {
                lines.append("::notice file=\(note.path),line=\(note.line),col=\(note.column)::"
                             + escape("\(macro.name) mentioned in \(note.kind == "comment" ? "a comment" : "documentation")"))
            }
            if macro.state == "deletable", let definition = macro.definitions.first {
                lines.append("::notice file=\(definition.path),line=\(definition.first_line)::"
                             + escape("\(macro.name) has no use left and can be deleted"))
            }
        }
        for file in unreadable {
            lines.append("::error file=\(file.path)::" + escape("cannot read: \(file.reason)"))
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    // MARK: - SARIF 2.1.0

    public func sarif() -> String {
        func location(_ path: String, _ line: Int, _ column: Int?) -> [String: Any] {
            var region: [String: Any] = ["startLine": line]
            if let column { region["startColumn"] = column }
            return ["physicalLocation": ["artifactLocation": ["uri": path, "uriBaseId": "SRCROOT"],
                                         "region": region]]
        }
        var results: [[String: Any]] = []
        for macro in macros {
            for use in macro.uses {
                results.append(["ruleId": "NS001", "level": "error",
                                "message": ["text": Self.describe(use, macro.name)],
                                "locations": [location(use.path, use.line, use.column)]])
            }
            for definition in macro.definitions {
                results.append(["ruleId": macro.state == "deletable" ? "NS002" : "NS003", "level": "note",
                                "message": ["text": Self.describe(definition, macro.name)],
                                "locations": [location(definition.path, definition.first_line, nil)]])
            }
            for note in macro.notes {
                results.append(["ruleId": "NS004", "level": "note",
                                "message": ["text": "\(macro.name) mentioned in \(note.kind)"],
                                "locations": [location(note.path, note.line, note.column)]])
            }
        }
        for file in unreadable {
            results.append(["ruleId": "NS005", "level": "error", "message": ["text": "cannot read: \(file.reason)"],
                            "locations": [location(file.path, 1, nil)]])
        }
        let rules: [[String: Any]] = [
            ("NS001", "notify-macro-use", "A *_notify macro is still used: its notifier runs under the page-table lock."),
            ("NS002", "notify-macro-deletable", "A *_notify macro definition that nothing uses any more."),
            ("NS003", "notify-macro-definition", "A *_notify macro definition still in use."),
            ("NS004", "notify-macro-mention", "A mention of a *_notify macro in a comment or documentation."),
            ("NS005", "unreadable-file", "A file check could not read."),
        ].map { ["id": $0.0, "name": $0.1, "shortDescription": ["text": $0.2]] }
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": ["name": "notifysplit", "version": tool_version, "rules": rules]],
                "originalUriBaseIds": ["SRCROOT": ["description": ["text": "The top of the kernel tree."]]],
                "results": results,
                "invocations": [["executionSuccessful": exit_status != 3]],
            ]],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys,
                                                                              .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
