import Foundation

/// The `<asm/unistd_*.h>` headers kbuild writes from an architecture's
/// syscall tables, as that tree's syscalls Makefile lists them: each
/// `$(uapi)/NAME.h` or `$(out)/NAME.h` target names its table
/// (`$(syscall32)`, `$(syscall64)`), the ABIs it keeps, a name prefix
/// (`ia32_`) and an offset (`__X32_SYSCALL_BIT`). The variable forms of 3.x
/// (`syshdr_abi_NAME := …`) and the target-specific ones of 5.x
/// (`$(out)/NAME.h: abis := …`) are both read. A `syscalls_*.h` table
/// (`__SYSCALL_64(…)` lines, read only by the architecture's own entry
/// code) gets an empty stand-in.
struct SyscallHeaders {
    struct Header: Equatable {
        /// Path relative to the objtree, e.g. `arch/x86/include/generated/uapi/asm/unistd_64.h`.
        var path: String
        var contents: String
    }

    /// The headers for `architecture` in `tree`; empty when it has no
    /// syscalls Makefile of this form.
    static func headers(tree: KernelTree, architecture: String) -> [Header] {
        let directories = ["arch/\(architecture)/entry/syscalls", "arch/\(architecture)/syscalls"]
        guard let directory = directories.first(where: { tree.exists($0 + "/Makefile") }),
              let makefile = tree.text(directory + "/Makefile") else { return [] }
        return headers(makefile: makefile, architecture: architecture) { tree.text(directory + "/" + $0) }
    }

    /// The headers a syscalls Makefile describes; `table` reads a table file
    /// of the Makefile's directory by name.
    static func headers(makefile: String, architecture: String, table: (String) -> String?) -> [Header] {
        let lines = makefile.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var variables: [String: String] = [:]
        var targetVariables: [String: [String: String]] = [:]
        var rules: [(directory: String, name: String, prerequisites: String)] = []
        for line in lines where !line.hasPrefix("#") {
            if let target = targetPrefix(line) {
                let rest = String(line.dropFirst(target.prefixLength)).trimmingCharacters(in: .whitespaces)
                if let (name, value) = assignment(rest) {
                    targetVariables[target.name, default: [:]][name] = value
                } else {
                    rules.append((target.directory, target.name, rest))
                }
            } else if let (name, value) = assignment(line) {
                variables[name] = value
            }
        }
        let outputs = ["uapi": "arch/\(architecture)/include/generated/uapi/asm",
                       "out": "arch/\(architecture)/include/generated/asm"]
        var headers: [Header] = []
        for rule in rules {
            guard let output = outputs[rule.directory] else { continue }
            let path = "\(output)/\(rule.name).h"
            let tableVariable = ["syscall32", "syscall64"].first { rule.prerequisites.contains("$(\($0))") }
            if rule.prerequisites.contains("$(systbl)") {
                headers.append(Header(path: path, contents: ""))
                continue
            }
            guard rule.prerequisites.contains("$(syshdr)"), let tableVariable,
                  let tableName = variables[tableVariable].map({ ($0 as NSString).lastPathComponent }),
                  let tableText = table(tableName) else { continue }
            let own = targetVariables[rule.name] ?? [:]
            let abis = own["abis"] ?? variables["syshdr_abi_\(rule.name)"] ?? ""
            let prefix = own["prefix"] ?? variables["syshdr_pfx_\(rule.name)"] ?? ""
            let offset = own["offset"] ?? variables["syshdr_offset_\(rule.name)"] ?? ""
            let guardName = "_NOTIFYSPLIT_ASM_" + rule.name.uppercased()
                .map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            var text = "#ifndef \(guardName)\n#define \(guardName) 1\n\n"
            let kept = Set(abis.split(separator: ",").map(String.init))
            var maximum = -1
            for entry in tableEntries(tableText) where kept.contains(entry.abi) {
                maximum = max(maximum, entry.number)
                let number = offset.isEmpty ? "\(entry.number)" : "(\(offset) + \(entry.number))"
                text += "#define __NR_\(prefix)\(entry.name) \(number)\n"
            }
            if makefile.contains("--emit-nr") {
                text += "\n#ifdef __KERNEL__\n#define __NR_\(prefix)syscalls \(maximum + 1)\n#endif\n"
            }
            text += "\n#endif\n"
            headers.append(Header(path: path, contents: text))
        }
        return headers
    }

    /// `$(uapi)/unistd_64.h:` → ("uapi", "unistd_64", length of that prefix).
    private static func targetPrefix(_ line: String) -> (directory: String, name: String, prefixLength: Int)? {
        guard line.hasPrefix("$("), let close = line.firstIndex(of: ")"),
              line[line.index(after: close)...].hasPrefix("/"),
              let colon = line.firstIndex(of: ":"), colon > close else { return nil }
        let directory = String(line[line.index(line.startIndex, offsetBy: 2)..<close])
        let file = String(line[line.index(close, offsetBy: 2)..<colon])
        guard file.hasSuffix(".h"), !file.contains("/") else { return nil }
        return (directory, String(file.dropLast(2)), line.distance(from: line.startIndex, to: colon) + 1)
    }

    /// `name := value` (or `=`), nil for other lines.
    private static func assignment(_ line: String) -> (String, String)? {
        for op in [":=", "="] {
            guard let range = line.range(of: op) else { continue }
            let name = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            return (name, line[range.upperBound...].trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// `0  common  read  sys_read` lines, sorted by number.
    static func tableEntries(_ text: String) -> [(number: Int, abi: String, name: String)] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 3, let number = Int(words[0]) else { return nil }
            return (number, String(words[1]), String(words[2]))
        }.sorted { $0.number < $1.number }
    }
}
