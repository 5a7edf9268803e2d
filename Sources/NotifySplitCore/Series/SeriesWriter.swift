import Foundation

/// Writes a series out: a directory of `git format-patch` files (plus
/// `refusals.tsv`), written to a temporary directory beside the target and
/// renamed into place, so a series is never half-written; or one mbox on
/// stdout; or the tree itself, file by file, atomically.
public struct SeriesWriter {
    public let series: Series
    public let conversion: Conversion

    public init(series: Series, conversion: Conversion) {
        self.series = series
        self.conversion = conversion
    }

    /// `path:line<TAB>macro<TAB>reason`, one line per refused site.
    public var refusalsTSV: String {
        conversion.decisions.filter { $0.verdict == .refused }.map {
            "\($0.site.path):\($0.site.line)\t\($0.site.macro)\t\($0.reason)\n"
        }.joined()
    }

    public var mbox: [UInt8] {
        series.rendered().flatMap(\.bytes)
    }

    public func write(to directory: String, force: Bool) throws(NotifySplitError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL.path
        let tree = conversion.scan.tree.root
        if target == tree || target.hasPrefix(tree + "/") {
            throw .usage("\(directory): the output directory is inside the tree; write the series elsewhere")
        }
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw .usage("\(directory): exists and is not a directory")
        }
        if exists, !force, let contents = try? fm.contentsOfDirectory(atPath: target), !contents.isEmpty {
            throw .usage("\(directory): exists and is not empty (use --force to replace it)")
        }
        let parent = (target as NSString).deletingLastPathComponent
        var template = Array(((parent as NSString).appendingPathComponent(".notifysplit-series.XXXXXX")).utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .io("\(parent): cannot create a temporary directory (\(String(cString: strerror(errno))))")
        }
        let temporary = String(cString: made)
        do {
            for (name, bytes) in series.rendered() {
                try WriteFaults.write(bytes, to: temporary + "/" + name)
            }
            try WriteFaults.write(Array(refusalsTSV.utf8), to: temporary + "/refusals.tsv")
            chmod(temporary, 0o755)
            if exists {
                let old = temporary + ".old"
                try fm.moveItem(atPath: target, toPath: old)
                try fm.moveItem(atPath: temporary, toPath: target)
                try? fm.removeItem(atPath: old)
            } else {
                try fm.moveItem(atPath: temporary, toPath: target)
            }
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw .io("\(directory): cannot write the series (\(error.localizedDescription))")
        }
    }

    /// Applies the series to the tree: each file replaced atomically with
    /// its mode kept; a file changed on disk since it was read is not
    /// touched (nothing is written then), nor, in a git work tree, a file
    /// with uncommitted changes unless `force`. Returns the files written.
    public func applyInPlace(force: Bool = false) throws(NotifySplitError) -> [String] {
        let tree = conversion.scan.tree
        if !force, let dirty = UncommittedChanges.among(series.finalFiles.keys.sorted(), tree: tree), !dirty.isEmpty {
            let one = dirty.count == 1
            throw .usage("\(PatchMessage.list(dirty)) \(one ? "has" : "have") uncommitted changes; commit or stash "
                         + "\(one ? "it" : "them") first, or use --force to write over \(one ? "it" : "them"); "
                         + "nothing written")
        }
        for (path, original) in series.originalFiles.sorted(by: { $0.key < $1.key }) {
            guard let now = try? FileBytes(path: tree.absolute(path)).bytes, now == original else {
                throw .io("\(path) changed on disk since it was read; nothing written")
            }
        }
        var written: [String] = []
        Interruption.catchSignals()
        for (path, bytes) in series.finalFiles.sorted(by: { $0.key < $1.key }) {
            if Interruption.wasRaised {
                throw .interrupted("interrupted; written: " + (written.isEmpty ? "none" : written.joined(separator: ", "))
                                   + "; not written: " + series.finalFiles.keys.filter { !written.contains($0) }
                                   .sorted().joined(separator: ", "))
            }
            let absolute = tree.absolute(path)
            var info = stat()
            let mode: mode_t = stat(absolute, &info) == 0 ? info.st_mode & 0o7777 : 0o644
            let temporary = absolute + ".notifysplit-tmp"
            do {
                try WriteFaults.write(bytes, to: temporary)
                chmod(temporary, mode)
                guard rename(temporary, absolute) == 0 else {
                    throw NotifySplitError.io(String(cString: strerror(errno)))
                }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw .io("\(path): cannot write (\(error)); written before it: "
                          + (written.isEmpty ? "none" : written.joined(separator: ", ")))
            }
            written.append(path)
            Interruption.testHook(afterWriting: written.count)
        }
        return written
    }
}
