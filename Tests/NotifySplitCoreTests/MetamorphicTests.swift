import Foundation
@testable import NotifySplitCore
import XCTest

/// Transformations that keep a function's meaning keep its verdict: every
/// fixture function of Fixtures/tree and Fixtures/source-model, with its
/// iterator macros replaced by their expansions, its locals renamed, and
/// comments and blank lines added.
final class MetamorphicTests: XCTestCase {
    /// Verdict and rules per function (and its n-th site), whatever the lines.
    func verdicts(_ tree: String) throws -> [String: String] {
        let (conversion, _) = try convertTree(tree)
        var result: [String: String] = [:]
        var seen: [String: Int] = [:]
        for decision in conversion.decisions {
            let function = "\(decision.site.path):\(decision.site.function ?? "-")"
            let n = seen[function, default: 0]
            seen[function] = n + 1
            result["\(function)#\(n)"] = "\(decision.verdict.rawValue) \(decision.rules.map(\.rawValue))"
        }
        return result
    }

    /// Copies a fixture tree and rewrites every `mm/*.c` with `transform`.
    func transformed(_ name: String, _ transform: (String, String) -> String) throws -> String {
        let tree = try copyFixture(name, self)
        let mm = tree + "/mm"
        for file in try FileManager.default.contentsOfDirectory(atPath: mm) where file.hasSuffix(".c") {
            let path = mm + "/" + file
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }   // Latin-1 stays
            try transform(text, tree).write(toFile: path, atomically: true, encoding: .utf8)
        }
        return tree
    }

    func assertSameVerdicts(_ transform: @escaping (String, String) -> String, _ what: String,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        for name in ["tree", "source-model"] {
            let before = try verdicts(fixture(name))
            let after = try verdicts(try transformed(name, transform))
            for key in before.keys.sorted() {
                XCTAssertEqual(after[key], before[key], "\(name) \(key) with \(what)", file: file, line: line)
            }
            XCTAssertEqual(after.count, before.count, "\(name) with \(what)", file: file, line: line)
        }
    }

    func testCommentsAndBlankLinesKeepVerdicts() throws {
        try assertSameVerdicts({ text, _ in
            text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix("\t") && line.hasSuffix(";") ? line + "\n\n\t/* a comment; goto out; */" : String(line)
            }.joined(separator: "\n")
        }, "comments and blank lines")
    }

    func testRenamedLocalsKeepVerdicts() throws {
        let renames = ["pte": "ptep_m", "ptl": "lock_m", "young": "young_m", "entry": "entry_m",
                       "addr": "address_m", "other": "other_m", "locked": "locked_m", "referenced": "referenced_m"]
        try assertSameVerdicts({ text, _ in
            var result = text
            for (from, to) in renames {
                // Not member names (`pvmw.pte`, `vmf->address`).
                result = result.replacingOccurrences(of: "(?<![.>])\\b\(from)\\b", with: to,
                                                     options: .regularExpression)
            }
            return result
        }, "locals renamed")
    }

    /// The expansion the iterator test relies on really happens.
    func testLoopMacrosExpandLikeThePreprocessor() {
        let text = "#define each(i, n) for (i = 0; i < (n); i++)\n\teach(k, m + 1) {\n"
        XCTAssertEqual(LoopMacros.expand(text, LoopMacros.definitions(in: text)),
                       "#define each(i, n) for (i = 0; i < (n); i++)\n\tfor (k = 0; k < (m + 1); k++) {\n")
    }

    func testExpandedIteratorMacrosKeepVerdicts() throws {
        try assertSameVerdicts({ text, tree in
            var macros = LoopMacros.definitions(in: text)
            if let header = try? String(contentsOfFile: tree + "/include/linux/list.h", encoding: .utf8) {
                macros += LoopMacros.definitions(in: header)
            }
            return LoopMacros.expand(text, macros)
        }, "iterator macros expanded")
    }
}

/// Function-like macros whose body is a `for` header, expanded by hand:
/// what the preprocessor would write, for the metamorphic tests.
enum LoopMacros {
    struct Definition {
        var name: String
        var parameters: [String]
        var body: String
    }

    static func definitions(in text: String) -> [Definition] {
        let logical = text.replacingOccurrences(of: "\\\n", with: " ")
        var result: [Definition] = []
        for line in logical.split(separator: "\n") {
            let pattern = #"^#define\s+(\w+)\(([^)]*)\)\s+(for\s*\(.*)$"#
            guard let match = line.range(of: pattern, options: .regularExpression) else { continue }
            let definition = String(line[match])
            let regex = try! NSRegularExpression(pattern: pattern)
            let ns = definition as NSString
            guard let found = regex.firstMatch(in: definition, range: NSRange(location: 0, length: ns.length)) else {
                continue
            }
            result.append(Definition(
                name: ns.substring(with: found.range(at: 1)),
                parameters: ns.substring(with: found.range(at: 2)).split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                },
                body: ns.substring(with: found.range(at: 3)).trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    /// Replaces each invocation outside `#define` lines with the body, the
    /// arguments put in for the parameters.
    static func expand(_ text: String, _ macros: [Definition]) -> String {
        var lines = text.components(separatedBy: "\n")
        for index in lines.indices where !lines[index].hasPrefix("#") {
            for macro in macros {
                while let start = lines[index].range(of: macro.name + "("),
                      start.lowerBound == lines[index].startIndex
                        || !(lines[index][lines[index].index(before: start.lowerBound)].isLetter
                             || lines[index][lines[index].index(before: start.lowerBound)] == "_") {
                    var depth = 1
                    var arguments: [String] = []
                    var current = ""
                    var position = start.upperBound
                    while position < lines[index].endIndex, depth > 0 {
                        let character = lines[index][position]
                        if character == "(" { depth += 1 }
                        if character == ")" { depth -= 1 }
                        if depth == 1 && character == "," {
                            arguments.append(current)
                            current = ""
                        } else if depth > 0 {
                            current.append(character)
                        }
                        position = lines[index].index(after: position)
                    }
                    arguments.append(current)
                    var body = macro.body
                    for (parameter, argument) in zip(macro.parameters, arguments) {
                        body = body.replacingOccurrences(of: "\\b\(parameter)\\b",
                                                         with: argument.trimmingCharacters(in: .whitespaces),
                                                         options: .regularExpression)
                    }
                    lines[index].replaceSubrange(start.lowerBound..<position, with: body)
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
