import Clang

/// What a value written into a pte maps: the entry the op cleared (or its
/// bits changed), an entry that is not present (swap, migration, hwpoison,
/// file offset), a page built anew, or something the tool cannot tell.
///
/// Only a present mapping of a page other than the one cleared is a
/// re-point (Documentation/mm/mmu_notifier.rst, case B): the secondary TLB
/// must then be invalidated before the lock lets anyone see the new page.
/// Decided by the value's provenance through the kernel's pte primitives,
/// never by which names the text contains.
enum PteProvenance: Equatable {
    case cleared
    case notPresent
    case page(String)
    case unknown(String)

    /// Primitives that change a pte's bits but keep the page it maps.
    static let sameMapping: Set<String> = [
        "pte_mkold", "pte_mkyoung", "pte_mkclean", "pte_mkdirty", "pte_wrprotect", "pte_mkwrite",
        "pte_mkwrite_novma", "pte_modify", "pte_mkspecial", "pte_mksoft_dirty", "pte_clear_soft_dirty",
        "pte_mkuffd_wp", "pte_clear_uffd_wp", "pte_mknuma", "pte_mknonnuma", "pte_mkhuge", "pte_mkdevmap",
        "pte_mkexec", "pte_exprotect", "pte_mkexclusive", "maybe_mkwrite", "pte_mkinvalid", "__pte_mkold",
        "pmd_mkold", "pmd_mkclean", "pmd_mkdirty", "pmd_wrprotect", "pmd_mkwrite", "pmd_modify",
        "pmd_mknotpresent", "pmd_mkinvalid", "huge_pte_wrprotect", "huge_pte_mkdirty", "huge_pte_modify",
    ]

    /// Primitives that build an entry no MMU can map: swap-type entries
    /// (swap, migration, hwpoison, device-private, markers) and file offsets.
    static let notPresentEntries: Set<String> = [
        "swp_entry_to_pte", "pgoff_to_pte", "pte_swp_mksoft_dirty", "pte_swp_mkuffd_wp", "pte_swp_mkexclusive",
        "pte_swp_clear_soft_dirty", "pte_swp_clear_uffd_wp", "make_pte_marker", "swp_entry_to_pmd",
        "pmd_swp_mksoft_dirty", "pmd_swp_mkuffd_wp", "__pte_swp_mknuma",
    ]

    /// Primitives that make a present pte of a page: `mk_pte(page, prot)`.
    static let pageMappings: Set<String> = [
        "mk_pte", "pfn_pte", "mk_huge_pte", "folio_mk_pte", "mk_pmd", "pfn_pmd", "mk_huge_pmd", "folio_mk_pmd",
        "arch_make_huge_pte",
    ]

    /// Primitives (and the notify macros around them) that return the entry
    /// a pte held as they clear it: writing that value back restores the
    /// same mapping.
    static let clearedEntries: Set<String> = [
        "ptep_clear_flush", "ptep_get_and_clear", "ptep_get_and_clear_full", "ptep_clear_flush_notify",
        "huge_ptep_clear_flush", "huge_ptep_get_and_clear", "pmdp_huge_clear_flush", "pmdp_clear_flush",
        "pmdp_huge_clear_flush_notify", "pmdp_huge_get_and_clear",
    ]

    /// Primitives that name the page a pte maps (`pte_page(pteval)`).
    static let pageOfEntry: Set<String> = ["pte_page", "pte_pfn", "pmd_page", "pmd_pfn", "vm_normal_page"]

    var isRepoint: Bool {
        switch self {
        case .cleared, .notPresent: return false
        case .page, .unknown: return true
        }
    }
}

extension SiteAnalyzer {
    /// The provenance of a value written into the pte at `offset`, given
    /// the variable holding the op's result (if the call keeps it).
    func provenance(of value: String, cleared: Cursor?, at offset: Int) -> PteProvenance {
        provenance(of: value, cleared: cleared, at: offset, visiting: []) ?? .unknown(value)
    }

    /// nil when the value only comes back to a variable being resolved.
    private func provenance(of value: String, cleared: Cursor?, at offset: Int,
                            visiting: Set<String>) -> PteProvenance? {
        let tokens = CExpression.tokens(value)
        let stripped = Self.strippingParentheses(tokens)
        guard let first = stripped.first else { return .unknown(value) }
        if stripped.count == 1 {
            // A variable: every value it is ever given.
            guard let local = function.local(named: first, at: offset) else { return .unknown(value) }
            if let cleared, local.declaration == cleared { return .cleared }
            guard !visiting.contains(first) else { return nil }   // a cycle adds nothing new
            var result: PteProvenance?
            for source in function.assignedValues(of: local) {
                switch provenance(of: source, cleared: cleared, at: offset, visiting: visiting.union([first])) {
                case nil: continue
                case .cleared?: result = .cleared
                case .notPresent?: if result == nil { result = .notPresent }
                case let other?: return other
                }
            }
            return result ?? (visiting.isEmpty ? .unknown(value) : nil)
        }
        guard stripped.count >= 3, stripped[1] == "(", stripped.last == ")" else { return .unknown(value) }
        let arguments = CExpression.split(Array(stripped[2..<(stripped.count - 1)]), on: ",")
            .map(CExpression.render)
        if PteProvenance.notPresentEntries.contains(first) { return .notPresent }
        if PteProvenance.clearedEntries.contains(first) { return .cleared }
        if PteProvenance.sameMapping.contains(first), let inner = arguments.first {
            return provenance(of: inner, cleared: cleared, at: offset, visiting: visiting)
        }
        if PteProvenance.pageMappings.contains(first), let page = arguments.first {
            // The page of the cleared entry mapped again is the same mapping.
            let pageTokens = Self.strippingParentheses(CExpression.tokens(page))
            if let name = pageTokens.first, PteProvenance.pageOfEntry.contains(name), pageTokens.count >= 3,
               let entry = CExpression.split(Array(pageTokens[2..<(pageTokens.count - 1)]), on: ",").last,
               provenance(of: CExpression.render(entry), cleared: cleared, at: offset, visiting: visiting)
                == .cleared {
                return .cleared
            }
            return .page(page)
        }
        return .unknown(value)
    }

    private static func strippingParentheses(_ tokens: [String]) -> [String] {
        var tokens = tokens
        while tokens.first == "(", tokens.last == ")", CExpression.split(Array(tokens.dropFirst().dropLast()), on: ",").count == 1,
              Self.balanced(Array(tokens.dropFirst().dropLast())) {
            tokens = Array(tokens.dropFirst().dropLast())
        }
        return tokens
    }

    private static func balanced(_ tokens: [String]) -> Bool {
        var depth = 0
        for token in tokens {
            if token == "(" { depth += 1 }
            if token == ")" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }
}
