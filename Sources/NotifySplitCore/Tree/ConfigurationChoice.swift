import Foundation

/// Which configuration a tree is parsed with, and why — said in the report.
///
/// The tree's own configuration is honoured when it can be: a `.config`
/// (or `--config FILE`) is used with the headers of the architecture it
/// was made for, never another's. Without one the synthetic x86-64
/// configuration is used, also for a tree whose Makefile sets another
/// `ARCH` (nothing says which of its machines to build). `--arch` and
/// `--config` override; an explicit choice is never replaced by a
/// fallback of another architecture.
public struct ConfigurationChoice: Sendable {
    public enum Kind: Sendable {
        /// A real configuration; `fallback`: architecture-independent files
        /// that do not parse clean under it are tried with the synthetic
        /// x86-64 configuration.
        case dotConfig(DotConfig, fallback: Bool)
        case synthetic
    }

    public var kind: Kind
    public var architecture: Architecture
    /// Why, in words for the report.
    public var reason: String

    /// Decides from `--arch`, `--config` and the tree.
    public static func decide(tree: KernelTree, arch explicitArch: String?,
                              config configFile: String?) throws(NotifySplitError) -> ConfigurationChoice {
        let explicit = explicitArch.map { Architecture(name: $0, source: "--arch") }
        if let explicit, !tree.isDirectory("arch/\(explicit.name)") {
            throw .usage("--arch \(explicitArch!): the tree has no arch/\(explicit.name)")
        }
        if let configFile {
            guard FileManager.default.isReadableFile(atPath: configFile) else {
                throw .usage("\(configFile): no such readable file")
            }
            guard let config = DotConfig.read(configFile) else {
                throw .usage("\(configFile): not a kernel configuration (no CONFIG_ line)")
            }
            guard let name = config.architecture ?? explicit?.name else {
                throw .usage("\(configFile): does not say which architecture it configures "
                             + "(no CONFIG_X86=y, CONFIG_ARM=y, …); give --arch")
            }
            if let explicit, explicit.name != name {
                throw .usage("\(configFile) configures \(name); it cannot be parsed with the \(explicit.name) "
                             + "headers of --arch \(explicitArch!)")
            }
            guard tree.isDirectory("arch/\(name)") else {
                throw .usage("\(configFile) configures \(name), but the tree has no arch/\(name)")
            }
            return ConfigurationChoice(kind: .dotConfig(config, fallback: false),
                                       architecture: Architecture(name: name, source: "--config"),
                                       reason: "given with --config")
        }
        let treeConfig = DotConfig.read(tree.absolute(".config"), displayPath: ".config")
        let treeConfigArch = treeConfig?.architecture.flatMap { tree.isDirectory("arch/\($0)") ? $0 : nil }
        if let explicit {
            if let treeConfig, treeConfigArch == explicit.name {
                return ConfigurationChoice(kind: .dotConfig(treeConfig, fallback: explicit.name == "x86"),
                                           architecture: explicit,
                                           reason: "--arch \(explicitArch!), as the tree's .config")
            }
            var reason = "--arch \(explicitArch!)"
            if let treeConfig {
                reason += "; the tree's .config is for \(treeConfig.architecture ?? "no architecture this tree has")"
                    + " and is not used with \(explicit.name) headers"
            }
            return ConfigurationChoice(kind: .synthetic, architecture: explicit, reason: reason)
        }
        let x86 = Architecture(name: "x86", source: "default")
        // A build's leftovers are not a configuration: said, and ignored.
        let artifacts = ["include/config", "include/generated", "include/linux/autoconf.h"].filter(tree.exists)
        let ignored = artifacts.isEmpty ? ""
            : "; the build artifacts it carries (\(artifacts.joined(separator: ", "))) are ignored"
        if let treeConfig {
            if let name = treeConfigArch {
                return ConfigurationChoice(kind: .dotConfig(treeConfig, fallback: true),
                                           architecture: Architecture(name: name, source: ".config"),
                                           reason: "the tree's own")
            }
            return ConfigurationChoice(
                kind: .synthetic, architecture: x86,
                reason: "the tree's .config names no architecture the tree has (\(treeConfig.architecture ?? "none"))")
        }
        if let (name, assignment) = makefileArchitecture(tree) {
            if name == "x86" {
                return ConfigurationChoice(kind: .synthetic, architecture: Architecture(name: name, source: "Makefile"),
                                           reason: "the Makefile sets \(assignment); the tree has no .config" + ignored)
            }
            return ConfigurationChoice(
                kind: .synthetic, architecture: x86,
                reason: "the Makefile sets \(assignment), but the tree has no .config to say which \(name) "
                    + "machine to build; x86-64 headers for the architecture-independent files" + ignored)
        }
        return ConfigurationChoice(kind: .synthetic, architecture: x86, reason: "the tree has no .config" + ignored)
    }

    /// `ARCH = arm` or `ARCH ?= arm` in the top Makefile, as make reads it
    /// (a later `=` overrides, `?=` only sets an unset one), with the line
    /// as written; nil when it is left to the host (`$(SUBARCH)`).
    public static func makefileArchitecture(_ tree: KernelTree) -> (String, String)? {
        guard let makefile = tree.text("Makefile") else { return nil }
        var value: (String, String)?
        var set = false
        for line in makefile.split(separator: "\n") where line.hasPrefix("ARCH") {
            guard let (name, op, raw) = MakeEvaluator.assignment(String(line)),
                  name.trimmingCharacters(in: .whitespaces) == "ARCH" else { continue }
            if op == "?=" && set { continue }
            set = true
            let text = raw.split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            value = text.isEmpty || text.contains("$") ? nil
                : (Architecture.sourceArchitecture(text), "ARCH \(op) \(text)")
        }
        return value
    }

    /// The provider for this choice; with a `cache`, what its synthetic
    /// configuration computes from the tree is kept there for the next run,
    /// and with `preambles` the preambles of the files it parses.
    public func provider(tree: KernelTree, cache: ConfigurationCache? = nil,
                         preambles: PreambleCache? = nil) throws(NotifySplitError) -> any CompileArgumentsProvider {
        switch kind {
        case .synthetic:
            return try SyntheticConfiguration(tree: tree, architecture: architecture, reason: reason, cache: cache,
                                              preambles: preambles)
        case .dotConfig(let config, let fallback):
            let primary = try SyntheticConfiguration(tree: tree, architecture: architecture,
                                                     source: .dotConfig(config), reason: reason, cache: cache,
                                                     preambles: preambles)
            guard fallback else { return primary }
            return FallbackConfiguration(primary: primary) { () throws(NotifySplitError) in
                try SyntheticConfiguration(tree: tree, architecture: Architecture(name: "x86", source: "fallback"),
                                           reason: "fallback", cache: cache, preambles: preambles)
            }
        }
    }
}
