import Foundation

/// Reads a `convert` series (or any `git format-patch` directory) and
/// applies it to the tree in memory, exactly: every hunk's old lines must
/// be where its header says, no fuzz.
public enum SeriesOverlay {
    public static func load(directory: String, tree: KernelTree) throws(NotifySplitError) -> TreeOverlay {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .usage("\(directory): --series needs a directory of .patch files")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".patch") }.sorted()
        guard !names.isEmpty else { throw .usage("\(directory): no .patch files in the series directory") }
        var overlay = TreeOverlay()
        for name in names {
            let bytes: [UInt8]
            do { bytes = try FileBytes(path: directory + "/" + name).bytes } catch { throw .usage("\(error)") }
            for diff in try parse(bytes, name: name) {
                try apply(diff, patch: name, tree: tree, to: &overlay)
            }
        }
        return overlay
    }

    public struct Hunk: Sendable {
        var oldStart: Int
        var lines: [(kind: UInt8, text: [UInt8])]     // " ", "-", "+"
    }

    public struct Diff: Sendable {
        var oldPath: String?
        var newPath: String?
        var hunks: [Hunk]
    }

    /// The `diff --git` sections of one patch file (none for a cover letter).
    public static func parse(_ bytes: [UInt8], name: String) throws(NotifySplitError) -> [Diff] {
        let lines = FileDiff.lines(bytes)
        var diffs: [Diff] = []
        var i = 0
        func text(_ line: [UInt8]) -> String { String(decoding: line, as: UTF8.self) }
        func malformed(_ why: String) -> NotifySplitError { .usage("\(name):\(i + 1): malformed patch (\(why))") }
        while i < lines.count {
            guard text(lines[i]).hasPrefix("diff --git ") else { i += 1; continue }
            var diff = Diff(oldPath: nil, newPath: nil, hunks: [])
            i += 1
            while i < lines.count, !text(lines[i]).hasPrefix("@@"), !text(lines[i]).hasPrefix("diff --git ") {
                let line = text(lines[i]).trimmingCharacters(in: .newlines)
                if line.hasPrefix("--- ") { diff.oldPath = path(line.dropFirst(4)) }
                if line.hasPrefix("+++ ") { diff.newPath = path(line.dropFirst(4)) }
                i += 1
            }
            guard diff.oldPath != nil || diff.newPath != nil else { throw malformed("no ---/+++ lines") }
            while i < lines.count, text(lines[i]).hasPrefix("@@") {
                let header = text(lines[i])
                // `@@ -a[,b] +c[,d] @@`: anything else is malformed, never a crash.
                let fields = header.split(separator: " ")
                func range(_ field: Substring, _ sign: Character) -> (start: Int, count: Int)? {
                    guard field.first == sign else { return nil }
                    let parts = field.dropFirst().split(separator: ",", omittingEmptySubsequences: false)
                    guard (1...2).contains(parts.count), let start = Int(parts[0]), start >= 0 else { return nil }
                    guard parts.count == 2 else { return (start, 1) }
                    guard let count = Int(parts[1]), count >= 0 else { return nil }
                    return (start, count)
                }
                guard fields.count >= 3, let old = range(fields[1], "-"), let new = range(fields[2], "+") else {
                    throw malformed("bad hunk header")
                }
                let (oldStart, oldCount, newCount) = (old.start, old.count, new.count)
                var hunk = Hunk(oldStart: oldStart, lines: [])
                var seenOld = 0, seenNew = 0
                i += 1
                while i < lines.count, seenOld < oldCount || seenNew < newCount {
                    let line = lines[i]
                    guard let kind = line.first, [UInt8.space, UInt8(ascii: "-"), UInt8(ascii: "+")].contains(kind) else {
                        throw malformed("hunk ends early")
                    }
                    var content = Array(line.dropFirst())
                    // `\ No newline at end of file` strips the line's newline.
                    if i + 1 < lines.count, lines[i + 1].first == .backslash, content.last == .newline {
                        content.removeLast()
                    }
                    hunk.lines.append((kind, content))
                    if kind != UInt8(ascii: "+") { seenOld += 1 }
                    if kind != UInt8(ascii: "-") { seenNew += 1 }
                    i += 1
                    if i < lines.count, lines[i].first == .backslash { i += 1 }
                }
                guard seenOld == oldCount, seenNew == newCount else { throw malformed("hunk shorter than its header") }
                diff.hunks.append(hunk)
            }
            diffs.append(diff)
        }
        return diffs
    }

    /// `a/mm/rmap.c` → `mm/rmap.c`; `/dev/null` → nil.
    private static func path(_ field: Substring) -> String? {
        let word = field.split(separator: "\t").first.map(String.init) ?? String(field)
        if word == "/dev/null" { return nil }
        return word.hasPrefix("a/") || word.hasPrefix("b/") ? String(word.dropFirst(2)) : word
    }

    public static func apply(_ diff: Diff, patch: String, tree: KernelTree,
                      to overlay: inout TreeOverlay) throws(NotifySplitError) {
        let path = diff.oldPath ?? diff.newPath!
        var current: [[UInt8]]
        if let oldPath = diff.oldPath {
            if let bytes = overlay.files[oldPath] {
                current = FileDiff.lines(bytes)
            } else if overlay.deleted.contains(oldPath) {
                throw .usage("\(patch) does not apply: \(oldPath) was deleted by an earlier patch")
            } else {
                do { current = FileDiff.lines(try FileBytes(path: tree.absolute(oldPath)).bytes) }
                catch { throw .usage("\(patch) does not apply: \(oldPath) cannot be read (\(error))") }
            }
        } else {
            current = []
        }
        var offset = 0
        for hunk in diff.hunks {
            let old = hunk.lines.filter { $0.kind != UInt8(ascii: "+") }.map(\.text)
            let new = hunk.lines.filter { $0.kind != UInt8(ascii: "-") }.map(\.text)
            let start = max(0, hunk.oldStart - 1 + offset) + (old.isEmpty && hunk.oldStart > 0 ? 1 : 0)
            guard start + old.count <= current.count, Array(current[start..<(start + old.count)]) == old else {
                throw .usage("\(patch) does not apply to \(path) at line \(hunk.oldStart)")
            }
            current.replaceSubrange(start..<(start + old.count), with: new)
            offset += new.count - old.count
        }
        if let newPath = diff.newPath {
            overlay.files[newPath] = Array(current.joined())
            overlay.deleted.remove(newPath)
            if diff.oldPath == nil, !tree.exists(newPath) { overlay.created.insert(newPath) }
        } else {
            overlay.files[path] = nil
            overlay.deleted.insert(path)
        }
    }
}
