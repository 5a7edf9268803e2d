import NotifySplitCore
import Clang
import Foundation

let args = CommandLine.arguments
let tree = try KernelTree(path: args[1])
let arch = Architecture.choose(explicit: nil, tree: tree)
let config = try SyntheticConfiguration(tree: tree, architecture: arch)
let parser = FileParser(tree: tree, arguments: config)
if args.count > 3 { print(config.arguments(forFile: args[2])!.joined(separator: " ")) }
let index = Index()
let start = Date()
let tu = try parser.parse(args[2], index: index)
let diags = tu.diagnostics.filter { $0.isError }
print("errors: \(diags.count) in \(Date().timeIntervalSince(start))s")
for d in diags.prefix(30) { print(d) }
