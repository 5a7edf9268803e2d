import Clang
import Foundation

/// Compile arguments for an unbuilt tree: kbuild's generated headers
/// written to a private temporary directory (never into the tree), used
/// as kbuild's output directory.
///
/// kbuild generates headers (`autoconf.h`, `bounds.h`, asm-generic wrappers,
/// syscall tables, …) before compiling anything; an unpacked tarball has
/// none of them. Without them libclang reports hundreds of errors and drops
/// the statements that contain them from the AST. The configuration is
/// either a plausible x86-64 one made up for parsing (`.synthetic`) or a
/// real one (`.dotConfig`: the tree's `.config`, or `--config FILE`),
/// always with the headers of the architecture it was made for.
public final class SyntheticConfiguration: CompileArgumentsProvider, @unchecked Sendable {
    public enum Source: Sendable {
        case synthetic
        case dotConfig(DotConfig)
    }

    public let tree: KernelTree
    public let architecture: Architecture
    public let source: Source
    /// Why this configuration was chosen, for the report (nil: not said).
    public let reason: String?
    /// The temporary kbuild output directory holding the stubs.
    public let stubDirectory: String
    /// Where the preambles of the files parsed with it are kept.
    private let preambles: PreambleCache?
    /// The stubs are written in the background (they need a walk of the
    /// tree's Kconfig files and a parse of `kernel/bounds.c`), while the
    /// token scan runs; the first request for arguments waits for them.
    private let ready = DispatchGroup()
    private let state = StubState()

    /// - Parameter cache: where to keep what is computed from the tree
    ///   for the next run (the Kconfig symbols, `bounds.h`,
    ///   `asm-offsets.h`); nil computes everything every time.
    /// - Parameter preambles: where to keep the preambles of the files
    ///   parsed with it (nil: every file is parsed whole).
    public init(tree: KernelTree, architecture: Architecture, source: Source = .synthetic,
                reason: String? = nil, cache: ConfigurationCache? = nil,
                preambles: PreambleCache? = nil) throws(NotifySplitError) {
        self.tree = tree
        self.architecture = architecture
        self.source = source
        self.reason = reason
        let template = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("notifysplit-config.XXXXXX")
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw .io("cannot create a temporary directory in \(NSTemporaryDirectory()): "
                      + String(cString: strerror(errno)))
        }
        stubDirectory = String(cString: made)
        self.preambles = preambles?.with(objtree: stubDirectory)
        TemporaryDirectories.register(stubDirectory, writers: ready)
        let (directory, state) = (stubDirectory, self.state)
        DispatchQueue.global().async(group: ready) {
            do {
                let symbols: [(String, String)]
                let autoconf: String
                switch source {
                case .synthetic:
                    symbols = PhaseTimes.measure("  (background) Kconfig symbols") {
                        guard let cache else { return SyntheticKconfig.symbols(tree: tree, architecture: architecture) }
                        return cache.symbols(tree: tree, architecture: architecture) {
                            SyntheticKconfig.symbols(tree: tree, architecture: architecture)
                        }
                    }
                    autoconf = SyntheticKconfig.autoconfHeader(symbols)
                case .dotConfig(let config):
                    symbols = config.symbols
                    autoconf = config.autoconfHeader()
                }
                let values = Dictionary(symbols, uniquingKeysWith: { _, last in last })
                let stubs = KbuildStubs(tree: tree, architecture: architecture, objtree: directory,
                                        symbols: symbols, autoconf: autoconf)
                try stubs.write()
                let kbuild = KbuildFlags(tree: tree, architecture: architecture, objtree: directory,
                                         builtinIncludes: BuiltinHeaders.directory, symbols: values)
                let flags = KbuildFlags.languageFlags(tree: tree, architecture: architecture, symbols: values)
                    + kbuild.preprocessorFlags
                let boundsErrors = try PhaseTimes.measure("  (background) bounds.h, asm-offsets.h") {
                    try stubs.writeComputedConstants(flags: flags, cache: cache)
                }
                let machines = ArchitectureFlags.evaluate(tree: tree, architecture: architecture.name,
                                                          symbols: values).machineDirectories
                let directoryFlags = KbuildDirectoryFlags(tree: tree, architecture: architecture.name,
                                                          objtree: directory, symbols: values)
                state.set(.success(Prepared(flags: flags, symbols: values, boundsErrors: boundsErrors,
                                            machineDirectories: machines, directoryFlags: directoryFlags)))
            } catch {
                state.set(.failure(.io("cannot write configuration stubs to \(directory): \(error)")))
            }
        }
    }

    /// Waits for the stubs; a failure to write them is reported here.
    public func prepared() throws(NotifySplitError) {
        ready.wait()
        if case .failure(let error) = state.value { throw error }
    }

    deinit {
        ready.wait()
        try? FileManager.default.removeItem(atPath: stubDirectory)
        TemporaryDirectories.unregister(stubDirectory)
    }

    /// The configuration's arguments for a file: kbuild's for every file,
    /// then what the file's own Makefiles add (`ccflags-y`, …). A synthetic
    /// configuration also turns on the options the file's Makefile builds
    /// it with (`obj-$(CONFIG_FS_XIP) += filemap_xip.o`): a file its
    /// configuration does not build meets headers that stub out what it
    /// defines. The Makefiles are read with those options on too.
    public func arguments(forFile relativePath: String) -> [String]? {
        guard let prepared = preparedState else { return nil }
        var missing: [String] = []
        if case .synthetic = source { missing = missingOptions(relativePath, prepared) }
        return prepared.flags
            + prepared.directoryFlags.arguments(forFile: relativePath, options: missing)
            + KbuildFlags.objectFlags(forFile: relativePath)
            + missing.map { "-DCONFIG_\($0)=1" }
    }

    public func attempts(forFile relativePath: String) -> [ParseAttempt] {
        guard let prepared = preparedState, let arguments = arguments(forFile: relativePath) else { return [] }
        let missing = missingOptions(relativePath, prepared)
        let options = missing.map { "CONFIG_" + $0 }.joined(separator: ", ")
        switch source {
        case .synthetic:
            let extra = missing.isEmpty ? "" : " with \(options), which its Makefile builds the file with"
            return [ParseAttempt(arguments: arguments, configuration: label + extra, preambles: preambles)]
        case .dotConfig:
            let unusable = missing.isEmpty ? nil
                : "\(label) does not build \(relativePath) (its Makefile needs \(options))"
            return [ParseAttempt(arguments: arguments, configuration: label, unusable: unusable,
                                 preambles: preambles)]
        }
    }

    /// The options `relativePath`'s Makefiles need that the configuration lacks.
    private func missingOptions(_ relativePath: String, _ prepared: Prepared) -> [String] {
        (KbuildObjectConditions.conditions(forFile: relativePath, tree: tree) ?? [])
            .filter { prepared.symbols[$0] == nil && prepared.symbols[$0 + "_MODULE"] == nil }
    }

    private var preparedState: Prepared? {
        ready.wait()
        guard case .success(let prepared) = state.value else { return nil }
        return prepared
    }

    /// The errors met computing `bounds.h` from `kernel/bounds.c` (empty
    /// when it parsed clean or the tree has none).
    public var generatedHeaderErrors: [String] { preparedState?.boundsErrors ?? [] }

    /// A short name: "synthetic x86-64 configuration", "configuration in
    /// .config (arm: mach-versatile)".
    public var label: String {
        switch source {
        case .synthetic:
            return architecture.name == "x86" ? "synthetic x86-64 configuration"
                : "synthetic \(architecture.name) configuration"
        case .dotConfig(let config):
            let machines = preparedState?.machineDirectories ?? []
            let detail = machines.isEmpty ? architecture.name
                : "\(architecture.name): \(machines.joined(separator: ", "))"
            return "configuration in \(config.path) (\(detail))"
        }
    }

    public var summary: String {
        reason.map { "\(label) (\($0))" } ?? label
    }

    struct Prepared {
        var flags: [String]
        var symbols: [String: String]
        var boundsErrors: [String]
        var machineDirectories: [String]
        /// Per-directory flags, evaluated once per directory in a run.
        var directoryFlags: KbuildDirectoryFlags
    }
}

private final class StubState: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<SyntheticConfiguration.Prepared, NotifySplitError> =
        .failure(.io("configuration not prepared"))
    var value: Result<SyntheticConfiguration.Prepared, NotifySplitError> {
        lock.lock(); defer { lock.unlock() }; return result
    }
    func set(_ value: Result<SyntheticConfiguration.Prepared, NotifySplitError>) {
        lock.lock(); result = value; lock.unlock()
    }
}
