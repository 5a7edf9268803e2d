/// The cover letter: what the series does and why, what the analysis saw
/// (tree, configuration), which uses were converted and how, which were
/// refused and why, how the result was validated; then git's shortlog and
/// diffstat. (`base-commit:` is added when the series is rendered.)
struct CoverLetter {
    let conversion: Conversion
    let patches: [MailPatch]
    let deleted: [String]
    let author: AuthorIdentity
    let deleteOnly: Bool
    /// The audit of the converted functions, when convert ran it.
    var stillAtomic: StillAtomic? = nil

    func text() -> String {
        let decisions = conversion.decisions
        let converted = decisions.filter { $0.verdict != .refused }
        let refused = decisions.filter { $0.verdict == .refused }
        let removal = deleted.isEmpty ? "" : " The last patch removes \(PatchMessage.list(deleted.map { "\($0)()" })), "
            + "which nothing in the tree uses any more."
        var paragraphs: [String] = []
        if deleteOnly {
            paragraphs.append(deleted.isEmpty
                ? "No notify macro of include/linux/mmu_notifier.h is unused in this tree; there is nothing to remove."
                : "No use of \(PatchMessage.list(deleted.map { "\($0)()" })) is left in the tree, and no wrapper "
                    + "macro names \(deleted.count == 1 ? "it" : "them"). The patch removes the definitions from "
                    + "include/linux/mmu_notifier.h.")
        } else {
            let what = converted.isEmpty
                ? "No use in this tree could be split; the reasons are below." + removal
                : "This series splits the uses it could analyse, one function per patch: the plain operation "
                    + "stays under the lock, and the notifier call moves after the unlock." + removal
            paragraphs.append("The *_notify macros of include/linux/mmu_notifier.h do a page-table operation and "
                + "then call the secondary-MMU notifier, while the caller still holds the page-table lock. "
                + what)
            paragraphs.append("Moving these calls out of the page-table lock is a step towards notifiers that may "
                + "sleep; the series does not by itself change which notifiers may sleep.")
        }
        var analysed = "notifysplit \(ToolVersion.current) analysed Linux \(conversion.scan.tree.version). "
            + "Configuration: \(conversion.scan.configuration)."
        if !deleteOnly {
            let count = decisions.count
            analysed += refused.isEmpty ? (count == 1 ? " The one use is converted." : " All \(count) uses are converted.")
                : converted.isEmpty ? (count == 1 ? " The one use is refused." : " All \(count) uses are refused.")
                : " Of \(count) uses, \(converted.count) \(converted.count == 1 ? "is" : "are") converted and "
                    + "\(refused.count) refused."
        }
        paragraphs.append(analysed)
        var out = paragraphs.map { MailPatch.wrap($0) }.joined(separator: "\n\n") + "\n\n"

        if !deleteOnly && !converted.isEmpty {
            out += "Converted:\n\n"
            let rows = converted.map { d in
                (d.site.path, (d.site.function ?? "-") + "()", how(d))
            }
            let w0 = rows.map(\.0.count).max() ?? 0
            let w1 = rows.map(\.1.count).max() ?? 0
            for row in rows {
                out += "  " + pad(row.0, w0) + "  " + pad(row.1, w1) + "  " + row.2 + "\n"
            }
            out += "\n"
        }
        if !deleteOnly && !refused.isEmpty {
            out += "Refused, with the reason (line numbers are the analysed tree's):\n\n"
            for d in refused {
                let text = "\(d.site.path), \(d.site.function.map { "\($0)()" } ?? "outside a function"): \(d.reason)"
                out += MailPatch.wrap(text, width: 70).split(separator: "\n", omittingEmptySubsequences: false)
                    .enumerated().map { ($0.offset == 0 ? "- " : "  ") + $0.element }.joined(separator: "\n") + "\n"
            }
            out += "\n"
        }
        if !deleteOnly, let stillAtomic { out += audited(stillAtomic) }
        let changed = conversion.files.filter { !$0.functions.isEmpty }
        if !deleteOnly && !changed.isEmpty {
            let before = changed.reduce(0) { $0 + $1.errorsBefore }
            let after = changed.reduce(0) { $0 + $1.errorsAfter }
            out += MailPatch.wrap("Validation: each converted file was parsed again after the conversion, with "
                                  + "the same compiler arguments: \(before) error(s) before, \(after) after, and no use of a "
                                  + "converted macro is left in a converted function.") + "\n\n"
        }
        let crlf = conversion.files.filter { !$0.functions.isEmpty && $0.original.contains(.carriageReturn) }
        if !deleteOnly && !crlf.isEmpty {
            out += MailPatch.wrap("Note: " + crlf.map(\.path).joined(separator: ", ") + " has CRLF line ends, kept "
                                  + "in the added lines; apply with 'git am --keep-cr' (or 'patch -p1 --binary').")
                + "\n\n"
        }
        if !patches.isEmpty {
            out += shortlog() + "\n" + MailPatch.diffstat(mergedDiffs())
        }
        return out
    }

    /// The converted functions whose notifier call is still atomic after
    /// the series, each with the locks that keep it so; those the audit
    /// could not follow to the top are named too.
    private func audited(_ stillAtomic: StillAtomic) -> String {
        var out = ""
        let atomic = stillAtomic.atomic.filter { !$0.locks.isEmpty }
        if !atomic.isEmpty {
            out += MailPatch.wrap("Still in atomic context after this series (notifysplit audit, callers "
                                  + "followed \(stillAtomic.depth) deep): the notifier call of each function below "
                                  + "runs with these locks held, each on the paths through the function that "
                                  + "takes it.") + "\n\n"
            for function in atomic {
                let text = "\(function.path), \(function.function)(): "
                    + PatchMessage.list(function.locks.map(StillAtomic.describe))
                out += MailPatch.wrap(text, width: 70).split(separator: "\n", omittingEmptySubsequences: false)
                    .enumerated().map { ($0.offset == 0 ? "- " : "  ") + $0.element }.joined(separator: "\n") + "\n"
            }
            out += "\n"
        }
        let unknown = stillAtomic.functions.filter { $0.sleepable == .unknown }
        if !unknown.isEmpty {
            out += MailPatch.wrap("notifysplit audit could not follow every caller of "
                                  + PatchMessage.list(unknown.map { "\($0.function)()" })
                                  + " within \(stillAtomic.depth) callers; whether "
                                  + (unknown.count == 1 ? "its notifier call is" : "their notifier calls are")
                                  + " still atomic is not known.") + "\n\n"
        }
        return out
    }

    /// How a converted use was converted, in a few words.
    private func how(_ decision: SiteDecision) -> String {
        switch decision.verdict {
        case .unguarded: return "after the unlock"
        case .guarded: return "after the unlock (flag)"
        case .range: return "range around the loop"
        case .refused: return "refused"
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
    }

    /// `Name (N):` and the subjects, wrapped at 72 columns as git's
    /// shortlog in a cover letter is (two spaces, then four).
    private func shortlog() -> String {
        var out = "\(author.name) (\(patches.count)):\n"
        for patch in patches {
            var line = " "
            for word in patch.subject.split(separator: " ") {
                if line.count > 4, line.count + 1 + word.count > 72 {
                    out += line + "\n"
                    line = "   "
                }
                line += " " + word
            }
            out += line + "\n"
        }
        return out
    }

    /// One diffstat line per file over the whole series.
    private func mergedDiffs() -> [FileDiff] {
        var byPath: [String: FileDiff] = [:]
        var order: [String] = []
        for diff in patches.flatMap(\.diffs) {
            if var existing = byPath[diff.path] {
                existing.insertions += diff.insertions
                existing.deletions += diff.deletions
                byPath[diff.path] = existing
            } else {
                byPath[diff.path] = diff
                order.append(diff.path)
            }
        }
        return order.sorted().compactMap { byPath[$0] }
    }
}
