/// What a kernel build leaves in a source tree, which the tool never reads
/// as source: `include/config/` (kconfig's per-option dependency files),
/// the generated headers of every era (`include/generated/`,
/// `arch/*/include/generated/`, 2.6's `include/linux/autoconf.h` and
/// friends), `.tmp_versions/`, `usr/include/` (installed uapi headers)
/// and the `*.mod.c` files modpost writes. Object and `.cmd` files are not
/// source files anyway. The generated headers a configuration needs are
/// written afresh for it (`KbuildStubs`), and its output directory comes
/// first in the include path, so a tree's leftovers from another
/// configuration are never mixed in.
enum BuildArtifacts {
    /// Whether a tree-relative directory holds only build output.
    static func isArtifactDirectory(_ relative: String) -> Bool {
        if ["include/config", "include/generated", ".tmp_versions", "usr/include"].contains(relative) { return true }
        // Asked of every directory of the tree: the cheap byte tests first.
        guard relative.utf8HasPrefix("arch/"), relative.utf8HasSuffix("/include/generated") else { return false }
        let parts = relative.split(separator: "/")
        return parts.count == 4 && parts[0] == "arch" && parts[2] == "include" && parts[3] == "generated"
    }

    /// Whether a tree-relative file is build output.
    static func isArtifactFile(_ relative: String) -> Bool {
        if relative.utf8HasSuffix(".mod.c") { return true }
        // Asked of every file of the tree: the cheap byte test first.
        guard relative.utf8HasPrefix("include/") else { return false }
        let generated = ["include/linux/autoconf.h", "include/linux/bounds.h", "include/linux/version.h",
                         "include/linux/utsrelease.h", "include/linux/compile.h"]
        if generated.contains(relative) { return true }
        guard relative.utf8HasPrefix("include/asm-") else { return false }
        let parts = relative.split(separator: "/")
        // 2.6's include/asm-$(ARCH)/ got them; asm-generic's are source.
        return parts.count == 3 && parts[0] == "include" && parts[1].hasPrefix("asm-") && parts[1] != "asm-generic"
            && (parts[2] == "asm-offsets.h" || parts[2] == "mach-types.h")
    }
}
