import Foundation

/// The `area:` a kernel subject line starts with, from the file's path, as
/// people who route patches with `scripts/get_maintainer.pl` read it:
/// `mm/rmap.c` → `mm/rmap`, `kernel/events/uprobes.c` →
/// `kernel/events/uprobes`, `arch/x86/mm/pgtable.c` → `x86/mm/pgtable`.
/// A header under `include/linux/` takes the name of the `.c` file that
/// implements it (`include/linux/mmu_notifier.h` → `mm/mmu_notifier`).
enum SubjectArea {
    static func of(_ path: String, tree: KernelTree?) -> String {
        var stem = (path as NSString).deletingPathExtension
        for prefix in ["arch/", "drivers/"] where stem.hasPrefix(prefix) {
            stem.removeFirst(prefix.count)
        }
        if stem.hasPrefix("include/linux/") {
            let name = (stem as NSString).lastPathComponent
            if path == KernelTree.notifierHeader { return "mm/mmu_notifier" }
            for directory in ["mm", "kernel", "lib"] where tree?.exists("\(directory)/\(name).c") == true {
                return "\(directory)/\(name)"
            }
            return name
        }
        return stem
    }
}
