/// The compiler-style text form of a scan: one line per site, notes for
/// comment mentions, problems, and a summary.
extension ScanReport {
    public func text() -> String {
        var lines: [String] = []
        for site in sites {
            var line = "\(site.path):\(site.line):\(site.column): \(site.macro)"
            if let via = site.via { line += " (through \(via))" }
            line += " in \(site.function ?? "<no function>")"
            if site.status != "parsed" { line += " [\(site.status)]" }
            if let reason = site.reason { line += ": \(reason)" }
            lines.append(line)
            lines += site.diagnostics.map { "    \($0)" }
        }
        for note in notes {
            lines.append("\(note.path):\(note.line):\(note.column): note: \(note.macro) mentioned in a comment")
        }
        for macro in macros where macro.state != "notifier" {
            let what = macro.state == "missing" ? "is not defined"
                : "has only its stub definition left (no notifier form)"
            lines.append("\(KernelTree.notifierHeader): note: \(macro.name) \(what)")
        }
        for problem in problems {
            lines.append("\(problem.path): problem: \(problem.reason)")
            lines += problem.diagnostics.map { "    \($0)" }
        }
        lines.append("configuration: \(tree.configuration)")
        for file in files where file.errors > 0 || !file.rejected.isEmpty {
            var line = "\(file.path): \(file.errors) error(s), parsed with \(file.configuration ?? "the given arguments")"
            if !file.rejected.isEmpty { line += " (tried first: \(file.rejected.joined(separator: "; ")))" }
            lines.append(line)
        }
        lines.append("\(summary.files_scanned) files scanned, \(summary.candidate_files) candidate files, "
                     + "\(summary.files_parsed) parsed, \(summary.sites) sites, "
                     + "\(summary.parse_problems) parse problems"
                     + (summary.unreadable > 0 ? ", \(summary.unreadable) unreadable" : "")
                     + (summary.complete ? "" : " (incomplete)"))
        return lines.joined(separator: "\n") + "\n"
    }
}
