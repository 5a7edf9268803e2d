import ArgumentParser
import Clang
import Foundation
import NotifySplitCore

/// `dump-ast`: print the AST of one function as libclang sees it (kinds,
/// byte ranges), for writing and debugging the analysis.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-ast", abstract: "Print the AST of one function of a tree file.",
        shouldDisplay: false)

    @OptionGroup var options: TreeOptions
    @Argument var file: String
    @Argument var function: String

    func run() throws {
        let (tree, arguments): (KernelTree, any CompileArgumentsProvider)
        do { (tree, arguments) = try options.load() } catch { fail(error) }
        let unit = try FileParser(tree: tree, arguments: arguments).parse(file, index: Index(), wholeParse: true)
        let bytes = try FileBytes(path: tree.absolute(file)).bytes
        unit.cursor.visitChildren { cursor in
            guard cursor.kind == .functionDecl, cursor.isInMainFile, cursor.spelling == function,
                  cursor.isDefinition else { return .continue }
            dump(cursor, depth: 0, bytes: bytes)
            return .break
        }
    }

    func dump(_ cursor: Cursor, depth: Int, bytes: [UInt8]) {
        let range = cursor.extent.byteRange
        let text = String(decoding: bytes[range.clamped(to: 0..<bytes.count)].prefix(50), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: "⏎")
        print(String(repeating: "  ", count: depth) + "\(cursor.kind) '\(cursor.spelling)' \(range) «\(text)»")
        for child in cursor.children { dump(child, depth: depth + 1, bytes: bytes) }
    }
}
