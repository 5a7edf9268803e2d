/// A plausible x86-64 kernel configuration for parsing an unconfigured
/// tree: the MMU, MMU notifiers, and the memory-management options whose
/// code paths hold the call sites, plus the values the headers test.
enum SyntheticKconfig {
    /// Options set to `y` (`#define CONFIG_X 1`).
    static let enabled = [
        "MMU", "MMU_NOTIFIER", "SMP", "64BIT", "NUMA", "SWAP", "MIGRATION", "COMPACTION",
        "TRANSPARENT_HUGEPAGE", "HAVE_ARCH_TRANSPARENT_HUGEPAGE", "HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD",
        "SPARSEMEM", "SPARSEMEM_EXTREME", "SPARSEMEM_VMEMMAP", "SPARSEMEM_MANUAL",
        "ZONE_DMA", "ZONE_DMA32", "ZONE_DEVICE", "DEVICE_PRIVATE", "DEVICE_MIGRATION",
        "MEMCG", "KSM", "UPROBES", "PERF_EVENTS", "HUGETLBFS", "HUGETLB_PAGE",
        "ARCH_ENABLE_SPLIT_PMD_PTLOCK", "SPLIT_PTLOCK_CPUS_4", "PGTABLE_LEVELS_4",
        "MODULES", "BLOCK", "PRINTK", "BUG", "MULTIUSER", "FILE_LOCKING", "SYSFS", "PROC_FS",
        "HIGH_RES_TIMERS", "GENERIC_CLOCKEVENTS", "TREE_RCU", "SRCU", "TREE_SRCU", "COMPAT", "IA32_EMULATION", "CGROUPS", "SHMEM", "TMPFS",
        "QUEUED_SPINLOCKS", "QUEUED_RWLOCKS", "ARCH_USE_QUEUED_SPINLOCKS", "ARCH_USE_QUEUED_RWLOCKS",
        "ARCH_USE_CMPXCHG_LOCKREF", "GENERIC_BUG", "GENERIC_HWEIGHT", "GENERIC_CALIBRATE_DELAY",
        "X86", "X86_64", "X86_64_SMP", "X86_CMPXCHG64", "X86_CMOV", "X86_TSC", "X86_PAT",
        "X86_LOCAL_APIC", "X86_IO_APIC", "X86_MCE", "X86_64_ACPI_NUMA",
        "ARCH_HAS_PTE_SPECIAL", "ARCH_HAS_PTE_DEVMAP", "ARCH_HAS_SET_MEMORY", "ARCH_HAS_FAST_MULTIPLIER",
        "HAVE_ARCH_SOFT_DIRTY", "MEM_SOFT_DIRTY", "ARCH_SUPPORTS_MEMORY_FAILURE",
        "HAVE_ARCH_USERFAULTFD_WP", "USERFAULTFD", "ARCH_HAS_CACHE_LINE_SIZE",
        "HAVE_FAST_GUP", "ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH",
        "ARCH_SUPPORTS_ATOMIC_RMW", "ARCH_HAS_MEMBARRIER_SYNC_CORE", "HAVE_CMPXCHG_DOUBLE",
        "HAVE_ARCH_JUMP_LABEL", "JUMP_LABEL", "CPU_SUP_INTEL", "CPU_SUP_AMD",
        "FUTEX", "EPOLL", "SIGNALFD", "TIMERFD", "EVENTFD",
        "AIO", "ADVISE_SYSCALLS", "MEMBARRIER", "RSEQ", "ELF_CORE", "BASE_FULL", "SLUB", "SLUB_CPU_PARTIAL",
        "VMAP_STACK", "THREAD_INFO_IN_TASK", "HAVE_ARCH_VMAP_STACK", "ARCH_HAS_STRICT_KERNEL_RWX",
        "GENERIC_IRQ_PROBE", "IRQ_DOMAIN", "PCI", "ACPI", "NET", "INET",
    ]

    /// Options with a value.
    static let values: [(String, String)] = [
        ("NR_CPUS", "64"), ("PAGE_SHIFT", "12"), ("PAGE_SIZE_4KB", "1"), ("ARCH_MMAP_RND_COMPAT_BITS", "8"), ("NODES_SHIFT", "6"), ("PGTABLE_LEVELS", "4"), ("HZ", "250"),
        ("SPLIT_PTLOCK_CPUS", "4"), ("X86_L1_CACHE_SHIFT", "6"), ("X86_INTERNODE_CACHE_SHIFT", "6"),
        ("X86_MINIMUM_CPU_FAMILY", "64"), ("PHYSICAL_START", "0x1000000"),
        ("PHYSICAL_ALIGN", "0x200000"), ("ILLEGAL_POINTER_VALUE", "0xdead000000000000"),
        ("PAGE_OFFSET", "0xffff888000000000"), ("BASE_SMALL", "0"), ("LOG_BUF_SHIFT", "17"),
        ("LOG_CPU_MAX_BUF_SHIFT", "12"), ("ARCH_MMAP_RND_BITS", "28"), ("FORCE_MAX_ZONEORDER", "11"),
        ("ARCH_FORCE_MAX_ORDER", "10"), ("DEFAULT_MMAP_MIN_ADDR", "4096"), ("HZ_250", "1"),
        ("NR_CPUS_DEFAULT", "64"), ("RCU_FANOUT", "64"), ("RCU_FANOUT_LEAF", "16"),
        ("FRAME_WARN", "2048"), ("LOCKDEP_BITS", "15"), ("CC_VERSION_TEXT", "\"clang\""),
    ]

    /// The configuration as `CONFIG_` symbol → value: the list above, then
    /// what the architecture's Kconfig selects unconditionally for a 64-bit
    /// build (the hidden `HAVE_*`/`ARCH_*` symbols headers test), then the
    /// tree's own 64-bit defconfig.
    static func symbols(tree: KernelTree, architecture: Architecture) -> [(String, String)] {
        var order: [String] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values.updateValue(value, forKey: name) == nil { order.append(name) }
        }
        let isX86 = architecture.name == "x86"
        for option in enabled where isX86 || !option.hasPrefix("X86") { set(option, "1") }
        for (option, value) in Self.values where isX86 || !option.hasPrefix("X86") { set(option, value) }
        if let kconfig = tree.text("arch/\(architecture.name)/Kconfig") {
            let owners: Set<String> = [architecture.name.uppercased(), "X86_64", "64BIT", "MMU"]
            for symbol in unconditionalSelects(in: kconfig, owners: owners) { set(symbol, "1") }
        }
        let defconfigs = ["arch/\(architecture.name)/configs/x86_64_defconfig",
                          "arch/\(architecture.name)/configs/defconfig"]
        if let defconfig = defconfigs.lazy.compactMap({ tree.text($0) }).first {
            for (name, value) in defconfigValues(defconfig) where !excluded.contains(name) {
                set(name, value)
            }
        }
        return order.map { ($0, values[$0]!) }
    }

    /// Options a defconfig may enable that need generated files or a
    /// toolchain we do not have; parsing is better off without them.
    static let excluded: Set<String> = ["MODVERSIONS", "RUST", "GCC_PLUGINS", "DEBUG_INFO_BTF",
                                        "MODULE_SIG", "SYSTEM_TRUSTED_KEYRING", "XEN", "KASAN", "KCSAN"]

    /// `select FOO` lines of `config OWNER` entries with no `if`, or an `if`
    /// on a 64-bit symbol.
    static func unconditionalSelects(in kconfig: String, owners: Set<String>) -> [String] {
        var result: [String] = []
        var inOwner = false
        for line in kconfig.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, !first.isWhitespace {
                let words = line.split(separator: " ")
                inOwner = words.count == 2 && (words[0] == "config" || words[0] == "menuconfig")
                    && owners.contains(String(words[1]))
                continue
            }
            guard inOwner else { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "select" else { continue }
            if words.count == 2 || (words.count == 4 && words[2] == "if"
                                    && ["X86_64", "64BIT"].contains(String(words[3]))) {
                result.append(String(words[1]))
            }
        }
        return result
    }

    /// `CONFIG_FOO=y` → ("FOO", "1"); `CONFIG_N=64` → ("N", "64"); strings kept quoted.
    static func defconfigValues(_ text: String) -> [(String, String)] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("CONFIG_"), let eq = line.firstIndex(of: "=") else { return nil }
            let name = String(line[line.index(line.startIndex, offsetBy: 7)..<eq])
            let value = String(line[line.index(after: eq)...])
            switch value {
            case "y": return (name, "1")
            case "m", "n", "": return nil
            default: return (name, value)
            }
        }
    }

    static func autoconfHeader(tree: KernelTree, architecture: Architecture) -> String {
        var lines = ["/* Synthetic configuration written by notifysplit for parsing only. */"]
        for (name, value) in symbols(tree: tree, architecture: architecture) {
            lines.append("#define CONFIG_\(name) \(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
