import Foundation

/// A header a file includes that the architecture it is parsed for does
/// not provide but other architectures' trees do: `<asm/flat.h>`, which
/// x86 lacks (fs/binfmt_flat.c is built where Kconfig allows flat
/// binaries), or a `<mach/…>` header of ARM machines an omap driver needs.
/// Such a file is built only for those other architectures, so its parse
/// stopping there is no problem of this configuration. A missing header no
/// architecture provides, or one this configuration should have found, is
/// not one of these.
///
/// Decided from the tree's files and the parse's include directories
/// only, never from the file's name:
/// - `<asm/X>`: the configuration's architectures (those whose
///   `arch/A/…` or `include/asm-A` directories the arguments include)
///   provide it neither as a file (`arch/A/include/asm/X`,
///   `arch/A/include/uapi/asm/X`, 2.6's `include/asm-A/X`) nor through
///   their Kbuild lists (`generic-y`, `mandatory-y`, `generated-y`), and
///   no include directory of the parse holds it; some other architecture
///   provides it in one of those ways.
/// - any other `<D/X>` (`mach/`, `plat/`): no include directory of the
///   parse holds it, and some machine or platform directory of the tree
///   (`arch/*/mach-*/include`, `arch/*/plat-*/include`) does.
struct OtherArchitectureHeader: Equatable {
    /// As spelled in the include, e.g. `asm/flat.h`.
    var header: String
    /// The architectures that provide it, sorted.
    var architectures: [String]
    /// For a machine header, the machine and platform directories that
    /// provide it (`arch/arm/mach-omap2`), sorted.
    var machineDirectories: [String] = []
    /// A machine header of the configuration's own architecture, from a
    /// machine it does not build.
    var sameArchitecture = false

    /// What the audit says of a file stopped by it.
    var reason: String {
        let who = architectures.joined(separator: ", ")
        guard !machineDirectories.isEmpty else {
            return "another architecture's file: it includes <\(header)>, which only \(who) provide"
                + (architectures.count == 1 ? "s" : "")
        }
        let whose = sameArchitecture ? "another machine's file" : "another architecture's file"
        let shown = machineDirectories.prefix(3).joined(separator: ", ")
            + (machineDirectories.count > 3 ? " and \(machineDirectories.count - 3) more" : "")
        return "\(whose): it includes <\(header)>, which only machine directories of \(who) "
            + "provide (\(shown))"
    }

    /// The header a libclang "file not found" message names, e.g.
    /// `'asm/flat.h' file not found`.
    static func missingHeader(inMessage message: String) -> String? {
        guard message.hasSuffix("' file not found"), message.hasPrefix("'") else { return nil }
        let header = message.dropFirst().dropLast("' file not found".count)
        return header.isEmpty ? nil : String(header)
    }

    /// The header when `header` (missing from a parse with `arguments`) is
    /// provided only by other architectures; nil when no architecture
    /// provides it or this configuration should have.
    static func find(missing header: String, tree: KernelTree, arguments: [String]) -> OtherArchitectureHeader? {
        let parts = header.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !header.contains(".."), !header.hasPrefix("/") else { return nil }
        let directories = includeDirectories(arguments, tree: tree)
        // Found through this parse's own paths: something else went wrong.
        if directories.contains(where: { FileManager.default.fileExists(atPath: $0 + "/" + header) }) { return nil }
        let architectures = listDirectory(tree, "arch")
        let configured = configuredArchitectures(directories, tree: tree)
        if parts[0] == "asm" {
            guard !configured.isEmpty else { return nil }
            let name = parts[1]
            let mandatory = AsmGenericLists.read(tree: tree, files: ["include/asm-generic/Kbuild",
                                                                     "include/uapi/asm-generic/Kbuild"])
            if mandatory.mandatory.contains(name) { return nil }
            if configured.contains(where: { provides(tree, architecture: $0, asm: name) }) { return nil }
            let others = Set(architectures + legacyArchitectures(tree)).subtracting(configured)
                .filter { provides(tree, architecture: $0, asm: name) }.sorted()
            return others.isEmpty ? nil : OtherArchitectureHeader(header: header, architectures: others)
        }
        var providers = Set<String>()
        var machines: [String] = []
        for architecture in architectures {
            for entry in listDirectory(tree, "arch/\(architecture)")
            where entry.hasPrefix("mach-") || entry.hasPrefix("plat-") {
                guard tree.exists("arch/\(architecture)/\(entry)/include/\(header)") else { continue }
                providers.insert(architecture)
                machines.append("arch/\(architecture)/\(entry)")
            }
        }
        guard !providers.isEmpty else { return nil }
        return OtherArchitectureHeader(header: header, architectures: providers.sorted(),
                                       machineDirectories: machines.sorted(),
                                       sameArchitecture: !providers.isDisjoint(with: configured))
    }

    /// Whether `architecture` provides `<asm/name>`: a file of its own, or
    /// one its Kbuild lists generate.
    private static func provides(_ tree: KernelTree, architecture: String, asm name: String) -> Bool {
        let own = ["arch/\(architecture)/include/asm/", "arch/\(architecture)/include/uapi/asm/",
                   "include/asm-\(architecture)/"]
        if own.contains(where: { tree.exists($0 + name) }) { return true }
        let lists = AsmGenericLists.read(tree: tree, files: ["arch/\(architecture)/include/asm/Kbuild",
                                                             "arch/\(architecture)/include/uapi/asm/Kbuild"])
        return lists.generic.contains(name) || lists.mandatory.contains(name) || lists.generated.contains(name)
    }

    /// The architectures whose directories the include directories are in:
    /// `arch/A/…` and 2.6's `include/asm-A…`.
    static func configuredArchitectures(_ directories: [String], tree: KernelTree) -> Set<String> {
        var found = Set<String>()
        for directory in directories where directory.hasPrefix(tree.root + "/") {
            let parts = tree.relative(directory).split(separator: "/").map(String.init)
            if parts.count >= 2, parts[0] == "arch" { found.insert(parts[1]) }
            if parts.count >= 2, parts[0] == "include", parts[1].hasPrefix("asm-"), parts[1] != "asm-generic" {
                found.insert(String(parts[1].dropFirst("asm-".count)))
            }
        }
        return found
    }

    /// `-I`, `-isystem`, `-idirafter` and `-iquote` directories, absolute.
    static func includeDirectories(_ arguments: [String], tree: KernelTree) -> [String] {
        let flags = ["-I", "-isystem", "-idirafter", "-iquote"]
        var directories: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if flags.contains(argument), index + 1 < arguments.count {
                directories.append(arguments[index + 1])
                index += 1
            } else if let flag = flags.first(where: { argument.hasPrefix($0) && argument.count > $0.count }) {
                directories.append(String(argument.dropFirst(flag.count)))
            }
            index += 1
        }
        return directories.map { $0.hasPrefix("/") ? $0 : tree.absolute($0) }
            .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// 2.6's `include/asm-A` architectures.
    private static func legacyArchitectures(_ tree: KernelTree) -> [String] {
        listDirectory(tree, "include").filter { $0.hasPrefix("asm-") && $0 != "asm-generic" }
            .map { String($0.dropFirst("asm-".count)) }
    }

    private static func listDirectory(_ tree: KernelTree, _ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: tree.absolute(relative))) ?? [])
            .filter { tree.isDirectory(relative + "/" + $0) }
    }
}
