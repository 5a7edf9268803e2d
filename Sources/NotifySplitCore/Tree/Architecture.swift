import Foundation

/// The architecture whose headers a tree is parsed with (a directory name
/// under `arch/`, e.g. `x86`).
public struct Architecture: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    /// Where the choice came from, for the report ("--arch", ".config", …).
    public let source: String

    public init(name: String, source: String) {
        self.name = Self.sourceArchitecture(name)
        self.source = source
    }

    /// `--arch` when given; else the architecture of the tree's `.config`
    /// when the tree has it; else x86. (`ConfigurationChoice` says how the
    /// tree is configured; this is only the architecture.) Never the
    /// host's: the result would depend on the machine the tool runs on.
    public static func choose(explicit: String?, tree: KernelTree) -> Architecture {
        if let explicit { return Architecture(name: explicit, source: "--arch") }
        if let config = tree.text(".config"), let name = fromConfig(config), tree.isDirectory("arch/\(name)") {
            return Architecture(name: name, source: ".config")
        }
        return Architecture(name: "x86", source: "default")
    }

    /// Kbuild's SUBARCH → SRCARCH mapping for the common machines.
    static func sourceArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64", "i386", "i486", "i586", "i686", "amd64": "x86"
        case "aarch64", "arm64": "arm64"
        case "ppc64", "ppc64le", "ppc": "powerpc"
        case "riscv64", "riscv32": "riscv"
        case "s390x": "s390"
        default: machine
        }
    }

    /// The architecture a `.config` was made for, from its `CONFIG_<ARCH>=y`.
    static func fromConfig(_ config: String) -> String? {
        let known = [("CONFIG_X86=y", "x86"), ("CONFIG_X86_64=y", "x86"), ("CONFIG_X86_32=y", "x86"),
                     ("CONFIG_ARM64=y", "arm64"), ("CONFIG_ARM=y", "arm"),
                     ("CONFIG_PPC=y", "powerpc"), ("CONFIG_RISCV=y", "riscv"),
                     ("CONFIG_S390=y", "s390"), ("CONFIG_MIPS=y", "mips")]
        let lines = Set(config.split(separator: "\n").map(String.init))
        return known.first { lines.contains($0.0) }?.1
    }

    public var description: String { name }
}
