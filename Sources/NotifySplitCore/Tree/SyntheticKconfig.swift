import Foundation

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
        ("LOG_CPU_MAX_BUF_SHIFT", "12"), ("ARCH_MMAP_RND_BITS", "28"), ("ARCH_MMAP_RND_BITS_MIN", "28"), ("ARCH_MMAP_RND_BITS_MAX", "32"),
        ("ARCH_MMAP_RND_COMPAT_BITS_MIN", "8"), ("ARCH_MMAP_RND_COMPAT_BITS_MAX", "16"), ("FORCE_MAX_ZONEORDER", "11"),
        ("ARCH_FORCE_MAX_ORDER", "10"), ("DEFAULT_MMAP_MIN_ADDR", "4096"), ("HZ_250", "1"),
        ("NR_CPUS_DEFAULT", "64"), ("RCU_FANOUT", "64"), ("RCU_FANOUT_LEAF", "16"),
        ("FRAME_WARN", "2048"), ("LOCKDEP_BITS", "15"), ("CC_VERSION_TEXT", "\"clang\""),
    ]

    /// The configuration as `CONFIG_` symbol → value: the list above, then
    /// the tree's own 64-bit defconfig, then everything those options
    /// `select` in the tree's Kconfig files (the hidden `HAVE_*`/`ARCH_*`
    /// symbols the headers test).
    static func symbols(tree: KernelTree, architecture: Architecture) -> [(String, String)] {
        var order: [String] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values.updateValue(value, forKey: name) == nil { order.append(name) }
        }
        let isX86 = architecture.name == "x86"
        for option in enabled where isX86 || !option.hasPrefix("X86") { set(option, "1") }
        for (option, value) in Self.values where isX86 || !option.hasPrefix("X86") { set(option, value) }
        let defconfigs = defconfigPaths(architecture)
        if let defconfig = defconfigs.lazy.compactMap({ tree.text($0) }).first {
            for (name, value) in defconfigValues(defconfig) where !excluded.contains(name) {
                set(name, value)
            }
        }
        // What the enabled options select (`select FOO [if EXPR]`) and the
        // hidden options kconfig computes (`def_bool EXPR`, `depends on`),
        // until nothing new is enabled. Every Kconfig file of the tree, but
        // other architectures'.
        let entries = kconfigFiles(tree: tree, architecture: architecture).compactMap { tree.text($0) }.flatMap(KconfigEntry.parse)
        func holds(_ expression: String?) -> Bool {
            expression.map { KconfigExpression.evaluate($0, symbols: values) == true } ?? true
        }
        // Options the defconfig turns off stay off.
        let disabled = Set(defconfigs.lazy.compactMap({ tree.text($0) }).first.map(disabledOptions) ?? [])
        func firstDefault(_ entry: KconfigEntry) -> String? {
            entry.defaults.first { holds($0.condition) }?.value
        }
        var changed = true
        while changed {
            changed = false
            for entry in entries {
                if values[entry.name] == nil, !entry.hasPrompt, entry.type == "bool" || entry.type == "tristate",
                   !excluded.contains(entry.name), !disabled.contains(entry.name),
                   let value = firstDefault(entry), holds(value), entry.dependencies.allSatisfy(holds) {
                    set(entry.name, "1")
                    changed = true
                }
                guard values[entry.name] != nil else { continue }
                for select in entry.selects where values[select.target] == nil
                    && !excluded.contains(select.target) && holds(select.condition) {
                    set(select.target, "1")
                    changed = true
                }
            }
        }
        // Numbers and strings take their first default that applies, as
        // kconfig gives every visible one a value; a default kconfig would
        // compute with `$(shell …)` is left out.
        for entry in entries where values[entry.name] == nil && ["int", "hex", "string"].contains(entry.type ?? "")
            && entry.dependencies.allSatisfy(holds) {
            guard let value = firstDefault(entry) else { continue }
            if value.hasPrefix("\"") {
                guard value.hasSuffix("\""), value.count >= 2, !value.contains("$(") else { continue }
                set(entry.name, entry.type == "string" ? value : String(value.dropFirst().dropLast()))
            } else if Int(value) != nil || (value.hasPrefix("0x") && Int(value.dropFirst(2), radix: 16) != nil) {
                set(entry.name, value)
            } else if let other = values[value], other != "1" {
                set(entry.name, other)
            }
        }
        return order.map { ($0, values[$0]!) }
    }

    /// The defconfigs `symbols` reads, the first that exists.
    static func defconfigPaths(_ architecture: Architecture) -> [String] {
        ["arch/\(architecture.name)/configs/x86_64_defconfig", "arch/\(architecture.name)/configs/defconfig"]
    }

    /// The Kconfig files `symbols` reads: every one of the tree's, but other
    /// architectures'.
    static func kconfigFiles(tree: KernelTree, architecture: Architecture) -> [String] {
        tree.listing.files.filter { $0.utf8LastComponent.starts(with: "Kconfig".utf8) }
            .filter { !$0.hasPrefix("arch/") || $0.hasPrefix("arch/\(architecture.name)/") || !$0.dropFirst(5).contains("/") }
    }

    /// Every file `symbols` may read, for the configuration cache's
    /// manifest: what it computes depends on these files' contents alone
    /// (and on the lists above, part of the tool).
    static func inputFiles(tree: KernelTree, architecture: Architecture) -> [String] {
        defconfigPaths(architecture) + kconfigFiles(tree: tree, architecture: architecture)
    }

    /// Options a defconfig may enable that need generated files or a
    /// toolchain we do not have; parsing is better off without them.
    static let excluded: Set<String> = ["MODVERSIONS", "RUST", "GCC_PLUGINS", "DEBUG_INFO_BTF",
                                        "MODULE_SIG", "SYSTEM_TRUSTED_KEYRING", "XEN", "KASAN", "KCSAN"]

    /// `# CONFIG_FOO is not set` → "FOO".
    static func disabledOptions(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") else { return nil }
            return String(line.dropFirst(9).dropLast(11))
        }
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

    static func autoconfHeader(_ symbols: [(String, String)]) -> String {
        var lines = ["/* Synthetic configuration written by notifysplit for parsing only. */"]
        for (name, value) in symbols {
            lines.append("#define CONFIG_\(name) \(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
