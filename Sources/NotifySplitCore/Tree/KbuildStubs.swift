import Foundation

/// Writes the headers kbuild would generate before compiling, as plausible
/// stand-ins, into `objtree`.
public struct KbuildStubs {
    /// Writes the stand-ins into `objtree` (for tools run outside notifysplit).
    public static func write(tree: KernelTree, architecture: Architecture,
                             objtree: String) throws(NotifySplitError) {
        do {
            try KbuildStubs(tree: tree, architecture: architecture, objtree: objtree).write()
        } catch {
            throw .io("cannot write configuration stubs to \(objtree): \(error)")
        }
    }

    let tree: KernelTree
    let architecture: Architecture
    let objtree: String

    func write() throws {
        let config = SyntheticKconfig.autoconfHeader(tree: tree, architecture: architecture)
        let bounds = """
            #ifndef __LINUX_BOUNDS_H__
            #define __LINUX_BOUNDS_H__
            #define NR_PAGEFLAGS 24
            #define MAX_NR_ZONES 5
            #define NR_CPUS_BITS 6
            #define SPINLOCK_SIZE 4
            #define LRU_GEN_WIDTH 3
            #define __LRU_REFS_WIDTH 2
            #define LRU_REFS_WIDTH 2
            #endif

            """
        let version = tree.version
        let code = version.version << 16 + version.patchLevel << 8 + min(version.subLevel, 255)
        let versionHeader = """
            #define LINUX_VERSION_CODE \(code)
            #define KERNEL_VERSION(a,b,c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
            #define LINUX_VERSION_MAJOR \(version.version)
            #define LINUX_VERSION_PATCHLEVEL \(version.patchLevel)
            #define LINUX_VERSION_SUBLEVEL \(version.subLevel)

            """
        let release = "#define UTS_RELEASE \"\(version)\"\n"
        // 6.x locations.
        try put("include/generated/autoconf.h", config)
        try put("include/generated/bounds.h", bounds)
        try put("include/generated/utsrelease.h", release)
        try put("include/generated/compile.h", "#define UTS_MACHINE \"x86_64\"\n")
        try put("include/generated/timeconst.h", Self.timeconst)
        try put("include/generated/asm-offsets.h", "")
        try put("include/generated/autoksyms.h", "")
        try put("include/generated/uapi/linux/version.h", versionHeader)
        // 2.6-era locations (include/linux/autoconf.h is forced with -include).
        try put("include/linux/autoconf.h", config)
        try put("include/linux/bounds.h", bounds)
        try put("include/linux/version.h", versionHeader)
        try put("include/linux/utsrelease.h", release)
        try put("include/asm/asm-offsets.h", "")
        try linkLegacyAsmDirectory()
        try writeAsmGenericWrappers(kbuild: "arch/\(architecture.name)/include/asm/Kbuild",
                                    mandatory: "include/asm-generic/Kbuild",
                                    archDirectory: "arch/\(architecture.name)/include/asm",
                                    into: "arch/\(architecture.name)/include/generated/asm",
                                    generic: "asm-generic")
        try writeAsmGenericWrappers(kbuild: "arch/\(architecture.name)/include/uapi/asm/Kbuild",
                                    mandatory: "include/uapi/asm-generic/Kbuild",
                                    archDirectory: "arch/\(architecture.name)/include/uapi/asm",
                                    into: "arch/\(architecture.name)/include/generated/uapi/asm",
                                    generic: "asm-generic")
        try writeSyscallNumbers()
    }

    private func put(_ relative: String, _ contents: String) throws {
        let path = objtree + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// 2.6-era trees reach `<asm/…>` through an `include/asm` symlink that
    /// `make` creates; make the same link in the stub directory.
    private func linkLegacyAsmDirectory() throws {
        let names = architecture.name == "x86" ? ["asm-x86", "asm-x86_64"] : ["asm-\(architecture.name)"]
        guard !tree.isDirectory("arch/\(architecture.name)/include/asm"),
              let legacy = names.first(where: { tree.isDirectory("include/\($0)") }) else { return }
        let link = objtree + "/include/asm"
        try? FileManager.default.removeItem(atPath: link + "/asm-offsets.h")
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link,
                                                   withDestinationPath: tree.absolute("include/\(legacy)"))
    }

    /// kbuild's scripts/Makefile.asm-generic: for each `generic-y` or
    /// `mandatory-y` header the architecture does not provide, a one-line
    /// wrapper including the asm-generic version. `generated-y` headers
    /// (syscall tables) get an empty stand-in unless written elsewhere.
    private func writeAsmGenericWrappers(kbuild: String, mandatory: String, archDirectory: String,
                                         into output: String, generic: String) throws {
        var wanted: [String] = []
        var generated: [String] = []
        for file in [kbuild, mandatory] {
            guard let text = tree.text(file) else { continue }
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard words.count >= 3, words[1] == "+=" else { continue }
                switch words[0] {
                case "generic-y", "mandatory-y": wanted += words[2...].map(String.init)
                case "generated-y": generated += words[2...].map(String.init)
                default: break
                }
            }
        }
        for header in Set(wanted) where !tree.exists(archDirectory + "/" + header) {
            try put(output + "/" + header, "#include <\(generic)/\(header)>\n")
        }
        for header in Set(generated) {
            try put(output + "/" + header, "")
        }
    }

    /// `<asm/unistd_64.h>` and friends from the tree's syscall tables.
    private func writeSyscallNumbers() throws {
        let arch = architecture.name
        let tables = [("syscall_64.tbl", "unistd_64.h", ["common", "64"], "__NR_"),
                      ("syscall_32.tbl", "unistd_32.h", ["i386"], "__NR_"),
                      ("syscall_64.tbl", "unistd_x32.h", ["common", "x32"], "__NR_")]
        for (table, header, abis, prefix) in tables {
            guard let text = tree.text("arch/\(arch)/entry/syscalls/\(table)") else { continue }
            var lines: [String] = []
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard words.count >= 3, abis.contains(String(words[1])), let number = Int(words[0])
                else { continue }
                lines.append("#define \(prefix)\(words[2]) \(number)")
            }
            try put("arch/\(arch)/include/generated/uapi/asm/\(header)", lines.joined(separator: "\n") + "\n")
        }
    }

    /// `include/generated/timeconst.h` for HZ=250.
    static let timeconst = """
        #define HZ_TO_MSEC_NUM 4
        #define HZ_TO_MSEC_DEN 1
        #define MSEC_TO_HZ_NUM 1
        #define MSEC_TO_HZ_DEN 4
        #define HZ_TO_USEC_NUM 4000
        #define HZ_TO_USEC_DEN 1
        #define USEC_TO_HZ_NUM 1
        #define USEC_TO_HZ_DEN 4000
        #define HZ_TO_MSEC_MUL32 0x80000000
        #define HZ_TO_MSEC_SHR32 29
        #define MSEC_TO_HZ_MUL32 0x80000000
        #define MSEC_TO_HZ_SHR32 33
        #define USEC_TO_HZ_MUL32 0x83126e98
        #define USEC_TO_HZ_SHR32 43
        #define HZ_TO_USEC_MUL32 0xfa000000
        #define HZ_TO_USEC_SHR32 22

        """
}
