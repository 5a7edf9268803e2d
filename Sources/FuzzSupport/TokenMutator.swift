/// Mutations that keep C looking like C, so inputs get past the parser:
/// delete or duplicate a line, swap two statements, insert a statement the
/// analysis cares about, or put random bytes in a comment.
public enum TokenMutator {
    static let statements: [String] = [
        "\tput_page(page);", "\tfolio_put(folio);", "\tgoto out_unmap;", "\treturn 0;",
        "\tpte_unmap_unlock(pte, ptl);", "\tspin_unlock(ptl);", "\tspin_lock(ptl);",
        "\taddr += PAGE_SIZE;", "\tif (pte_none(*pte))", "\t{", "\t}", "out_unmap:",
        "\tset_pte_at(vma->vm_mm, addr, pte, mk_pte(page, vma->vm_page_prot));",
        "\tptep_clear_flush_notify(vma, addr, pte);", "\tif (ptep_clear_flush_young_notify(vma, addr, pte))",
        "\t\treferenced++;", "\twhile (page_vma_mapped_walk(&pvmw)) {", "#ifdef CONFIG_X", "#endif",
        "\tfor (addr = start; addr != end; addr += PAGE_SIZE) {", "\telse",
    ]

    public static func mutate(_ input: [UInt8], using generator: inout SplitMix) -> [UInt8] {
        var lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return Array(statements[0].utf8) }
        let i = Int(generator.next() % UInt64(lines.count))
        let j = Int(generator.next() % UInt64(lines.count))
        switch generator.next() % 5 {
        case 0: lines.remove(at: i)
        case 1: lines.insert(lines[i], at: j)
        case 2: lines.swapAt(i, j)
        case 3: lines.insert(Array(statements[Int(generator.next() % UInt64(statements.count))].utf8), at: i)
        default:
            // Random bytes, but none that would end the comment early.
            var comment = Array("/* ".utf8)
            for _ in 0..<Int(generator.next() % 12) {
                let byte = UInt8(truncatingIfNeeded: generator.next())
                comment.append(byte == UInt8(ascii: "*") || byte == UInt8(ascii: "/") ? UInt8(ascii: "x") : byte)
            }
            lines[i] += comment + Array(" */".utf8)
        }
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }
}

/// SplitMix64: small, deterministic, seedable.
public struct SplitMix {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
