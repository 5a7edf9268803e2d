/// The asm header lists of kbuild's Kbuild files (read as
/// scripts/Makefile.asm-generic reads them): `generic-y` (an
/// architecture's wrapper of the asm-generic header), `mandatory-y`
/// (every architecture's, from `include/asm-generic/Kbuild`) and
/// `generated-y` (written by the build: syscall tables). A file's
/// `include` lines (5.0's `Kbuild.asm`) are followed.
struct AsmGenericLists {
    var generic = Set<String>()
    var mandatory = Set<String>()
    var generated = Set<String>()

    static func read(tree: KernelTree, files: [String]) -> AsmGenericLists {
        var lists = AsmGenericLists()
        var pending = files
        var read: Set<String> = []
        while let file = pending.first {
            pending.removeFirst()
            guard read.insert(file).inserted, let text = tree.text(file) else { continue }
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if words.count == 2, words[0] == "include" {
                    pending.append(words[1].replacingOccurrences(of: "$(srctree)/", with: ""))
                    continue
                }
                guard words.count >= 3, words[1] == "+=" else { continue }
                let headers = words[2...].filter { !$0.hasPrefix("#") }
                switch words[0] {
                case "generic-y": lists.generic.formUnion(headers)
                case "mandatory-y": lists.mandatory.formUnion(headers)
                case "generated-y": lists.generated.formUnion(headers)
                default: break
                }
            }
        }
        return lists
    }
}
