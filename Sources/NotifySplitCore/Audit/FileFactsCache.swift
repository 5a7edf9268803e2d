import Clang
import Foundation

/// The audit's facts of each parsed file kept between runs, beside the
/// preamble cache (`…/notifysplit/facts`). An audit of Debian 6.1 parses
/// some 120 files, 20 s of its 25 s even against cached preambles; the
/// facts (`FileFacts`, plain data) are what it keeps of each parse, and
/// they are the same on every run until a file the parse read changes.
///
/// An entry is keyed by the tool's identity, the file, the configuration
/// and arguments it was parsed with (the run's temporary folder taken
/// out), the notifier names, the header inlines read and the series'
/// overlay. It is used only while its manifest holds, as a preamble's
/// (`PreambleEntry`, `ConfigurationCache.record`): every file the parse
/// read has the content it had, and no file has appeared where the
/// preprocessor would have found it first. Only a parse made with the first
/// configuration offered is kept, and with an error only when no other is
/// offered: then nothing but those files decided the facts (a later
/// configuration is tried only after an error). Without a preamble cache
/// (`--no-cache`, a compilation database) there is none.
struct FileFactsCache: Sendable {
    let directory: String
    /// The preamble cache's folder: a unit parsed against a preamble lists
    /// only the files read after it, the rest is its entry's manifest.
    let preambleDirectory: String
    let paths: ConfigurationCache.PathForm
    let memo: ManifestMemo

    /// Bytes the folder may hold; the least recently used entries go first.
    static let limit = 512 << 20

    /// The cache beside the preamble cache the file's configuration uses.
    init?(beside preambles: PreambleCache?) {
        guard let preambles else { return nil }
        directory = (preambles.directory as NSString).deletingLastPathComponent + "/facts"
        preambleDirectory = preambles.directory
        // Without a temporary folder nothing is taken out (a NUL is in no path).
        paths = ConfigurationCache.PathForm(objtree: preambles.objtree ?? "\u{0}")
        memo = preambles.memo
    }

    /// The key of the facts of `path` (absolute) parsed with `arguments` as
    /// given to libclang.
    func key(path: String, configuration: String, arguments: [String], names: NotifierNames,
             headerFunctions: Set<String>, overlay: String) -> String {
        let normalized = ConfigurationCache.digest(arguments.map(paths.segments).description)
        let notifiers = names.dispatch.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + names.macros.sorted { $0.key < $1.key }.map { "#\($0.key)=\($0.value)" }
        return ConfigurationCache.digest(
            ["facts 1", ConfigurationCache.identity, path, configuration, normalized, notifiers.joined(separator: " "),
             headerFunctions.sorted().joined(separator: " "), overlay].joined(separator: "\n"))
    }

    /// A digest of what a series' overlay holds.
    static func digest(of overlay: TreeOverlay) -> String {
        var parts: [String] = []
        for (path, bytes) in overlay.files.sorted(by: { $0.key < $1.key }) {
            parts.append(path + " " + bytes.withUnsafeBytes(ConfigurationCache.digest))
        }
        parts += overlay.deleted.sorted().map { "deleted " + $0 }
        return ConfigurationCache.digest(parts.joined(separator: "\n"))
    }

    /// The facts kept under `key`, if every file they came from is as it was.
    func load(_ key: String, path: String) -> FileFacts? {
        guard let bytes = try? FileBytes(path: directory + "/" + key + ".entry").bytes,
              let entry = PreambleEntry(bytes: bytes), entry.identity == ConfigurationCache.identity,
              entry.folder == path, entry.arguments == key, !entry.unusable, let manifest = entry.manifest,
              memo.isCurrent(manifest, absent: entry.absent, paths: paths),
              let data = FileManager.default.contents(atPath: directory + "/" + key + ".facts"),
              let facts = try? JSONDecoder().decode(FileFacts.self, from: data)
        else { return nil }
        utime(directory + "/" + key + ".entry", nil)  // recently used: trimmed last
        return facts
    }

    /// Keeps `facts` under `key` with the manifest of `unit`, the parse
    /// that gave them (with `arguments`, as given to libclang); false when
    /// it could not (what the parse read cannot be recorded: no
    /// `-nostdinc`, a `__has_include`, a path with a line end, a preamble
    /// whose entry is gone).
    @discardableResult
    func store(_ facts: FileFacts, key: String, path: String, unit: TranslationUnit, arguments: [String]) -> Bool {
        guard let record = ConfigurationCache.record(unit.inclusions(), arguments: arguments, paths: paths),
              !record.manifest.joined().contains(where: { $0.contains("\n") }),
              !record.absent.contains(where: { $0.contains("\n") }),
              let data = try? JSONEncoder().encode(facts)
        else { return false }
        var manifest = record.manifest.map { (path: $0[0], digest: $0[1]) }
        var absent = record.absent
        if let preamble = unit.preamble {
            // The AST file is named by its entry's key.
            let name = ((preamble.astFile as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let bytes = try? FileBytes(path: preambleDirectory + "/" + name + ".entry").bytes,
                  let entry = PreambleEntry(bytes: bytes), entry.identity == ConfigurationCache.identity,
                  !entry.unusable, let read = entry.manifest
            else { return false }
            manifest = read + manifest
            absent = Array(Set(absent).union(entry.absent)).sorted()
        }
        // A preamble entry's form, its fields holding the file and the key.
        let entry = PreambleEntry(identity: ConfigurationCache.identity, folder: path, arguments: key,
                                  unusable: false, manifest: manifest, absent: absent)
        // The facts first: an entry is never read without its facts.
        return ConfigurationCache.writeAtomically(data, to: key + ".facts", in: directory)
            && ConfigurationCache.writeAtomically(Data(entry.text.utf8), to: key + ".entry", in: directory)
    }

    /// Removes the least recently used entries until the folder holds at
    /// most `limit` bytes.
    static func trim(directory: String, limit: Int = limit) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        var entries: [(key: String, size: Int, used: Int)] = []
        var total = 0
        for name in names where name.hasSuffix(".entry") && !name.hasPrefix(".") {
            let key = String(name.dropLast(".entry".count))
            var entry = stat(), facts = stat()
            guard stat(directory + "/" + name, &entry) == 0 else { continue }
            let size = Int(entry.st_size) + (stat(directory + "/" + key + ".facts", &facts) == 0 ? Int(facts.st_size) : 0)
            entries.append((key, size, Int(entry.st_mtim.tv_sec)))
            total += size
        }
        for entry in entries.sorted(by: { $0.used < $1.used }) where total > limit {
            unlink(directory + "/" + entry.key + ".entry")
            unlink(directory + "/" + entry.key + ".facts")
            total -= entry.size
        }
    }
}
