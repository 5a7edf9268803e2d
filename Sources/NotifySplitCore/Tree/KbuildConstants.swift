import Clang
import Foundation

/// kbuild turns C constants into preprocessor ones by compiling a file of
/// `DEFINE(SYMBOL, expression)` lines (`kernel/bounds.c` for `bounds.h`,
/// `arch/*/kernel/asm-offsets.c` for `asm-offsets.h`) and reading the values
/// back from the assembly. Here the same file is parsed with libclang, with
/// `linux/kbuild.h` read as a version whose `DEFINE()` declares an
/// enumerator, and the enumerators' values are read from the AST. So the
/// header says what this tree's own headers compute under the configuration
/// (`MAX_NR_ZONES` from the zones it enables), never a guess.
struct KbuildConstants {
    struct Constant: Equatable {
        var name: String
        var value: Int64
        /// The expression as written in the source, for the header comment.
        var expression: String
    }

    var constants: [Constant]
    /// Errors met while parsing the file; a constant whose expression had
    /// one is missing from `constants`.
    var errors: [String]

    /// The prefix of the enumerators our `DEFINE()` declares.
    static let enumeratorPrefix = "__notifysplit_kbuild_constant_"

    /// What `linux/kbuild.h` is read as while evaluating.
    static let kbuildHeader = """
        #ifndef __LINUX_KBUILD_H
        #define __LINUX_KBUILD_H
        #define DEFINE(sym, val) enum { \(enumeratorPrefix)##sym = (val) }
        #define BLANK() do { } while (0)
        #define OFFSET(sym, str, mem) DEFINE(sym, offsetof(struct str, mem))
        #define COMMENT(x)
        #endif

        """

    /// Evaluates the `DEFINE()`s of `relativePath` in `tree`, parsed with
    /// `arguments`; nil when the tree has no such file or it cannot be parsed.
    /// With a `cache`, an earlier run's result is reused while every file
    /// that parse read is unchanged (`objtree`: the stub folder in the
    /// arguments, which differs from run to run).
    static func evaluate(_ relativePath: String, tree: KernelTree, arguments: [String],
                         cache: ConfigurationCache? = nil, objtree: String = "") -> KbuildConstants? {
        guard let cache else { return evaluateParsing(relativePath, tree: tree, arguments: arguments)?.constants }
        return cache.constants(file: relativePath, tree: tree, arguments: arguments, objtree: objtree) {
            evaluateParsing(relativePath, tree: tree, arguments: arguments)
        }
    }

    /// Parses and evaluates, and says which files the parse read.
    static func evaluateParsing(_ relativePath: String, tree: KernelTree,
                                arguments: [String]) -> ConfigurationCache.Evaluation? {
        guard tree.exists(relativePath), let source = tree.text(relativePath) else { return nil }
        let unit: TranslationUnit
        do {
            unit = try TranslationUnit(
                index: Index(), path: tree.absolute(relativePath),
                arguments: FileParser.withoutUnreadWarnings(arguments),
                unsavedFiles: [.init(path: tree.absolute("include/linux/kbuild.h"),
                                     contents: Array(kbuildHeader.utf8))],
                options: [.keepGoing])
        } catch {
            return nil
        }
        var expressions = definedExpressions(in: source)
        for included in includedSourceFiles(in: source) {
            let sibling = ((relativePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(included)
            expressions.merge(definedExpressions(in: tree.text(sibling) ?? "")) { first, _ in first }
        }
        var constants: [Constant] = []
        var seen: Set<String> = []
        // The DEFINE()s sit in the file's own functions, or in a `.c` file
        // it includes (x86's asm-offsets_64.c); headers are skipped.
        let directory = (tree.absolute(relativePath) as NSString).deletingLastPathComponent + "/"
        for top in unit.cursor.children where top.isInMainFile
            || (top.location.file.map { $0.hasPrefix(directory) && $0.hasSuffix(".c") } ?? false) {
            top.visitChildren { cursor in
            if let value = cursor.enumConstantValue, cursor.spelling.hasPrefix(enumeratorPrefix) {
                let name = String(cursor.spelling.dropFirst(enumeratorPrefix.count))
                if !cursor.isInvalidDeclaration, seen.insert(name).inserted {
                    constants.append(Constant(name: name, value: value, expression: expressions[name] ?? ""))
                }
                return .continue
            }
            return .recurse
            }
        }
        let diagnostics = unit.diagnostics
        let errors = diagnostics.filter(\.isError).map { tree.relativeDiagnostic($0.description) }
        let inclusions = unit.inclusions()
        // A file that was not found makes the result depend on a file the
        // manifest cannot list: not for the cache.
        let recordable = !diagnostics.contains { $0.message.hasSuffix("file not found") }
        return .init(constants: KbuildConstants(constants: constants, errors: errors),
                     inclusions: inclusions, recordable: recordable)
    }

    /// `#include "asm-offsets_64.c"` → ["asm-offsets_64.c"].
    static func includedSourceFiles(in source: String) -> [String] {
        source.split(separator: "\n").compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "#" ? words.count >= 3 && words[1] == "include" : words[0] == "#include"
            else { return nil }
            let name = words.last!
            guard name.hasPrefix("\""), name.hasSuffix(".c\"") else { return nil }
            return String(name.dropFirst().dropLast())
        }
    }

    /// `DEFINE(NR_PAGEFLAGS, __NR_PAGEFLAGS);` → ["NR_PAGEFLAGS": "__NR_PAGEFLAGS"];
    /// `OFFSET(TI_flags, thread_info, flags);` → ["TI_flags": "offsetof(struct thread_info, flags)"].
    static func definedExpressions(in source: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in source.split(separator: "\n") {
            var trimmed = line.trimmingCharacters(in: .whitespaces)
            let isOffset = trimmed.hasPrefix("OFFSET(")
            guard trimmed.hasPrefix("DEFINE(") || isOffset else { continue }
            trimmed.removeFirst(7)  // "DEFINE(" or "OFFSET("
            if trimmed.hasSuffix(";") { trimmed.removeLast() }
            if trimmed.hasSuffix(")") { trimmed.removeLast() }
            let parts = MakeEvaluator.arguments(trimmed).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 2 else { continue }
            if isOffset {
                guard parts.count == 3 else { continue }
                result[parts[0]] = "offsetof(struct \(parts[1]), \(parts[2]))"
            } else {
                result[parts[0]] = parts.dropFirst().joined(separator: ", ")
            }
        }
        return result
    }

    /// The header kbuild would write: an include guard and one `#define`
    /// per constant, each with its expression as a comment.
    static func header(guardName: String, constants: [Constant]) -> String {
        var lines = ["#ifndef \(guardName)", "#define \(guardName)",
                     "/* Generated by notifysplit from the tree's own DEFINE()s, for parsing only. */"]
        for constant in constants {
            let comment = constant.expression.replacingOccurrences(of: "*/", with: "* /")
            lines.append("#define \(constant.name) \(constant.value)" + (comment.isEmpty ? "" : " /* \(comment) */"))
        }
        lines.append("#endif")
        return lines.joined(separator: "\n") + "\n"
    }
}
