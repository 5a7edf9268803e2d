import Foundation

/// How convert splits, signs and dates its series.
public struct SeriesOptions: Sendable {
    /// One patch per function, or per file. (Not per site: the sites of one
    /// function share the locals and the flag the conversion declares.)
    public enum Split: String, Sendable, CaseIterable {
        case function, file
    }

    public var split: Split
    public var subjectPrefix: String
    /// `From:`, and `Signed-off-by:` when `signoff` is set.
    public var author: AuthorIdentity
    public var signoff: Bool
    /// The date of every message.
    public var date: MessageDate
    /// Only the deletion patch (`check --fix`, `convert --delete-only`).
    public var deleteOnly: Bool

    public init(split: Split = .function, subjectPrefix: String = "PATCH", author: AuthorIdentity,
                signoff: Bool = false, date: MessageDate, deleteOnly: Bool = false) {
        self.split = split
        self.subjectPrefix = subjectPrefix
        self.author = author
        self.signoff = signoff
        self.date = date
        self.deleteOnly = deleteOnly
    }

    /// The same from text, for fixed identities and dates in tests and the
    /// fuzzer (`Name <email>`, any form `--date` accepts); signed off.
    public init(split: Split = .function, subjectPrefix: String = "PATCH", author: String, signoff: Bool = true,
                date: String, deleteOnly: Bool = false) {
        self.init(split: split, subjectPrefix: subjectPrefix,
                  author: AuthorIdentity(parsing: author) ?? AuthorIdentity(name: author, email: "invalid"),
                  signoff: signoff, date: MessageDate.parse(date) ?? MessageDate(seconds: 0, zoneMinutes: 0),
                  deleteOnly: deleteOnly)
    }
}

/// A whole series: the cover letter, the patches, and what the tree looks
/// like after them.
public struct Series: Sendable {
    public var cover: MailPatch
    public var patches: [MailPatch]
    /// Every changed file's final bytes (for `--in-place`), tree-relative.
    public var finalFiles: [String: [UInt8]]
    /// The original bytes of the changed files (to check nothing moved).
    public var originalFiles: [String: [UInt8]]
    /// Macros the last patch deletes.
    public var deletedMacros: [String]
    public var options: SeriesOptions
    /// What the series applies to (`SeriesBase.detect`); the cover letter
    /// says nothing about it while nil.
    public var base: SeriesBase?

    /// The files the series changes, tree-relative.
    public var touchedPaths: [String] { finalFiles.keys.sorted() }

    /// The messages, in order, rendered.
    public func rendered() -> [(name: String, bytes: [UInt8])] {
        ([cover] + patches).map {
            ($0.fileName, $0.render(from: options.author, date: options.date, prefix: options.subjectPrefix,
                                    signoff: $0.number == 0 || !options.signoff ? nil : options.author,
                                    trailer: $0.number == 0 ? base?.trailer : nil))
        }
    }

    /// Adds each patch's `Cc:` (the cover letter gets them all): the
    /// tree's get_maintainer.pl run on each rendered patch.
    public mutating func addMaintainers(tree: KernelTree) throws(NotifySplitError) {
        let addresses = try MaintainerCc.addresses(tree: tree, patches: Array(rendered().dropFirst()))
        for (i, list) in addresses.enumerated() { patches[i].cc = list }
        cover.cc = MaintainerCc.union(addresses)
    }
}

/// Groups the conversion's edits into patches and writes their messages.
public struct SeriesBuilder {
    let conversion: Conversion
    let options: SeriesOptions
    /// What the audit says of the converted functions (`StillAtomic.audit`
    /// on a first build of the series), for the messages.
    let stillAtomic: StillAtomic?

    public init(conversion: Conversion, options: SeriesOptions, stillAtomic: StillAtomic? = nil) {
        self.conversion = conversion
        self.options = options
        self.stillAtomic = stillAtomic
    }

    struct Unit {
        var path: String
        var function: String?
        var edits: [Edit]
        var sites: [CallSite]
    }

    public func build() throws(NotifySplitError) -> Series {
        let tree = conversion.scan.tree
        var units: [Unit] = []
        if !options.deleteOnly {
            for file in conversion.files where !file.functions.isEmpty {
                switch options.split {
                case .file:
                    units.append(Unit(path: file.path, function: nil, edits: file.allEdits,
                                      sites: file.functions.flatMap(\.sites)))
                case .function:
                    // Sites of one function share its declaration: a function
                    // with several sites stays one patch.
                    for function in file.functions {
                        units.append(Unit(path: file.path, function: function.function, edits: function.edits,
                                          sites: function.sites))
                    }
                }
            }
        }
        // The deletion: macros with no use left after the series.
        let converted = Set(units.flatMap(\.sites).map(\.id))
        let remaining = conversion.scan.sites.filter { !converted.contains($0.id) }
        // A wrapper's definition that mentions a macro keeps it too, as
        // check counts it (the wrapper would dangle otherwise).
        let wrapped = Self.macrosNamedByWrappers(conversion.scan.wrappers)
        let deletable = conversion.scan.model.macros.filter { macro in
            !macro.definitions.isEmpty && !remaining.contains { $0.macro == macro.name }
                && !wrapped.contains(macro.name)
        }.map(\.name)
        let header = KernelTree.notifierHeader
        var deletion = HeaderDeletion.Result()
        var headerBytes: [UInt8] = []
        if !deletable.isEmpty {
            do { headerBytes = try FileBytes(path: tree.absolute(header)).bytes } catch { throw .io("\(error)") }
            deletion = HeaderDeletion(bytes: headerBytes, model: conversion.scan.model)
                .edits(removing: Set(deletable))
        }
        let headerEdits = deletion.edits

        // Diffs, each against the file as the patches before it left it.
        var applied: [String: [Edit]] = [:]
        var originals: [String: [UInt8]] = [:]
        for file in conversion.files { originals[file.path] = file.original }
        if !headerEdits.isEmpty { originals[header] = headerBytes }
        func step(_ path: String, _ edits: [Edit]) throws(NotifySplitError) -> FileDiff? {
            guard let original = originals[path] else { return nil }
            let before = Edit.apply(applied[path] ?? [], to: original)
            applied[path, default: []] += edits
            guard let before, let after = Edit.apply(applied[path]!, to: original) else {
                throw .internal("the edits of \(path) overlap across patches")
            }
            var diff = FileDiff(path: path, old: before, new: after)
            var info = stat()
            if stat(tree.absolute(path), &info) == 0, info.st_mode & 0o111 != 0 { diff?.mode = "100755" }
            return diff
        }
        let messages = PatchMessage(conversion: conversion, stillAtomic: stillAtomic)
        var bodies: [(subject: String, body: String, diffs: [FileDiff], sites: [CallSite])] = []
        for unit in units {
            guard let diff = try step(unit.path, unit.edits) else { continue }
            let ids = Set(unit.sites.map(\.id))
            let decisions = conversion.decisions.filter { ids.contains($0.site.id) }
            bodies.append((messages.subject(path: unit.path, function: unit.function, decisions: decisions),
                           messages.body(decisions: decisions, original: originals[unit.path] ?? []),
                           [diff], unit.sites))
        }
        if !headerEdits.isEmpty, let diff = try step(header, headerEdits) {
            bodies.append((messages.deletionSubject(deletable),
                           messages.deletionBody(deletable, afterSeries: !bodies.isEmpty, edits: deletion),
                           [diff], []))
        }
        let total = bodies.count
        let patches = bodies.enumerated().map { i, message in
            MailPatch(number: i + 1, total: total, subject: message.subject, body: message.body, diffs: message.diffs,
                      sites: message.sites)
        }
        var finals: [String: [UInt8]] = [:]
        for (path, edits) in applied { finals[path] = Edit.apply(edits, to: originals[path]!) }
        let cover = MailPatch(number: 0, total: total, subject: coverSubject(deleted: deletable),
                              body: CoverLetter(conversion: conversion, patches: patches, deleted: deletable,
                                                author: options.author, deleteOnly: options.deleteOnly,
                                                stillAtomic: stillAtomic).text(),
                              diffs: [])
        return Series(cover: cover, patches: patches, finalFiles: finals,
                      originalFiles: originals.filter { finals[$0.key] != nil }, deletedMacros: deletable,
                      options: options)
    }

    /// Every name some wrapper macro's definition reaches, directly or
    /// through other wrappers.
    static func macrosNamedByWrappers(_ wrappers: [TreeTokenScan.Wrapper]) -> Set<String> {
        var named = Set<String>()
        var queue = wrappers.flatMap(\.expandsTo)
        let byName = Dictionary(wrappers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        while let name = queue.popLast() {
            guard named.insert(name).inserted else { continue }
            queue += byName[name]?.expandsTo ?? []
        }
        return named
    }

    private func coverSubject(deleted: [String]) -> String {
        options.deleteOnly ? "mm/mmu_notifier: remove unused notify macros"
            : "mm: notify secondary MMUs after the PTL unlock"
    }
}
