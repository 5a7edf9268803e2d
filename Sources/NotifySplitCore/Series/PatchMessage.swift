import Foundation

/// The subject and commit message of one patch, in kernel style: `area:`
/// from the file's path, the function named, the unlock call named, and
/// only what the tool established. No line numbers (they go stale on the
/// first rebase), no claim about what notifiers may now do, no reference to
/// a historical patch.
struct PatchMessage {
    let conversion: Conversion
    /// The audit of the converted functions, when convert ran it.
    var stillAtomic: StillAtomic? = nil

    /// `mm/rmap: notify secondary MMUs after the PTL unlock in f()`.
    func subject(path: String, function: String?, decisions: [SiteDecision]) -> String {
        let area = SubjectArea.of(path, tree: conversion.scan.tree)
        let place = function.map { " in \($0)()" } ?? ""
        if !decisions.isEmpty, decisions.allSatisfy({ $0.verdict == .range }) {
            return "\(area): bracket the PTL loop with range notifiers\(place)"
        }
        return "\(area): notify secondary MMUs after the PTL unlock\(place)"
    }

    /// The message of a patch converting `decisions` (one function, or one
    /// file's functions with `--split file`).
    func body(decisions: [SiteDecision], original: [UInt8]) -> String {
        var paragraphs: [String] = []
        for decision in decisions {
            guard let plan = decision.plan, let plainOp = plan.macro.plainOp,
                  let notifier = plan.macro.notifier?.function else { continue }
            let site = decision.site
            let function = site.function.map { "\($0)()" } ?? "this function"
            let unlocks = plan.releases.map { UnlockCall.text(in: original, endingAt: $0.insertAt) ?? "the unlock" }
            let distinct = unlocks.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let unlockText = Self.list(distinct)

            if decision.verdict == .range, let range = plan.range {
                paragraphs.append("\(site.macro)() in \(function) calls \(notifier)() for each pte of a loop, "
                    + "with the page-table lock held. Call \(plainOp)() in the loop instead, and cover the "
                    + "whole range once: \(range.startCall) before the lock is taken, and \(range.endCall) "
                    + "after \(unlockText) releases it.")
                paragraphs.append("Every path from taking the lock reaches that unlock, so the range is "
                    + "always closed.")
                continue
            }
            paragraphs.append("\(site.macro)() calls \(notifier)() while the caller still holds the "
                + "page-table lock. In \(function), call \(plainOp)() under the lock as before, and "
                + "\(notifier)() after \(unlockText) releases it.")
            if decision.verdict == .guarded {
                if plan.releases.count > 1 {
                    paragraphs.append("\(plainOp)() reaches more than one unlock, so the notifier call follows "
                        + "each of them, guarded by a new flag set next to \(plainOp)().")
                } else {
                    paragraphs.append("\(unlockText) is also reached on paths that do not run \(plainOp)(), "
                        + "so the notifier call is guarded by a new flag, set next to \(plainOp)().")
                }
            }
            if case .young(let consumer) = plan.result {
                if case .none = consumer {
                    paragraphs.append("The young result was not used. \(notifier)() is still called after the "
                        + "unlock, to test and clear the secondary MMUs' young bit.")
                } else {
                    paragraphs.append("\(site.macro)() returns the pte's young bit ORed with what \(notifier)() "
                        + "reports for the secondary MMUs. The plain result is now kept in a local under the "
                        + "lock; after the unlock the notifier's result is ORed into it, and the statement that "
                        + "read the macro's value runs there, on that combined value.")
                }
            }
            paragraphs.append("Between \(plainOp)() and the unlock, notifysplit found nothing that drops a page "
                + "reference or maps another page at this pte.")
        }
        if let atomic = stillAtomicParagraph(decisions) { paragraphs.append(atomic) }
        return paragraphs.map { MailPatch.wrap($0) }.joined(separator: "\n\n") + "\n"
    }

    /// A converted function whose notifier call the audit still finds in
    /// atomic context: which lock keeps it there, and where it is taken.
    private func stillAtomicParagraph(_ decisions: [SiteDecision]) -> String? {
        guard let stillAtomic else { return nil }
        var seen = Set<String>()
        var sentences: [String] = []
        for decision in decisions where decision.plan != nil {
            let site = decision.site
            guard seen.insert("\(site.path):\(site.function ?? "")").inserted,
                  let answer = stillAtomic.function(path: site.path, name: site.function), answer.sleepable == .no,
                  !answer.locks.isEmpty else { continue }
            let locks = answer.locks.map(StillAtomic.describe)
            sentences.append("After this change the notifier call in \(answer.function)() still runs in atomic "
                + "context: \(Self.list(locks)) "
                + (locks.count == 1 ? "is held there" : "are held there, each on the paths through the function "
                    + "that takes it") + " (notifysplit audit, "
                + "callers followed \(stillAtomic.depth) deep).")
        }
        return sentences.isEmpty ? nil : sentences.joined(separator: " ")
    }

    /// `mm/mmu_notifier: remove f() and g()`.
    func deletionSubject(_ names: [String]) -> String {
        "\(SubjectArea.of(KernelTree.notifierHeader, tree: conversion.scan.tree)): remove "
            + Self.list(names.map { "\($0)()" })
    }

    func deletionBody(_ names: [String], afterSeries: Bool, edits: HeaderDeletion.Result) -> String {
        let listed = Self.list(names.map { "\($0)()" })
        let plural = names.count > 1
        var text = (afterSeries ? "After the previous patches, nothing" : "Nothing") + " in the tree uses "
            + listed.replacingOccurrences(of: " and ", with: " or ") + ", and no wrapper macro names "
            + (plural ? "them" : "it") + ". Remove " + definitionForms(names, plural: plural)
        text += edits.tidied.isEmpty ? "." : ", and " + Self.list(edits.tidied) + "."
        return MailPatch.wrap(text) + "\n"
    }

    /// "the definitions under CONFIG_MMU_NOTIFIER and the stubs under
    /// !CONFIG_MMU_NOTIFIER".
    private func definitionForms(_ names: [String], plural: Bool) -> String {
        var forms: [String] = []
        for name in names {
            for definition in conversion.scan.model[name]?.definitions ?? [] {
                let what = definition.form == .stub ? (plural ? "stubs" : "stub") : (plural ? "definitions" : "definition")
                let text = "the \(what)" + (definition.conditions.last.map { " under \($0)" } ?? "")
                if !forms.contains(text) { forms.append(text) }
            }
        }
        return Self.list(forms)
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}
