import Clang
import Foundation

/// Writes the headers kbuild generates before compiling anything into
/// `objtree`: `autoconf.h` from the configuration's symbols, `bounds.h`
/// computed from the tree's own `kernel/bounds.c`, version headers,
/// asm-generic wrappers and syscall numbers from the tree's Kbuild files and
/// tables, ARM's `mach-types.h`, and the 2.6-era `include/asm` directory —
/// each where that tree's era expects it.
public struct KbuildStubs {
    /// Writes the stand-ins for the synthetic configuration into `objtree`
    /// (for tools run outside notifysplit).
    public static func write(tree: KernelTree, architecture: Architecture,
                             objtree: String) throws(NotifySplitError) {
        do {
            let symbols = SyntheticKconfig.symbols(tree: tree, architecture: architecture)
            let stubs = KbuildStubs(tree: tree, architecture: architecture, objtree: objtree,
                                    symbols: symbols, autoconf: SyntheticKconfig.autoconfHeader(symbols))
            try stubs.write()
            let values = Dictionary(symbols, uniquingKeysWith: { $1 })
            let flags = KbuildFlags.languageFlags(tree: tree, architecture: architecture, symbols: values)
                + KbuildFlags(tree: tree, architecture: architecture, objtree: objtree,
                              builtinIncludes: BuiltinHeaders.directory, symbols: values).preprocessorFlags
            _ = try stubs.writeComputedConstants(flags: flags)
        } catch {
            throw .io("cannot write configuration stubs to \(objtree): \(error)")
        }
    }

    let tree: KernelTree
    let architecture: Architecture
    let objtree: String
    /// The configuration's `CONFIG_` symbols (without the prefix) and values.
    let symbols: [(String, String)]
    /// The `autoconf.h` text for them.
    let autoconf: String

    func write() throws {
        let config = autoconf
        let bounds = KbuildConstants.header(guardName: "__LINUX_BOUNDS_H__", constants: Self.defaultBounds)
        let version = tree.version
        let code = version.version << 16 + version.patchLevel << 8 + min(version.subLevel, 255)
        let versionHeader = """
            #define LINUX_VERSION_CODE \(code)
            #define KERNEL_VERSION(a,b,c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
            #define LINUX_VERSION_MAJOR \(version.version)
            #define LINUX_VERSION_PATCHLEVEL \(version.patchLevel)
            #define LINUX_VERSION_SUBLEVEL \(version.subLevel)

            """
        let release = "#define UTS_RELEASE \"\(version)\"\n"
        let machine = "#define UTS_MACHINE \"\(Self.utsMachine(architecture.name, symbols: symbols))\"\n"
        // 6.x locations.
        try put("include/generated/autoconf.h", config)
        try put("include/generated/bounds.h", bounds)
        try put("include/generated/utsrelease.h", release)
        try put("include/generated/compile.h", machine)
        try put("include/generated/timeconst.h", Self.timeconst)
        try put("include/generated/asm-offsets.h", "")
        try put("include/generated/autoksyms.h", "")
        try put("include/generated/uapi/linux/version.h", versionHeader)
        // 2.6-era locations (include/linux/autoconf.h is forced with -include).
        try put("include/linux/autoconf.h", config)
        try put("include/linux/bounds.h", bounds)
        try put("include/linux/version.h", versionHeader)
        try put("include/linux/utsrelease.h", release)
        try put("include/linux/compile.h", machine)
        try makeLegacyAsmDirectory()
        try put("include/asm/asm-offsets.h", "")
        let arch = architecture.name
        try writeAsmGenericWrappers(kbuild: "arch/\(arch)/include/asm/Kbuild",
                                    mandatory: ["include/asm-generic/Kbuild"],
                                    archDirectory: "arch/\(arch)/include/asm",
                                    into: "arch/\(arch)/include/generated/asm")
        try writeAsmGenericWrappers(kbuild: "arch/\(arch)/include/uapi/asm/Kbuild",
                                    mandatory: ["include/uapi/asm-generic/Kbuild"],
                                    archDirectory: "arch/\(arch)/include/uapi/asm",
                                    into: "arch/\(arch)/include/generated/uapi/asm")
        try writeSyscallNumbers()
        if let machineTypes = MachineTypesHeader.generate(tree: tree, architecture: arch) {
            try put(machineTypes.path, machineTypes.contents)
        }
    }

    /// `uname -m` of the configuration, for `UTS_MACHINE`.
    static func utsMachine(_ architecture: String, symbols: [(String, String)]) -> String {
        let is64 = symbols.contains { ($0.0 == "64BIT" || $0.0 == "X86_64") && $0.1 == "1" }
        switch architecture {
        case "x86": return is64 ? "x86_64" : "i386"
        case "arm64": return "aarch64"
        default: return architecture
        }
    }

    /// Stand-ins for `bounds.h` until `writeComputedConstants` has read the
    /// tree's `kernel/bounds.c` (whose own parse does not read bounds.h), and
    /// for the trees that have none.
    static let defaultBounds: [KbuildConstants.Constant] = [
        ("NR_PAGEFLAGS", 24), ("MAX_NR_ZONES", 5), ("NR_CPUS_BITS", 6), ("SPINLOCK_SIZE", 4),
        ("LRU_GEN_WIDTH", 3), ("__LRU_REFS_WIDTH", 2), ("LRU_REFS_WIDTH", 2),
    ].map { KbuildConstants.Constant(name: $0.0, value: $0.1, expression: "") }

    /// Replaces the stand-in `bounds.h` by the values `kernel/bounds.c`
    /// computes when parsed with `flags` (the configuration's own), as
    /// kbuild's `prepare` does, then the empty `asm-offsets.h` by what the
    /// architecture's `kernel/asm-offsets.c` computes (the constants whose
    /// expressions parse; a header that needs one it could not compute
    /// shows the error). Returns the errors met in `bounds.c`, if any.
    /// With a `cache`, each file's constants come from an earlier run
    /// while every file its parse read is unchanged.
    func writeComputedConstants(flags: [String], cache: ConfigurationCache? = nil) throws -> [String] {
        guard let computed = KbuildConstants.evaluate("kernel/bounds.c", tree: tree,
                                                      arguments: flags, cache: cache, objtree: objtree)
        else { return [] }
        let names = Set(computed.constants.map(\.name))
        let expected = KbuildConstants.definedExpressions(in: tree.text("kernel/bounds.c") ?? "")
        // A constant the file names but whose expression failed keeps its stand-in.
        let missing = Self.defaultBounds.filter { !names.contains($0.name) && expected[$0.name] != nil }
        let header = KbuildConstants.header(guardName: "__LINUX_BOUNDS_H__",
                                            constants: computed.constants + missing)
        try put("include/generated/bounds.h", header)
        try put("include/linux/bounds.h", header)
        // asm-offsets.h the same way, once bounds.h is right (its headers read it).
        if let offsets = KbuildConstants.evaluate("arch/\(architecture.name)/kernel/asm-offsets.c", tree: tree,
                                                  arguments: flags, cache: cache, objtree: objtree),
           !offsets.constants.isEmpty {
            let header = KbuildConstants.header(guardName: "__ASM_OFFSETS_H__", constants: offsets.constants)
            try put("include/generated/asm-offsets.h", header)
            try put("include/asm/asm-offsets.h", header)
        }
        return computed.errors
    }

    private func put(_ relative: String, _ contents: String) throws {
        let path = objtree + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Never write through a link into the tree (include/asm's entries).
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
            try FileManager.default.removeItem(atPath: path)
        }
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// 2.6-era trees reach `<asm/…>` through an `include/asm` symlink to
    /// `include/asm-$(ARCH)` that `make` creates (its top Makefile has the
    /// `include/asm:` rule, or the architecture's headers are only under
    /// `include/asm-$(ARCH)`), and kbuild writes generated headers
    /// (`mach-types.h`, `asm-offsets.h`) into that directory. Here
    /// `include/asm` is a directory of the stub tree holding a link to
    /// each entry of the tree's `include/asm-$(ARCH)`, so the generated
    /// headers go beside them without writing into the tree.
    private func makeLegacyAsmDirectory() throws {
        let makefile = tree.text("Makefile") ?? ""
        let legacy = "include/asm-\(architecture.name)"
        let rule = makefile.split(separator: "\n").contains { $0.hasPrefix("include/asm:") }
        guard rule || (tree.isDirectory(legacy) && !tree.isDirectory("arch/\(architecture.name)/include/asm"))
        else { return }
        let directory = objtree + "/include/asm"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard tree.isDirectory(legacy) else { return }
        for entry in try FileManager.default.contentsOfDirectory(atPath: tree.absolute(legacy)) {
            try FileManager.default.createSymbolicLink(atPath: directory + "/" + entry,
                                                       withDestinationPath: tree.absolute(legacy + "/" + entry))
        }
    }

    /// kbuild's scripts/Makefile.asm-generic: for each `generic-y` or
    /// `mandatory-y` header the architecture does not provide, a one-line
    /// wrapper including the asm-generic version. `generated-y` headers
    /// (syscall tables) get an empty stand-in unless written elsewhere. A
    /// Kbuild file's `include` lines (5.0's `Kbuild.asm`) are followed.
    private func writeAsmGenericWrappers(kbuild: String, mandatory: [String], archDirectory: String,
                                         into output: String) throws {
        let lists = AsmGenericLists.read(tree: tree, files: [kbuild] + mandatory)
        let wanted = lists.generic.union(lists.mandatory)
        let generated = lists.generated
        for header in wanted where !tree.exists(archDirectory + "/" + header) {
            try put(output + "/" + header, "#include <asm-generic/\(header)>\n")
        }
        for header in generated {
            try put(output + "/" + header, "")
        }
    }

    /// `<asm/unistd_64.h>` and friends from the tree's syscall tables.
    private func writeSyscallNumbers() throws {
        for header in SyscallHeaders.headers(tree: tree, architecture: architecture.name) {
            try put(header.path, header.contents)
        }
    }

    /// `include/generated/timeconst.h` for HZ=250.
    static let timeconst = """
        #define HZ_TO_MSEC_NUM 4
        #define HZ_TO_MSEC_DEN 1
        #define MSEC_TO_HZ_NUM 1
        #define MSEC_TO_HZ_DEN 4
        #define HZ_TO_USEC_NUM 4000
        #define HZ_TO_USEC_DEN 1
        #define USEC_TO_HZ_NUM 1
        #define USEC_TO_HZ_DEN 4000
        #define HZ_TO_MSEC_MUL32 0x80000000
        #define HZ_TO_MSEC_SHR32 29
        #define MSEC_TO_HZ_MUL32 0x80000000
        #define MSEC_TO_HZ_SHR32 33
        #define USEC_TO_HZ_MUL32 0x83126e98
        #define USEC_TO_HZ_SHR32 43
        #define HZ_TO_USEC_MUL32 0xfa000000
        #define HZ_TO_USEC_SHR32 22

        """
}
