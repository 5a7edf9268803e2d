import Foundation

/// Which configuration options kbuild needs to build a `.c` file, read from
/// the Makefiles: `obj-$(CONFIG_FS_XIP) += filemap_xip.o`, a list such as
/// `mmu-$(CONFIG_MMU) := … memory.o` that `obj-y` names as `$(mmu-y)`, a
/// composite object (`foo-y := a.o`, `obj-$(CONFIG_FOO) += foo.o`), an
/// `ifdef CONFIG_X` block, and the parent directory's
/// `obj-$(CONFIG_PERF_EVENTS) += events/`.
///
/// A file its configuration does not build is parsed against headers that
/// declare it differently (`static inline` stubs for what it defines), so
/// its errors say nothing about the tree.
enum KbuildObjectConditions {
    /// The options (without `CONFIG_`) that must be set for `relativePath`
    /// to be built; empty when it is built unconditionally, nil when the
    /// Makefiles do not say (then nothing is assumed).
    static func conditions(forFile relativePath: String, tree: KernelTree) -> [String]? {
        let directory = (relativePath as NSString).deletingLastPathComponent
        let object = ((relativePath as NSString).lastPathComponent as NSString).deletingPathExtension + ".o"
        return conditions(forWord: object, directory: directory, tree: tree)
    }

    private static func conditions(forWord word: String, directory: String, tree: KernelTree) -> [String]? {
        guard !directory.isEmpty else { return [] }  // the top Makefile's core-y/drivers-y
        let makefile = [directory + "/Kbuild", directory + "/Makefile"].lazy.compactMap(tree.text).first
        guard let makefile else { return nil }
        let assignments = Self.assignments(in: makefile)
        guard var found = search(word, in: assignments, depth: 0) else { return nil }
        // The directory itself must be built by its parent.
        let parent = (directory as NSString).deletingLastPathComponent
        let name = (directory as NSString).lastPathComponent + "/"
        if !parent.isEmpty, let outer = conditions(forWord: name, directory: parent, tree: tree) {
            found = outer + found
        }
        var unique: [String] = []
        for option in found where !unique.contains(option) { unique.append(option) }
        return unique
    }

    struct Assignment {
        var target: String
        var words: [String]
        /// Options of the enclosing `ifdef`/`ifeq (…,y)` blocks.
        var blockConditions: [String]
    }

    /// The first way `word` is built: the conditions along the chain of
    /// assignments from an `obj-…` list down to it.
    private static func search(_ word: String, in assignments: [Assignment], depth: Int) -> [String]? {
        guard depth < 5 else { return nil }
        for assignment in assignments where assignment.words.contains(word) {
            let target = assignment.target
            guard let dash = target.lastIndex(of: "-") else { continue }
            let base = String(target[..<dash])
            let suffix = String(target[target.index(after: dash)...])
            var own: [String]
            switch suffix {
            case "y", "m", "objs": own = []
            default:
                guard let option = option(in: suffix) else { continue }
                own = [option]
            }
            own = assignment.blockConditions + own
            if base == "obj" { return own }
            // `$(base-y)` named in another list, or `base.o` a composite object.
            for reference in ["$(\(base)-y)", base + ".o"] {
                if let outer = search(reference, in: assignments, depth: depth + 1) { return outer + own }
            }
        }
        return nil
    }

    /// `$(CONFIG_FOO)` → `FOO`.
    private static func option(in text: String) -> String? {
        guard text.hasPrefix("$(CONFIG_"), text.hasSuffix(")") else { return nil }
        return String(text.dropFirst(9).dropLast())
    }

    /// Assignments of a Makefile (continuation lines joined), with the
    /// options of the `ifdef CONFIG_X` / `ifeq ($(CONFIG_X),y)` /
    /// `ifneq ($(CONFIG_X),)` blocks around them. Other conditionals and
    /// `else` branches are entered with an unknown condition, which makes
    /// what they hold unusable.
    static func assignments(in makefile: String) -> [Assignment] {
        var joined: [String] = []
        var pending = ""
        for line in makefile.split(separator: "\n", omittingEmptySubsequences: false) {
            var text = String(line)
            if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
            if text.hasSuffix("\\") {
                pending += text.dropLast() + " "
                continue
            }
            joined.append(pending + text)
            pending = ""
        }
        var result: [Assignment] = []
        var blocks: [String?] = []
        for line in joined {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = words.first else { continue }
            switch first {
            case "ifdef":
                blocks.append(words.count == 2 && words[1].hasPrefix("CONFIG_") ? String(words[1].dropFirst(7)) : nil)
                continue
            case "ifeq", "ifneq":
                blocks.append(ifCondition(line, negated: first == "ifneq"))
                continue
            case "ifndef":
                blocks.append(nil)
                continue
            case "else":
                if !blocks.isEmpty { blocks[blocks.count - 1] = nil }
                continue
            case "endif":
                if !blocks.isEmpty { blocks.removeLast() }
                continue
            default:
                break
            }
            // `obj-$(CONFIG_DRM_AMDGPU)+= amdgpu.o`: the operator need not stand apart.
            guard let (name, _, value) = MakeEvaluator.assignment(line) else { continue }
            let target = name.trimmingCharacters(in: .whitespaces)
            guard !target.isEmpty, !target.contains(where: { $0 == " " || $0 == "\t" }) else { continue }
            // An assignment inside a block we cannot name is left out.
            guard blocks.allSatisfy({ $0 != nil }) else { continue }
            result.append(Assignment(target: target,
                                     words: value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init),
                                     blockConditions: blocks.compactMap { $0 }))
        }
        return result
    }

    /// `ifeq ($(CONFIG_X),y)` and `ifneq ($(CONFIG_X),)` → X; others nil.
    private static func ifCondition(_ line: String, negated: Bool) -> String? {
        let compact = line.filter { !$0.isWhitespace }
        let opening = negated ? "ifneq(" : "ifeq("
        guard compact.hasPrefix(opening + "$(CONFIG_"), compact.hasSuffix(")") else { return nil }
        let inside = compact.dropFirst(opening.count).dropLast()
        let parts = inside.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let option = option(in: String(parts[0])) else { return nil }
        if !negated && parts[1] == "y" { return option }
        if negated && parts[1].isEmpty { return option }
        return nil
    }
}
