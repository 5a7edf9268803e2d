import Clang
import Foundation

/// Compile arguments for an unconfigured, unbuilt tree.
///
/// kbuild generates headers (`autoconf.h`, `bounds.h`, asm-generic wrappers,
/// syscall tables, …) before compiling anything; an unpacked tarball has
/// none of them. Without them libclang reports hundreds of errors and drops
/// the statements that contain them from the AST. This writes plausible
/// stand-ins for an x86-64 configuration to a private temporary directory
/// (never into the tree) and uses it as kbuild's output directory.
public final class SyntheticConfiguration: CompileArgumentsProvider, @unchecked Sendable {
    public let tree: KernelTree
    public let architecture: Architecture
    /// The temporary kbuild output directory holding the stubs.
    public let stubDirectory: String
    /// The stubs are written in the background (they need a walk of the
    /// tree's Kconfig files), while the token scan runs; the first
    /// request for arguments waits for them.
    private let ready = DispatchGroup()
    private let state = StubState()

    public init(tree: KernelTree, architecture: Architecture) throws(NotifySplitError) {
        self.tree = tree
        self.architecture = architecture
        let template = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("notifysplit-config.XXXXXX")
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw .io("cannot create a temporary directory in \(NSTemporaryDirectory()): "
                      + String(cString: strerror(errno)))
        }
        stubDirectory = String(cString: made)
        let (directory, state) = (stubDirectory, self.state)
        DispatchQueue.global().async(group: ready) {
            do {
                try KbuildStubs(tree: tree, architecture: architecture, objtree: directory).write()
                let kbuild = KbuildFlags(tree: tree, architecture: architecture, objtree: directory,
                                         builtinIncludes: BuiltinHeaders.directory)
                state.set(.success(KbuildFlags.languageFlags(tree: tree, architecture: architecture)
                    + kbuild.preprocessorFlags))
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
    }

    public func arguments(forFile relativePath: String) -> [String]? {
        ready.wait()
        guard case .success(let flags) = state.value else { return nil }
        return flags + KbuildFlags.objectFlags(forFile: relativePath)
    }

    public var summary: String {
        "synthetic \(architecture.name) configuration (generated headers stubbed)"
    }
}

private final class StubState: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<[String], NotifySplitError> = .success([])
    var value: Result<[String], NotifySplitError> { lock.lock(); defer { lock.unlock() }; return result }
    func set(_ value: Result<[String], NotifySplitError>) { lock.lock(); result = value; lock.unlock() }
}
