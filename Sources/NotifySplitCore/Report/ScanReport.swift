import Foundation

/// The stable JSON form of a scan (`scan --format json`). Keys are sorted;
/// paths are tree-relative; byte offsets count bytes of the original file.
/// Documented in README.md ("scan JSON").
public struct ScanReport: Codable, Equatable, Sendable {
    public var schema = 1
    public var tree: Tree
    public var macros: [Macro]
    public var wrappers: [Wrapper]
    public var sites: [Site]
    public var notes: [Note]
    public var problems: [Problem]
    /// Each parsed candidate `.c` file: its error count and configuration.
    public var files: [File]
    public var summary: Summary

    public struct Tree: Codable, Equatable, Sendable {
        public var version: String
        public var configuration: String
    }

    public struct Macro: Codable, Equatable, Sendable {
        public var name: String
        /// "notifier" (the header defines the notifier form), "stub-only"
        /// (only the `#else` stub is left) or "missing".
        public var state: String
        public var parameters: [String]
        public var plain_op: String?
        public var notifier: String?
        public var notifier_arguments: [String]?
        /// "or" (`|=` into the result) or "discard".
        public var combine: String?
        public var definitions: [Definition]

        /// Absent values are written as `null`, so every key is always present.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(state, forKey: .state)
            try c.encode(parameters, forKey: .parameters)
            try c.encode(plain_op, forKey: .plain_op)
            try c.encode(notifier, forKey: .notifier)
            try c.encode(notifier_arguments, forKey: .notifier_arguments)
            try c.encode(combine, forKey: .combine)
            try c.encode(definitions, forKey: .definitions)
        }
    }

    public struct Definition: Codable, Equatable, Sendable {
        public var form: String
        public var first_line: Int
        public var last_line: Int
        public var conditions: [String]
    }

    public struct Wrapper: Codable, Equatable, Sendable {
        public var name: String
        public var expands_to: [String]
        public var path: String
        public var line: Int
    }

    public struct Site: Codable, Equatable, Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        public var macro: String
        public var via: String?
        public var function: String?
        public var start: Int
        public var end: Int
        public var arguments: [String]
        public var statement: Statement?
        public var status: String
        public var reason: String?
        public var diagnostics: [String]

        /// Absent values are written as `null`, so every key is always present.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encode(macro, forKey: .macro)
            try c.encode(via, forKey: .via)
            try c.encode(function, forKey: .function)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(arguments, forKey: .arguments)
            try c.encode(statement, forKey: .statement)
            try c.encode(status, forKey: .status)
            try c.encode(reason, forKey: .reason)
            try c.encode(diagnostics, forKey: .diagnostics)
        }
    }

    public typealias Statement = CallSite.Statement

    public struct Note: Codable, Equatable, Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        public var macro: String
        public var kind: String
    }

    public struct Problem: Codable, Equatable, Sendable {
        public var path: String
        public var reason: String
        public var diagnostics: [String]
    }

    public struct File: Codable, Equatable, Sendable {
        public var path: String
        /// Errors libclang reported parsing it (0 is what a CI asserts).
        public var errors: Int
        /// The configuration it was parsed with.
        public var configuration: String?
        /// Configurations tried before, each with why it was left.
        public var rejected: [String]
        /// Errors inside header functions the file never uses (counted in
        /// `errors`; they cannot reach the analysis).
        public var errors_in_unused_functions: [String]

        /// Absent values are written as `null`, so every key is always present.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(errors, forKey: .errors)
            try c.encode(configuration, forKey: .configuration)
            try c.encode(rejected, forKey: .rejected)
            try c.encode(errors_in_unused_functions, forKey: .errors_in_unused_functions)
        }
    }

    public struct Summary: Codable, Equatable, Sendable {
        public var files_scanned: Int
        public var candidate_files: Int
        public var files_parsed: Int
        public var sites: Int
        public var parse_problems: Int
        public var unreadable: Int
        public var complete: Bool
    }
}

extension ScanReport {
    public init(_ scan: Scan) {
        tree = Tree(version: scan.tree.version.description, configuration: scan.configuration)
        macros = scan.model.macros.map { macro in
            Macro(name: macro.name,
                  state: macro.hasNotifierDefinition ? "notifier"
                      : macro.definitions.isEmpty ? "missing" : "stub-only",
                  parameters: macro.parameters, plain_op: macro.plainOp,
                  notifier: macro.notifier?.function, notifier_arguments: macro.notifier?.arguments,
                  combine: macro.combine?.rawValue,
                  definitions: macro.definitions.map {
                      Definition(form: $0.form.rawValue, first_line: $0.lines.lowerBound,
                                 last_line: $0.lines.upperBound, conditions: $0.conditions)
                  })
        }
        wrappers = scan.wrappers.map {
            Wrapper(name: $0.name, expands_to: $0.expandsTo, path: $0.path, line: $0.line)
        }
        sites = scan.sites.map { site in
            Site(path: site.path, line: site.line, column: site.column, macro: site.macro,
                 via: site.via, function: site.function, start: site.start, end: site.end,
                 arguments: site.arguments,
                 statement: site.statement,
                 status: site.status.rawValue, reason: site.reason,
                 diagnostics: site.diagnostics.map(scan.tree.relativeDiagnostic))
        }
        notes = scan.mentions.map {
            Note(path: $0.path, line: $0.line, column: $0.column, macro: $0.macro, kind: "comment")
        }
        problems = scan.problems.map {
            Problem(path: $0.path, reason: $0.reason, diagnostics: $0.diagnostics.map(scan.tree.relativeDiagnostic))
        } + scan.unreadable.map { Problem(path: $0.path, reason: "unreadable: \($0.reason)", diagnostics: []) }
        files = scan.files.map {
            File(path: $0.path, errors: $0.errors, configuration: $0.configuration, rejected: $0.rejected,
                 errors_in_unused_functions: $0.errorsInUnusedFunctions)
        }
        summary = Summary(files_scanned: scan.summary.filesScanned,
                          candidate_files: scan.summary.candidateFiles,
                          files_parsed: scan.summary.filesParsed, sites: scan.summary.sites,
                          parse_problems: scan.summary.parseProblems,
                          unreadable: scan.unreadable.count, complete: scan.isComplete)
    }

    /// Pretty, key-sorted JSON with a final newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension KernelTree {
    /// A diagnostic line with the tree's root removed from paths.
    public func relativeDiagnostic(_ text: String) -> String {
        text.replacingOccurrences(of: root + "/", with: "")
    }
}
