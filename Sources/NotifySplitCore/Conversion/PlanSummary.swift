/// A convertible site's plan in words, without offsets or line numbers, so
/// that two runs on texts that mean the same can be compared (the
/// metamorphic oracle of the tests and the fuzzer).
extension SiteDecision {
    /// nil for a refusal. Otherwise, e.g. `flag, 2 releases, young
    /// consumer statement, notifier mmu_notifier_invalidate_page(vma->vm_mm, addr)`.
    public var planSummary: String? {
        guard let plan else { return nil }
        var parts = [plan.guarded ? "flag" : "no flag",
                     plan.releases.count == 1 ? "1 release" : "\(plan.releases.count) releases"]
        switch plan.result {
        case .plain:
            parts.append("plain result")
        case .young(consumer: .none):
            parts.append("young result unused")
        case .young(consumer: .statement):
            parts.append("young consumer statement")
        case .young(consumer: .elseIf):
            parts.append("young consumer else-if")
        }
        if let range = plan.range {
            parts.append("range \(range.startCall) / \(range.endCall)")
        }
        parts.append("notifier \(plan.notifierCall)")
        return parts.joined(separator: ", ")
    }

    /// Where the notifier goes: the offsets just after each unlock
    /// statement of the plan (empty for a refusal).
    public var releaseOffsets: [Int] {
        plan?.releases.map(\.insertAt) ?? []
    }
}
