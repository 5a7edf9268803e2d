import Foundation

/// What kbuild adds to one file's compile from the Makefiles of its
/// directory and the directories above it: the `subdir-ccflags-y` of every
/// directory make descends through, and the `ccflags-y`, `EXTRA_CFLAGS`
/// and `CFLAGS_<object>.o` of the Makefile that builds it — as far as they
/// change what the preprocessor sees (`-I`, `-iquote`, `-include`, `-D`,
/// `-U`).
///
/// Drivers keep their headers next to their sources and say so in their
/// Makefile (`ccflags-y := -I$(FULL_AMD_PATH)/include`,
/// `CFLAGS_proto.o := -I$(src)`); without it their files meet
/// "file not found" and are not analysed at all.
///
/// The Makefile that builds a file is not always its directory's: amdgpu's
/// Makefile `include`s the amdkfd, pm and display Makefiles and builds
/// their files itself (`../amdkfd/kfd_svm.o`), with its own flags; nouveau's
/// `Kbuild` builds `nvkm/engine/gr/gf100.o` the same way. The builder is the
/// nearest directory whose Makefile has `obj-` lists and names the file's
/// object, looked for in the file's directory, its ancestors, and the
/// directories an ancestor descends into next to the file's
/// (`obj-$(CONFIG_DRM_AMDGPU) += amd/amdgpu/` for `amd/display/…`); when
/// none names it, the file's own directory.
///
/// Makefiles are read through the tree and evaluated with `MakeEvaluator`
/// (nothing is run), once per directory and set of options in a run.
final class KbuildDirectoryFlags: @unchecked Sendable {
    let tree: KernelTree
    let architecture: String
    /// The kbuild output directory (`$(objtree)`): generated headers.
    let objtree: String
    /// The configuration's symbols (without `CONFIG_`), as in autoconf.h.
    let symbols: [String: String]

    /// Whether the tree's kbuild names an object's own flags by its file
    /// name alone (`CFLAGS_$(basetarget).o`, up to 5.x) rather than by its
    /// path from the Makefile (`CFLAGS_$(target-stem).o`).
    let usesBaseTarget: Bool

    private let lock = NSLock()
    private var evaluations: [String: Evaluation] = [:]

    init(tree: KernelTree, architecture: String, objtree: String, symbols: [String: String]) {
        self.tree = tree
        self.architecture = architecture
        self.objtree = objtree
        self.symbols = symbols
        usesBaseTarget = tree.text("scripts/Makefile.lib")?.contains("CFLAGS_$(basetarget).o") ?? false
    }

    /// The arguments kbuild's Makefiles add for `relativePath`, with
    /// `options` (without `CONFIG_`) set on top of the configuration (the
    /// options the file's Makefile builds it with).
    func arguments(forFile relativePath: String, options: [String] = []) -> [String] {
        let builder = builder(forFile: relativePath)
        let options = Array(Set(options)).sorted()
        var values: [String] = []
        for ancestor in Self.ancestors(of: builder) {
            values.append(evaluation(ancestor, options: options).value("subdir-ccflags-y"))
        }
        let own = evaluation(builder, options: options)
        var stem = Self.relativePath(from: builder, to: String(relativePath.dropLast(2)))
        if usesBaseTarget { stem = String(stem.split(separator: "/").last ?? "") }
        for name in ["subdir-ccflags-y", "ccflags-y", "EXTRA_CFLAGS", "CFLAGS_\(stem).o"] {
            values.append(own.value(name))
        }
        var arguments: [String] = []
        var seen: Set<[String]> = []
        for flag in values.flatMap(PreprocessorFlagWords.flags(in:)) {
            for argument in resolve(flag) where seen.insert(argument).inserted {
                arguments += argument
            }
        }
        return arguments
    }

    /// The directory whose Makefile builds `relativePath` (see the type's
    /// comment).
    func builder(forFile relativePath: String) -> String {
        let directory = Self.parent(relativePath)
        let object = String(relativePath.dropLast(2)) + ".o"
        func builds(_ candidate: String) -> Bool {
            let listing = evaluation(candidate, options: nil)
            return listing.hasObjectLists && listing.objects.contains(object)
        }
        if builds(directory) { return directory }
        var child = directory
        var ancestor = Self.parent(directory)
        while !ancestor.isEmpty {
            if builds(ancestor) { return ancestor }
            let listing = evaluation(ancestor, options: nil)
            // Subdirectories it descends into beside the file's own branch.
            let branch = child.hasPrefix(ancestor + "/") ? ancestor + "/" + Self.components(
                String(child.dropFirst(ancestor.count + 1)))[0] : child
            for sub in listing.subdirectories.sorted()
            where (sub == branch || sub.hasPrefix(branch + "/")) && !directory.hasPrefix(sub + "/") && sub != directory {
                if builds(sub) { return sub }
            }
            if listing.hasObjectLists { break }
            child = ancestor
            ancestor = Self.parent(ancestor)
        }
        return directory
    }

    // MARK: evaluating a directory's Makefile

    /// One directory's kbuild file, evaluated.
    struct Evaluation {
        var make: MakeEvaluator?
        /// Objects named anywhere in it, tree-relative (`drivers/x/y.o`).
        var objects: Set<String> = []
        /// Directories its `obj-`/`subdir-` lists descend into, tree-relative.
        var subdirectories: Set<String> = []
        /// Whether it has `obj-` lists at all: make descends into it to build.
        var hasObjectLists = false

        func value(_ name: String) -> String { make?.value(of: name) ?? "" }
    }

    /// The directory's kbuild file evaluated with the configuration and
    /// `options`, or — `options` nil — with every branch taken, for what
    /// it lists in any configuration.
    private func evaluation(_ directory: String, options: [String]?) -> Evaluation {
        let key = directory + "\0" + (options?.joined(separator: ",") ?? "*")
        lock.lock()
        defer { lock.unlock() }
        if let cached = evaluations[key] { return cached }
        var result = Evaluation()
        if let text = kbuildFile(directory) {
            var configuration = symbols
            for option in options ?? [] where configuration[option] == nil { configuration[option] = "1" }
            let root = tree.root
            let tree = self.tree
            var make = MakeEvaluator(
                configuration: configuration,
                variables: ["srctree": root, "srcroot": root, "TOPDIR": root, "objtree": objtree,
                            "src": directory, "obj": directory, "ARCH": architecture, "SRCARCH": architecture,
                            "comma": ",", "empty": "", "space": " ", "quote": "\"", "squote": "'"],
                read: { path in
                    let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
                    guard !relative.hasPrefix("/") else { return nil }
                    return tree.text(Self.normalized(relative))
                })
            make.takesEveryBranch = options == nil
            make.evaluate(text)
            if options == nil {
                for (name, _) in make.variables {
                    let words = (make.value(of: name) ?? "").split(whereSeparator: \.isWhitespace)
                    let isList = name.hasPrefix("obj-") || name.hasPrefix("subdir-")
                    if name.hasPrefix("obj-") && !words.isEmpty { result.hasObjectLists = true }
                    for word in words {
                        if word.hasSuffix(".o") {
                            result.objects.insert(Self.normalized(directory + "/" + word))
                        } else if isList && word.hasSuffix("/") {
                            result.subdirectories.insert(Self.normalized(directory + "/" + word.dropLast()))
                        }
                    }
                }
            }
            result.make = make
        }
        evaluations[key] = result
        return result
    }

    /// `Kbuild`, else `Makefile` — but not `arch/ARCH/Makefile`, which is
    /// the architecture's (ArchitectureFlags), not a directory make descends
    /// into; the top directory's is not a kbuild file either.
    private func kbuildFile(_ directory: String) -> String? {
        guard !directory.isEmpty else { return nil }
        if let text = tree.text(directory + "/Kbuild") { return text }
        let parts = Self.components(directory)
        if parts.count <= 2 && parts.first == "arch" { return nil }
        return tree.text(directory + "/Makefile")
    }

    // MARK: paths

    /// A flag with its path made absolute: kbuild compiles in `$(objtree)`
    /// and prepends `$(srctree)` to relative include paths, so a relative
    /// path (`-Idrivers/media/dvb/dvb-core`, `-I$(src)`) is looked for in
    /// both; only directories and files that exist in the tree or the
    /// output directory are kept.
    private func resolve(_ flag: PreprocessorFlagWords.Flag) -> [[String]] {
        switch flag {
        case .define(let define):
            return [[define]]
        case .path(let option, let path):
            let candidates = path.hasPrefix("/") ? [Self.normalized(path)]
                : [tree.root + "/" + path, objtree + "/" + path].map(Self.normalized)
            var found: [[String]] = []
            for candidate in candidates {
                // In the tree or the output directory (`-I.`: their top), never the host's.
                guard [tree.root, objtree].contains(where: { candidate == $0 || candidate.hasPrefix($0 + "/") })
                else { continue }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory),
                      isDirectory.boolValue == (option != "-include") else { continue }
                found.append([option, candidate])
                if option == "-include" { break }
            }
            return found
        }
    }

    /// The directories make descends through to reach `directory`,
    /// outermost first, without `directory` itself.
    static func ancestors(of directory: String) -> [String] {
        let parts = components(directory)
        guard parts.count > 1 else { return [] }
        return (1..<parts.count).map { parts[0..<$0].joined(separator: "/") }
    }

    /// `drivers/a/b` → `drivers/a`; `drivers` → "".
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init)
    }

    /// `a/./b/../c` → `a/c` (textually, as make and the compiler see a
    /// path; a leading `/` is kept).
    static func normalized(_ path: String) -> String {
        var parts: [String] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(String(part))
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// The path of `target` as written from `directory`, as kbuild's
    /// target stem (`amdgpu_mn`, `gt/intel_gt`, `../display/dc/core/dc`).
    static func relativePath(from directory: String, to target: String) -> String {
        let from = components(directory), to = components(target)
        var common = 0
        while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
