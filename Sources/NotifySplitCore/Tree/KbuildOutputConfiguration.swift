import Clang
import Foundation

/// Compile arguments from a real kbuild output directory
/// (`make O=DIR defconfig prepare`), whose generated headers are real.
public struct KbuildOutputConfiguration: CompileArgumentsProvider {
    public let tree: KernelTree
    public let architecture: Architecture
    public let outputDirectory: String
    private let flags: [String]
    private let directoryFlags: KbuildDirectoryFlags

    public init(tree: KernelTree, architecture: Architecture,
                outputDirectory: String) throws(NotifySplitError) {
        guard FileManager.default.fileExists(atPath: outputDirectory + "/include/generated/autoconf.h")
                || FileManager.default.fileExists(atPath: outputDirectory + "/include/linux/autoconf.h")
        else {
            throw .usage("\(outputDirectory): not a prepared kbuild output directory "
                         + "(no include/generated/autoconf.h; run make O=DIR defconfig prepare)")
        }
        self.tree = tree
        self.architecture = architecture
        self.outputDirectory = outputDirectory
        let kbuild = KbuildFlags(tree: tree, architecture: architecture, objtree: outputDirectory,
                                 builtinIncludes: BuiltinHeaders.directory)
        flags = KbuildFlags.languageFlags(tree: tree, architecture: architecture)
            + kbuild.preprocessorFlags
        // The Makefiles' `$(CONFIG_X)` as the output directory configured them.
        let symbols = DotConfig.read(outputDirectory + "/.config").map {
            Dictionary($0.symbols, uniquingKeysWith: { _, last in last })
        } ?? [:]
        directoryFlags = KbuildDirectoryFlags(tree: tree, architecture: architecture.name,
                                              objtree: outputDirectory, symbols: symbols)
    }

    public func arguments(forFile relativePath: String) -> [String]? {
        flags + directoryFlags.arguments(forFile: relativePath) + KbuildFlags.objectFlags(forFile: relativePath)
    }

    public var summary: String { "kbuild output \(outputDirectory) (\(architecture.name))" }
}
