import Foundation

/// What an architecture's own Makefile (`arch/$(ARCH)/Makefile`) adds to
/// every C compile for a configuration, as far as parsing needs it: the
/// include directories it selects (ARM's `mach-*/include` and
/// `plat-*/include` from `machine-$(CONFIG_…)`/`plat-$(CONFIG_…)`, 2.6 x86's
/// `include/asm-x86/mach-default`), its `-D` flags (`__LINUX_ARM_ARCH__`),
/// and the clang target for the configuration's word size and CPU.
struct ArchitectureFlags: Equatable {
    /// `-I DIR` (absolute, existing directories) and `-DNAME[=VALUE]`, in the Makefile's order.
    var preprocessorFlags: [String]
    /// `-target …` and the code-model flags that go with it.
    var targetFlags: [String]
    /// The ARM machine directories chosen (`mach-versatile`), for the report.
    var machineDirectories: [String]

    static func evaluate(tree: KernelTree, architecture: String, symbols: [String: String]) -> ArchitectureFlags {
        var make = MakeEvaluator(
            configuration: symbols,
            variables: ["srctree": tree.root, "objtree": ".", "ARCH": architecture, "SRCARCH": architecture,
                        "KBUILD_SRC": "", "comma": ",", "empty": "", "space": " "],
            read: { path in
                let relative = path.hasPrefix(tree.root + "/") ? String(path.dropFirst(tree.root.count + 1)) : path
                return tree.text(relative)
            })
        if let makefile = tree.text("arch/\(architecture)/Makefile") { make.evaluate(makefile) }
        var flags: [String] = []
        var machines: [String] = []
        let words = ["KBUILD_CPPFLAGS", "KBUILD_CFLAGS"]
            .flatMap { (make.value(of: $0) ?? "").split(whereSeparator: \.isWhitespace).map(String.init) }
        var i = 0
        while i < words.count {
            var word = words[i]
            if word == "-I", i + 1 < words.count { i += 1; word = "-I" + words[i] }
            if word.hasPrefix("-I") {
                let path = String(word.dropFirst(2))
                let absolute = path.hasPrefix("/") ? path : tree.absolute(path)
                let normalised = (absolute as NSString).standardizingPath
                if tree.isDirectory(tree.relative(normalised)), !flags.contains(normalised) {
                    flags += ["-I", normalised]
                    let relative = tree.relative(normalised)
                    if relative.hasPrefix("arch/\(architecture)/mach-") || relative.hasPrefix("arch/\(architecture)/plat-") {
                        machines.append(relative.split(separator: "/")[2].description)
                    }
                }
            } else if word.hasPrefix("-D"), word.count > 2, !flags.contains(word) {
                flags.append(word)
            }
            i += 1
        }
        return ArchitectureFlags(preprocessorFlags: flags,
                                 targetFlags: target(architecture: architecture, symbols: symbols, defines: flags),
                                 machineDirectories: machines)
    }

    /// The clang target for the configuration: x86-64 (or i386 for a
    /// 32-bit `.config`) with the kernel's code model; ARM at the
    /// `__LINUX_ARM_ARCH__` level the Makefile chose; the others by name.
    static func target(architecture: String, symbols: [String: String], defines: [String]) -> [String] {
        let is64 = symbols["64BIT"] == "1" || symbols["X86_64"] == "1"
        switch architecture {
        case "x86":
            return is64 ? ["-target", "x86_64-linux-gnu", "-mcmodel=kernel", "-mno-red-zone"]
                : ["-target", "i386-linux-gnu"]
        case "arm":
            let level = defines.first { $0.hasPrefix("-D__LINUX_ARM_ARCH__=") }.map { String($0.dropFirst(21)) }
            let cpu = ["7": "armv7a", "6": "armv6", "5": "armv5te", "4": "armv4t"][level ?? ""] ?? "armv7a"
            let big = symbols["CPU_BIG_ENDIAN"] == "1"
            return ["-target", (big ? cpu.replacingOccurrences(of: "arm", with: "armeb") : cpu) + "-linux-gnueabi",
                    "-mfloat-abi=soft"]
        case "arm64": return ["-target", "aarch64-linux-gnu"]
        case "powerpc": return ["-target", is64 ? "powerpc64-linux-gnu" : "powerpc-linux-gnu"]
        case "riscv": return ["-target", is64 ? "riscv64-linux-gnu" : "riscv32-linux-gnu"]
        case "s390": return ["-target", "s390x-linux-gnu"]
        case "mips": return ["-target", is64 ? "mips64-linux-gnuabi64" : "mips-linux-gnu"]
        default: return []
        }
    }
}
