import Foundation

/// What convert did, for stdout: a line per site (or JSON, documented in
/// README.md under "convert JSON").
public struct ConvertReport: Codable, Sendable {
    public struct Site: Codable, Sendable {
        public var path: String
        public var line: Int
        public var column: Int
        public var macro: String
        public var function: String?
        public var verdict: String
        public var reason: String?
        /// Every rule that fired, most fundamental first (empty unless refused).
        public var findings: [ReportFinding]
        /// The number of the patch converting it, if any.
        public var patch: Int?

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encode(macro, forKey: .macro)
            try c.encode(function, forKey: .function)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(reason, forKey: .reason)
            try c.encode(findings, forKey: .findings)
            try c.encode(patch, forKey: .patch)
        }
    }

    public var schema = 1
    /// notifysplit's own version.
    public var tool_version = ToolVersion.current
    public var sites: [Site]
    public var patches: [String]
    public var deleted: [String]
    public var validation_failures: [String]

    public init(conversion: Conversion, series: Series) {
        let rendered = series.patches
        sites = conversion.decisions.map { decision in
            let site = decision.site
            let patch = rendered.first { $0.sites.contains(site) }?.number
            return Site(path: site.path, line: site.line, column: site.column, macro: site.macro,
                        function: site.function, verdict: decision.verdict.rawValue,
                        reason: decision.verdict == .refused ? decision.reason : nil,
                        findings: decision.findings.map(ReportFinding.init), patch: patch)
        }
        patches = series.rendered().map(\.name)
        deleted = series.deletedMacros
        validation_failures = conversion.validationFailures.map { "\($0.path): \($0.message)" }
    }

    public func text() -> String {
        var lines = sites.map { site in
            var line = "\(site.path):\(site.line):\(site.column): \(site.macro) in \(site.function ?? "<no function>"): "
                + site.verdict
            if let patch = site.patch { line += " (patch \(patch))" }
            if let reason = site.reason { line += ": \(reason)" }
            return line
        }
        for name in deleted { lines.append("\(KernelTree.notifierHeader): \(name) deleted by the last patch") }
        let converted = sites.filter { $0.verdict != "refused" }.count
        lines.append("\(sites.count) sites: \(converted) converted, \(sites.count - converted) refused; "
                     + "\(patches.count - 1) patch(es)")
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }
}

/// A finding as reports carry it: the rule's stable id, the line, the sentence.
public struct ReportFinding: Codable, Sendable, Equatable {
    public var rule: String
    public var line: Int
    public var message: String

    init(_ finding: Finding) {
        rule = finding.rule.rawValue
        line = finding.line
        message = finding.message
    }
}
