/// The tree as a patch series would leave it, in memory: changed files'
/// new bytes, created and deleted files. The tree itself is never written.
public struct TreeOverlay: Sendable {
    public var files: [String: [UInt8]] = [:]
    public var deleted: Set<String> = []

    public init() {}

    public var isEmpty: Bool { files.isEmpty && deleted.isEmpty }

    /// Paths that exist only in the overlay (the walker will not list them).
    public var created: Set<String> = []

    func bytes(of path: String) -> FileBytes? {
        files[path].map(FileBytes.init(bytes:))
    }
}
