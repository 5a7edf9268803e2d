import CByteSearch
import Clang
import Foundation

/// A persistent cache of what the synthetic configuration computes from a
/// tree — the Kconfig symbols, and the constants of `bounds.h` and
/// `asm-offsets.h` (a libclang parse each) — that is never stale: an entry
/// is used only when every input it was computed from still has the
/// content it had.
///
/// Kept outside the tree, under `$XDG_CACHE_HOME/notifysplit/configuration`
/// (default `~/.cache/notifysplit/configuration`), one small JSON file per
/// tree and architecture (Kconfig) or per tree, file and arguments
/// (constants); deleting the folder clears it. Each entry records:
///  - the tool's identity: its version, its executable's build ID and the
///    libclang version (a rebuilt tool never reads an older build's entry);
///  - what it was asked: the architecture, or the parse arguments (the
///    run's temporary stub folder written as a placeholder);
///  - a manifest: the content hash of every file it was computed from —
///    for Kconfig every `Kconfig*` file read and the defconfig, for a
///    constants file every file libclang read (`clang_getInclusions`, as
///    ccache's direct mode) — and the paths that did not exist where a
///    new file would have been included instead (an earlier include
///    directory, the including file's folder).
/// On use the manifest is checked against the files as they are now; any
/// difference, or a result that depended on a file libclang could not
/// find or on `__has_include`, means recomputing (and the entry is
/// replaced). Entries are written to a temporary file and renamed into
/// place, so a reader never sees half of one. A cache that cannot be read
/// or written is skipped: it never fails a run.
public struct ConfigurationCache: Sendable {
    /// The folder holding the entries.
    public let directory: String

    /// What each lookup did, for tests (nil: not kept).
    let journal: Journal?

    public init(directory: String) {
        self.directory = directory
        self.journal = nil
    }

    init(directory: String, journal: Journal) {
        self.directory = directory
        self.journal = journal
    }

    /// One line per lookup: "reused kernel/bounds.c", "computed Kconfig symbols".
    final class Journal: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String] = []
        var lines: [String] { lock.lock(); defer { lock.unlock() }; return entries }
        func add(_ line: String) { lock.lock(); entries.append(line); lock.unlock() }
    }

    private func report(reused: Bool, _ what: String) {
        if reused { PhaseTimes.note("  (background) configuration cache: \(what) reused") }
        journal?.add((reused ? "reused " : "computed ") + what)
    }

    /// The user's cache, `$XDG_CACHE_HOME/notifysplit/configuration` or
    /// `$HOME/.cache/notifysplit/configuration`; nil when
    /// `NOTIFYSPLIT_NO_CACHE` is set to anything but `0` or empty, or
    /// there is no home to keep it in.
    public static func user(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ConfigurationCache? {
        if let off = environment["NOTIFYSPLIT_NO_CACHE"], !off.isEmpty, off != "0" { return nil }
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            base = home + "/.cache"
        } else {
            return nil
        }
        return ConfigurationCache(directory: base + "/notifysplit/configuration")
    }

    // MARK: - Identity

    /// What makes one build of the tool differ from another: a changed
    /// tool or libclang may compute something else from the same files.
    static let identity: String = {
        var buildID = [UInt8](repeating: 0, count: 64)
        let count = ns_executable_build_id(&buildID, buildID.count)
        let executable: String
        if count > 0 {
            executable = "build-id " + buildID.prefix(count).map { String(format: "%02x", $0) }.joined()
        } else if let bytes = try? FileBytes(path: "/proc/self/exe").bytes {
            executable = "executable " + bytes.withUnsafeBytes { digest($0) }
        } else {
            executable = "executable unknown \(ProcessInfo.processInfo.processIdentifier) \(Date().timeIntervalSince1970)"
        }
        return "notifysplit \(ToolVersion.current); \(executable); \(libclangVersion)"
    }()

    // MARK: - Kconfig symbols

    /// The synthetic Kconfig symbols of `tree` for `architecture`: from the
    /// cache when every input file is as it was, else computed (and stored).
    func symbols(tree: KernelTree, architecture: Architecture,
                 compute: () -> [(String, String)]) -> [(String, String)] {
        let inputs = SyntheticKconfig.inputFiles(tree: tree, architecture: architecture)
        let reader = ManifestReader()
        let manifest = inputs.map { [$0, reader.digest(ofFile: tree.absolute($0))] }
        let name = "kconfig-" + Self.digest("\(tree.root)\n\(architecture.name)")
        if let entry = load(name), entry["identity"] as? String == Self.identity,
           entry["architecture"] as? String == architecture.name, entry["manifest"] as? [[String]] == manifest,
           let pairs = entry["symbols"] as? [[String]], pairs.allSatisfy({ $0.count == 2 }) {
            report(reused: true, "Kconfig symbols")
            return pairs.map { ($0[0], $0[1]) }
        }
        report(reused: false, "Kconfig symbols")
        let symbols = compute()
        store(name, ["identity": Self.identity, "architecture": architecture.name, "manifest": manifest,
                     "symbols": symbols.map { [$0.0, $0.1] }])
        return symbols
    }

    // MARK: - Constants

    /// What one evaluation of a constants file found, with what it read.
    struct Evaluation {
        var constants: KbuildConstants
        /// Every file libclang read.
        var inclusions: [TranslationUnit.Inclusion]
        /// False when the result depended on something the manifest cannot
        /// record (a file not found, `__has_include`).
        var recordable: Bool
    }

    /// The constants of `relativePath` parsed with `arguments`, whose stub
    /// files are under `objtree`: from the cache when every file the
    /// earlier parse read is as it was and no file has appeared where the
    /// preprocessor would have found it first; else computed (and stored).
    func constants(file relativePath: String, tree: KernelTree, arguments: [String], objtree: String,
                   compute: () -> Evaluation?) -> KbuildConstants? {
        let paths = PathForm(objtree: objtree)
        let normalized = arguments.map(paths.segments)
        let name = "constants-" + Self.digest("\(tree.root)\n\(relativePath)\n" + normalized.description)
        if let entry = load(name), entry["identity"] as? String == Self.identity,
           entry["file"] as? String == relativePath, entry["arguments"] as? [[String]] == normalized,
           let manifest = entry["manifest"] as? [[String]], let absent = entry["absent"] as? [String],
           let stored = entry["constants"] as? [[Any]], let errors = entry["errors"] as? [[String]] {
            if Self.isCurrent(manifest: manifest, absent: absent, paths: paths), let constants = Self.constants(stored) {
                report(reused: true, relativePath)
                return KbuildConstants(constants: constants, errors: errors.map(paths.join))
            }
        }
        report(reused: false, relativePath)
        guard let evaluation = compute() else { return nil }
        if evaluation.recordable, let record = Self.record(evaluation.inclusions, arguments: arguments, paths: paths) {
            store(name, ["identity": Self.identity, "file": relativePath, "arguments": normalized,
                         "manifest": record.manifest, "absent": record.absent,
                         "constants": evaluation.constants.constants.map { [$0.name, String($0.value), $0.expression] },
                         "errors": evaluation.constants.errors.map(paths.segments)])
        }
        return evaluation.constants
    }

    private static func constants(_ stored: [[Any]]) -> [KbuildConstants.Constant]? {
        var result: [KbuildConstants.Constant] = []
        for row in stored {
            guard row.count == 3, let name = row[0] as? String, let text = row[1] as? String,
                  let value = Int64(text), let expression = row[2] as? String else { return nil }
            result.append(.init(name: name, value: value, expression: expression))
        }
        return result
    }

    /// The manifest of one parse: each file read with its content hash, and
    /// the paths that must stay absent — for each `#include`, the same name
    /// under every include directory and the including file's folder,
    /// where a new file could be found before the one that was (a superset
    /// of the directories searched first, so a file appearing in any of
    /// them is noticed). Nil when the arguments leave the search to the
    /// compiler's own system directories (not recorded here) or a file
    /// read asks `__has_include`.
    static func record(_ inclusions: [TranslationUnit.Inclusion], arguments: [String], paths: PathForm)
        -> (manifest: [[String]], absent: [String])? {
        guard arguments.contains("-nostdinc") else { return nil }
        let directories = Self.includeDirectories(arguments)
        var manifest: [[String]] = []
        var seen: Set<String> = []
        var contents: [String: [UInt8]] = [:]
        for inclusion in inclusions where seen.insert(inclusion.path).inserted {
            let bytes = try? FileBytes(path: inclusion.path).bytes
            contents[inclusion.path] = bytes
            manifest.append([paths.form(inclusion.path), bytes.map { $0.withUnsafeBytes(Self.digest) } ?? "absent"])
        }
        // `__has_include` asks about a file it does not include: what it
        // found is not in the manifest.
        let probe = NeedleSearch(Array("__has_include".utf8))
        for bytes in contents.values where bytes.withUnsafeBytes({ raw in
            raw.baseAddress.map { probe.firstOccurrence(in: $0, count: raw.count) != nil } ?? false
        }) {
            return nil
        }
        var absent: Set<String> = []
        for inclusion in inclusions {
            var names: Set<String> = []
            for directory in directories where inclusion.path.hasPrefix(directory + "/") {
                names.insert(String(inclusion.path.dropFirst(directory.count + 1)))
            }
            var searched = directories
            if let from = inclusion.includedFrom, let includer = from.file {
                searched.append((includer as NSString).deletingLastPathComponent)
                if let spelled = contents[includer].flatMap({ Self.spelledName($0, at: from.offset) }) {
                    names.insert(spelled)
                }
            }
            for name in names where !name.hasPrefix("/") {
                for directory in searched {
                    let candidate = directory + "/" + name
                    if candidate != inclusion.path, !ManifestReader.isFile(candidate) {
                        absent.insert(paths.form(candidate))
                    }
                }
            }
        }
        return (manifest, absent.sorted())
    }

    /// True when every file of `manifest` still has the content it had and
    /// no path of `absent` has become a file.
    static func isCurrent(manifest: [[String]], absent: [String], paths: PathForm) -> Bool {
        let reader = ManifestReader()
        return manifest.allSatisfy { $0.count == 2 && reader.digest(ofFile: paths.restore($0[0])) == $0[1] }
            && absent.allSatisfy { !ManifestReader.isFile(paths.restore($0)) }
    }

    /// The include search directories of `arguments`, in order.
    static func includeDirectories(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            for option in ["-isystem", "-iquote", "-idirafter", "-I"] where argument.hasPrefix(option) {
                if argument == option {
                    if i + 1 < arguments.count { result.append(arguments[i + 1]); i += 1 }
                } else {
                    result.append(String(argument.dropFirst(option.count)))
                }
                break
            }
            i += 1
        }
        return result.map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The name in an `#include <name>` or `#include "name"` whose name
    /// starts at `offset` (nil when the directive names it by a macro).
    static func spelledName(_ bytes: [UInt8], at offset: Int) -> String? {
        guard offset < bytes.count else { return nil }
        let close: UInt8
        switch bytes[offset] {
        case UInt8(ascii: "<"): close = UInt8(ascii: ">")
        case UInt8(ascii: "\""): close = UInt8(ascii: "\"")
        default: return nil
        }
        var end = offset + 1
        while end < bytes.count, bytes[end] != close, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        guard end < bytes.count, bytes[end] == close, end > offset + 1 else { return nil }
        return String(decoding: bytes[(offset + 1)..<end], as: UTF8.self)
    }

    // MARK: - Storage

    private func load(_ name: String) -> [String: Any]? {
        Self.load(name + ".json", in: directory)
    }

    /// Writes an entry atomically: a temporary file in the same folder,
    /// renamed over the old entry.
    private func store(_ name: String, _ entry: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) else { return }
        Self.writeAtomically(data, to: name + ".json", in: directory)
    }

    /// Writes `data` to `directory/name` atomically: a temporary file in the
    /// same folder (created if need be), renamed over the old one. False
    /// when it could not.
    @discardableResult
    static func writeAtomically(_ data: Data, to name: String, in directory: String) -> Bool {
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])) != nil
        else { return false }
        var template = Array((directory + "/." + name + ".XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return false }
        let temporary = String(cString: template)
        var written = 0
        data.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 { if errno == EINTR { continue }; return }
                written += n
            }
        }
        let closed = close(fd) == 0
        guard written == data.count, closed, rename(temporary, directory + "/" + name) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Loads the JSON object `directory/name`, if there is one.
    static func load(_ name: String, in directory: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    // MARK: - Hashing

    /// The 128-bit content hash of some bytes, in hex.
    static func digest(_ bytes: UnsafeRawBufferPointer) -> String {
        var out: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &out) { raw in
            ns_hash128(bytes.baseAddress, bytes.count, 0, raw.baseAddress!.assumingMemoryBound(to: UInt64.self))
        }
        return hex(out.0) + hex(out.1)
    }

    static func digest(_ text: String) -> String {
        var text = text
        return text.withUTF8 { digest(UnsafeRawBufferPointer($0)) }
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// Paths and texts with the run's temporary stub folder taken out, so
    /// an entry made in one run matches the next.
    struct PathForm {
        let objtree: String

        /// A path as recorded: `@objtree/…` inside the stub folder, else as is
        /// (absolute paths start with `/`, so the forms cannot be confused).
        func form(_ path: String) -> String {
            path.hasPrefix(objtree + "/") ? "@objtree" + path.dropFirst(objtree.count) : path
        }

        func restore(_ path: String) -> String {
            path.hasPrefix("@objtree/") ? objtree + path.dropFirst("@objtree".count) : path
        }

        /// A text split where the stub folder's path appears in it.
        func segments(_ text: String) -> [String] {
            text.components(separatedBy: objtree)
        }

        func join(_ segments: [String]) -> String {
            segments.joined(separator: objtree)
        }
    }
}

/// Reads files for their content hash, one buffer for all.
final class ManifestReader {
    private let buffer = ReadBuffer()

    /// The file's content hash, or "absent" when it cannot be read.
    func digest(ofFile path: String) -> String {
        (try? buffer.withContents(of: path) { ConfigurationCache.digest($0) }) ?? "absent"
    }

    /// True when `path` is a regular file (symbolic links followed).
    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
