import Foundation

/// The preprocessor flags kbuild passes to every C file, rebuilt from the
/// tree's own Makefiles: the include order and the forced `-include`s.
struct KbuildFlags: Sendable {
    let tree: KernelTree
    let architecture: Architecture
    /// The kbuild output directory holding generated headers (a real `O=`
    /// directory or the synthetic stub directory).
    let objtree: String
    /// libclang's builtin header directory (stdarg.h, stddef.h, …).
    let builtinIncludes: String?
    /// The configuration's symbols, for what the architecture Makefile adds
    /// (empty: nothing is added).
    var symbols: [String: String] = [:]

    /// `-nostdinc`, include order and forced includes for this tree's era.
    var preprocessorFlags: [String] {
        var flags = ["-nostdinc"]
        if let builtinIncludes { flags += ["-isystem", builtinIncludes] }
        let arch = architecture.name
        let src = tree.root
        // 6.x (and 2.6.28+) order, from the top Makefile's LINUXINCLUDE,
        // but the objtree's include/ before the tree's: kbuild never has a
        // file in both (it refuses an O= build of an unclean tree), so this
        // only matters when a tree carries build artifacts (its own
        // include/generated/, include/linux/autoconf.h, include/asm link),
        // which must not be read in place of this configuration's.
        let candidates: [String] = [
            "\(src)/arch/\(arch)/include",
            "\(objtree)/arch/\(arch)/include/generated",
            "\(objtree)/include",
            "\(src)/include",
            "\(src)/arch/\(arch)/include/uapi",
            "\(objtree)/arch/\(arch)/include/generated/uapi",
            "\(src)/include/uapi",
            "\(objtree)/include/generated/uapi",
        ]
        for directory in candidates where FileManager.default.fileExists(atPath: directory) {
            flags += ["-I", directory]
        }
        for header in forcedIncludes {
            flags += ["-include", header]
        }
        flags += ["-D__KERNEL__"]
        if !symbols.isEmpty {
            flags += ArchitectureFlags.evaluate(tree: tree, architecture: arch, symbols: symbols).preprocessorFlags
        }
        return flags
    }

    /// The `-include` files the tree's Makefiles force on every C file
    /// (`compiler-version.h`, `kconfig.h`, `compiler_types.h` in 6.x;
    /// `include/linux/autoconf.h` in 2.6), resolved to the tree or objtree.
    var forcedIncludes: [String] {
        var result: [String] = []
        for makefile in ["Makefile", "scripts/Makefile.lib"] {
            guard let text = tree.text(makefile) else { continue }
            for path in Self.forcedIncludePaths(in: text) {
                // A generated file (autoconf.h) from the objtree, never a
                // copy a build left in the tree.
                let inTree = tree.absolute(path)
                let inObj = objtree + "/" + path
                let resolved = FileManager.default.fileExists(atPath: inObj) ? inObj : inTree
                if !result.contains(resolved), FileManager.default.fileExists(atPath: resolved) {
                    result.append(resolved)
                }
            }
        }
        return result
    }

    /// `-include $(srctree)/include/linux/kconfig.h` → `include/linux/kconfig.h`.
    static func forcedIncludePaths(in makefile: String) -> [String] {
        var paths: [String] = []
        let words = makefile.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        for (i, word) in words.enumerated() where word == "-include" && i + 1 < words.count {
            var path = String(words[i + 1])
            for prefix in ["$(srctree)/", "$(objtree)/", "$(src)/"] where path.hasPrefix(prefix) {
                path.removeFirst(prefix.count)
            }
            if path.hasPrefix("include/"), path.hasSuffix(".h"), !path.contains("$") {
                paths.append(path)
            }
        }
        return paths
    }

    /// Flags that every kbuild C compile has, and the clang target for the
    /// configuration (x86-64 when there are no symbols to say otherwise).
    static func languageFlags(tree: KernelTree, architecture: Architecture,
                              symbols: [String: String] = ["64BIT": "1"]) -> [String] {
        var flags = ["-std=" + (tree.version >= KernelVersion(5, 18) ? "gnu11" : "gnu89")]
        flags += ArchitectureFlags.target(architecture: architecture.name, symbols: symbols, defines: [])
        // kbuild's -Werror=implicit-function-declaration and implicit-int
        // make a missing declaration an error (clang drops such statements
        // silently otherwise); its -Werror=return-type is left out: clang
        // 14 does not see BUILD_BUG() as noreturn in real configurations.
        flags += ["-Werror=implicit-function-declaration", "-Werror=implicit-int",
                  "-fno-strict-aliasing", "-fno-common", "-fshort-wchar", "-fno-PIE",
                  "-Wno-unknown-warning-option", "-Wno-gnu-variable-sized-type-not-at-end",
                  "-Wno-address-of-packed-member", "-Wno-pointer-sign", "-ferror-limit=0"]
        return flags
    }

    /// `KBUILD_MODNAME` and friends, which `pr_fmt()` and dynamic debug read.
    static func objectFlags(forFile relativePath: String) -> [String] {
        let base = (relativePath as NSString).lastPathComponent
        let stem = base.hasSuffix(".c") ? String(base.dropLast(2)) : base
        let name = stem.replacingOccurrences(of: "-", with: "_")
        return ["-DKBUILD_MODFILE=\"\(relativePath.dropLast(2))\"",
                "-DKBUILD_BASENAME=\"\(name)\"", "-DKBUILD_MODNAME=\"\(name)\"",
                "-D__KBUILD_MODNAME=kmod_\(name)"]
    }
}
