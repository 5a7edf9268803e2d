import CClang
import Foundation

/// libclang's own builtin header directory (stddef.h, stdarg.h, …), which a
/// `-nostdinc` parse has to name explicitly, as kbuild does with
/// `-isystem $(CC -print-file-name=include)`.
public enum BuiltinHeaders {
    public static let directory: String? = {
        let version = libclangVersion
        // "Debian clang version 14.0.6" → "14.0.6" and "14".
        guard let full = version.split(separator: " ").first(where: {
            $0.first?.isNumber == true && $0.contains(".")
        }).map({ String($0.prefix { $0.isNumber || $0 == "." }) }),
              let major = full.split(separator: ".").first else { return nil }
        var candidates: [String] = []
        // The loaded library's own directory first (from the process map).
        if let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8),
           let line = maps.split(separator: "\n").first(where: { $0.contains("/libclang") }),
           let slash = line.firstIndex(of: "/") {
            let library = URL(fileURLWithPath: String(line[slash...])).resolvingSymlinksInPath()
            let libdir = library.deletingLastPathComponent().path
            candidates += ["\(libdir)/clang/\(full)/include", "\(libdir)/clang/\(major)/include",
                           "\(libdir)/../lib/clang/\(full)/include"]
        }
        candidates += ["/usr/lib/llvm-\(major)/lib/clang/\(full)/include",
                       "/usr/lib/llvm-\(major)/lib/clang/\(major)/include",
                       "/usr/lib/clang/\(full)/include", "/usr/lib/clang/\(major)/include"]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/stdarg.h") }
    }()
}
