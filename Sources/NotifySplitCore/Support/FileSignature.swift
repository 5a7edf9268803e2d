import Foundation

/// What `stat` says of a file that changes whenever its contents do: the
/// same device and inode, size, modification and status-change times (to
/// the nanosecond) mean the same bytes — git's test of a clean index
/// entry. The status-change time cannot be set back by a user
/// (`touch -d` moves the modification time only).
struct FileSignature: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var modifiedNanoseconds: Int64
    var changed: Int64
    var changedNanoseconds: Int64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec)
        changedNanoseconds = Int64(info.st_ctim.tv_nsec)
    }

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, modifiedNanoseconds: Int64,
         changed: Int64, changedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changed = changed
        self.changedNanoseconds = changedNanoseconds
    }

    /// The signature of `path` relative to the open directory `directory`
    /// (a short walk from the tree's root instead of from `/`; symbolic
    /// links followed, as `open` does); nil when it cannot be had.
    init?(path: String, in directory: Int32) {
        var info = stat()
        guard fstatat(directory, path, &info, 0) == 0 else { return nil }
        self.init(info)
    }

    /// True when the file was last written before `time` (seconds since
    /// the epoch): a later write gives it a later time, so a signature
    /// recorded now still tells a change apart.
    func isSettled(before time: Int64) -> Bool {
        modified < time && changed < time
    }
}
