import Clang
import Foundation

/// Precompiled preambles kept between runs: the `#include` block of a
/// kernel `.c` file is most of its parse (Debian 6.1's mm/memory.c: 0.45 s
/// whole, 0.07 s for the rest against its preamble's AST file), and the
/// same on every run until a header changes.
///
/// Kept outside the tree, under `$XDG_CACHE_HOME/notifysplit/preamble`
/// (default `~/.cache/notifysplit/preamble`), one AST file and one small
/// entry (`PreambleEntry`) per preamble text, folder and arguments. An AST
/// file embeds the headers it was made from (`-fmodules-embed-all-files`):
/// it never reads them again, so it is used only while the entry's manifest
/// holds —
/// every file the preamble read still has the content it had, and no file
/// has appeared where the preprocessor would have found it first (the
/// configuration cache's manifest, `ConfigurationCache.record`). An entry
/// is also keyed by the tool's build and the libclang version.
///
/// A unit parsed against a preamble visits only the main file's own
/// declarations and macro expansions (`Index(excludeDeclarationsFromPCH:)`);
/// reading every declaration of the AST file back would cost what it
/// saved. Cursors reached from them (a callee, a macro's definition) are
/// read in as needed. A caller that walks the headers' declarations parses
/// whole (`FileParser.parse(…, wholeParse:)`).
///
/// The cache never decides an answer: a preamble whose parse has an error,
/// or a file whose parse against it has one, is parsed whole instead, as
/// without the cache (`FileParser`). The oldest AST files are removed when
/// the folder outgrows its limit (2 GiB, or `NOTIFYSPLIT_PREAMBLE_CACHE_MB`).
public struct PreambleCache: Sendable, Equatable {
    /// The folder holding the entries.
    public let directory: String
    /// The run's temporary folder of generated headers (recorded as
    /// `@objtree`, so the next run's folder matches), if any.
    let objtree: String?
    /// Bytes of AST files the folder may hold.
    let limit: Int
    /// The headers' hashes, shared by every copy of this cache in a run.
    let memo: ManifestMemo

    public init(directory: String, objtree: String?, limit: Int = 2 << 30) {
        self.init(directory: directory, objtree: objtree, limit: limit, memo: ManifestMemo())
    }

    private init(directory: String, objtree: String?, limit: Int, memo: ManifestMemo) {
        self.directory = directory
        self.objtree = objtree
        self.limit = limit
        self.memo = memo
    }

    public static func == (a: PreambleCache, b: PreambleCache) -> Bool {
        a.directory == b.directory && a.objtree == b.objtree && a.limit == b.limit
    }

    /// The user's cache, beside the configuration cache's; nil when
    /// `NOTIFYSPLIT_NO_CACHE` is set (as `ConfigurationCache.user`).
    public static func user(environment: [String: String] = ProcessInfo.processInfo.environment) -> PreambleCache? {
        guard let configuration = ConfigurationCache.user(environment: environment) else { return nil }
        let megabytes = environment["NOTIFYSPLIT_PREAMBLE_CACHE_MB"].flatMap { Int($0) }
        return PreambleCache(directory: (configuration.directory as NSString).deletingLastPathComponent + "/preamble",
                             objtree: nil, limit: megabytes.map { max(0, $0) << 20 } ?? 2 << 30)
    }

    /// The same cache for arguments that name `objtree`, a run's
    /// temporary folder of generated headers.
    public func with(objtree: String) -> PreambleCache {
        PreambleCache(directory: directory, objtree: objtree, limit: limit, memo: memo)
    }

    /// `path` (absolute) parsed with `arguments` against its preamble's AST
    /// file — made now if there is none yet — or nil when it cannot be: no
    /// preamble, unsaved contents for a file the preamble reads (or would
    /// find first), an error in the preamble or in the rest, a cache that
    /// cannot be written. Then the caller parses the file whole.
    func parse(path: String, arguments: [String], unsavedFiles: [TranslationUnit.UnsavedFile],
               options: TranslationUnit.Options) -> TranslationUnit? {
        guard limit > 0 else { return nil }
        let main = unsavedFiles.first { $0.path == path }
        guard let contents = main?.contents ?? (try? FileBytes(path: path).bytes) else { return nil }
        let length = SourcePreamble.length(of: contents)
        guard length > 0 else { return nil }
        let bytes = Array(contents[..<length])
        // Without a temporary folder nothing is taken out (a NUL is in no path).
        let paths = ConfigurationCache.PathForm(objtree: objtree ?? "\u{0}")
        let normalized = ConfigurationCache.digest(arguments.map(paths.segments).description)
        let folder = (path as NSString).deletingLastPathComponent
        let key = ConfigurationCache.digest(
            [ConfigurationCache.identity, folder, normalized,
             bytes.withUnsafeBytes(ConfigurationCache.digest)].joined(separator: "\n"))
        let astFile = directory + "/" + key + ".pch"
        let preamble = TranslationUnit.PrecompiledPreamble(astFile: astFile, bytes: bytes)

        let name = (path as NSString).lastPathComponent
        // The contents read here are the ones parsed (not read again).
        let unsavedFiles = main == nil ? unsavedFiles + [.init(path: path, contents: contents)] : unsavedFiles
        // The AST file is made from the files on disk: it serves while no
        // unsaved file (a series' other files) is one the preamble read or
        // would have found first.
        let others = Set(unsavedFiles.filter { $0.path != path }.map { paths.form($0.path) })
        func unaffected(_ entry: PreambleEntry) -> Bool {
            others.isEmpty || !(entry.manifest?.contains { others.contains($0.path) } ?? true)
                && !entry.absent.contains(where: others.contains)
        }
        if let entry = PhaseTimes.measure("    preamble entry \(name)", { load(key) }),
           entry.identity == ConfigurationCache.identity, entry.folder == folder, entry.arguments == normalized {
            let current = PhaseTimes.measure("    preamble manifest \(name)") {
                entry.manifest.map { memo.isCurrent($0, absent: entry.absent, paths: paths) }
            }
            // An unusable preamble stays so until a file it read changes
            // (for ever, when what it read could not be recorded).
            if entry.unusable, current ?? true { return nil }
            if !entry.unusable, current == true, FileManager.default.fileExists(atPath: astFile) {
                utime(astFile, nil)  // recently used: evicted last
                guard unaffected(entry) else { return nil }
                return PhaseTimes.measure("    parse against the preamble \(name)") {
                    parseAgainst(preamble, path: path, arguments: arguments, unsavedFiles: unsavedFiles,
                                 options: options)
                }
            }
        }
        guard let entry = build(preamble, key: key, folder: folder, arguments: arguments, normalized: normalized,
                                paths: paths, options: options), unaffected(entry) else { return nil }
        return parseAgainst(preamble, path: path, arguments: arguments, unsavedFiles: unsavedFiles,
                            options: options)
    }

    /// The parse of the file against its preamble; nil when it has an error
    /// (the whole parse then says what it is, as without the cache).
    private func parseAgainst(_ preamble: TranslationUnit.PrecompiledPreamble, path: String, arguments: [String],
                              unsavedFiles: [TranslationUnit.UnsavedFile],
                              options: TranslationUnit.Options) -> TranslationUnit? {
        guard let unit = try? TranslationUnit(index: Index(excludeDeclarationsFromPCH: true), path: path,
                                              arguments: Self.withoutForcedIncludes(arguments),
                                              unsavedFiles: unsavedFiles, options: options, preamble: preamble)
        else { return nil }
        return unit.diagnostics.contains(where: \.isError) ? nil : unit
    }

    /// Parses the preamble alone, from the files on disk, as a header in
    /// the file's folder (its quoted includes are found there), and stores
    /// its AST file and entry. Nil when it has an error or cannot be
    /// recorded or written (an entry then says not to try again while the
    /// arguments, the preamble and the files it read are the same).
    private func build(_ preamble: TranslationUnit.PrecompiledPreamble, key: String, folder: String,
                       arguments: [String], normalized: String, paths: ConfigurationCache.PathForm,
                       options: TranslationUnit.Options) -> PreambleEntry? {
        let header = folder + "/.notifysplit-preamble.h"
        let started = Date()
        var entry = PreambleEntry(identity: ConfigurationCache.identity, folder: folder, arguments: normalized,
                                  unusable: false, manifest: nil, absent: [])
        defer {
            PhaseTimes.note("    preamble made in \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
        }
        guard let unit = try? TranslationUnit(
            index: Index(), path: header, arguments: arguments + ["-Xclang", "-fmodules-embed-all-files"],
            unsavedFiles: [.init(path: header, contents: preamble.bytes + [UInt8(ascii: "\n")])],
            options: options.union([.incomplete, .forSerialization]))
        else { return nil }
        // A path with a line end cannot be written in an entry.
        let record = ConfigurationCache.record(unit.inclusions(), arguments: arguments, paths: paths)
            .flatMap { record in
                record.manifest.joined().contains(where: { $0.contains("\n") })
                    || record.absent.contains(where: { $0.contains("\n") }) ? nil : record
            }
        if let record {
            entry.manifest = record.manifest.map { ($0[0], $0[1]) }
            entry.absent = record.absent
        }
        guard !unit.diagnostics.contains(where: \.isError), record != nil else {
            entry.unusable = true
            store(entry, key: key)
            return nil
        }
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])) != nil
        else { return nil }
        let temporary = directory + "/." + key + ".pch." + UUID().uuidString
        guard (try? unit.save(to: temporary)) != nil, rename(temporary, preamble.astFile) == 0 else {
            unlink(temporary)
            return nil
        }
        guard store(entry, key: key) else { return nil }
        evictBeyondLimit(keeping: preamble.astFile)
        return entry
    }

    @discardableResult
    private func store(_ entry: PreambleEntry, key: String) -> Bool {
        ConfigurationCache.writeAtomically(Data(entry.text.utf8), to: key + ".entry", in: directory)
    }

    private func load(_ key: String) -> PreambleEntry? {
        (try? FileBytes(path: directory + "/" + key + ".entry").bytes)
            .flatMap { PreambleEntry(bytes: $0) }
    }

    /// Removes the least recently used AST files (and their entries), but
    /// the one about to be read, until the folder holds at most the limit.
    private func evictBeyondLimit(keeping current: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        var files: [(path: String, size: Int, used: Date)] = []
        for name in names where name.hasSuffix(".pch") && !name.hasPrefix(".") {
            let path = directory + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            files.append((path, (attributes[.size] as? Int) ?? 0,
                          (attributes[.modificationDate] as? Date) ?? .distantPast))
        }
        var total = files.reduce(0) { $0 + $1.size }
        for file in files.sorted(by: { $0.used < $1.used }) where total > limit && file.path != current {
            unlink(file.path)
            unlink(String(file.path.dropLast(4)) + ".entry")
            total -= file.size
        }
    }

    /// `arguments` without `-include FILE`: the forced includes come first
    /// in the preamble's parse, so its AST file holds them.
    static func withoutForcedIncludes(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var i = 0
        while i < arguments.count {
            if arguments[i] == "-include" {
                i += 2
                continue
            }
            if arguments[i].hasPrefix("-include"), !arguments[i].hasPrefix("-include-") {
                i += 1
                continue
            }
            result.append(arguments[i])
            i += 1
        }
        return result
    }
}
