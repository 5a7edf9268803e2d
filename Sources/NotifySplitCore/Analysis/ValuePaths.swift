/// Which writes can change the value of an expression the notifier reads.
///
/// An expression depends on the member chains it reads and their prefixes
/// (`vmf->address` on `vmf` and `vmf->address`). A write conflicts when it
/// writes one of those or a prefix of one, or the same field through
/// another pointer (aliasing is not tracked, so any `x->address` write
/// counts against `vmf->address`). Writing what a pointer points to
/// (`vma->vm_mm->total_vm`) does not change the pointer.
enum ValuePaths {
    static func dependencies(of expressions: [String]) -> Set<String> {
        var result = Set<String>()
        for expression in expressions {
            let tokens = CExpression.tokens(expression)
            var i = 0
            while i < tokens.count {
                guard let first = tokens[i].utf8.first, CLexer.isIdentifierStart(first),
                      i == 0 || (tokens[i - 1] != "->" && tokens[i - 1] != ".") else { i += 1; continue }
                var path = tokens[i]
                result.insert(path)
                var j = i + 1
                while j + 1 < tokens.count, tokens[j] == "->" || tokens[j] == ".",
                      let c = tokens[j + 1].utf8.first, CLexer.isIdentifierStart(c) {
                    path += tokens[j] + tokens[j + 1]
                    result.insert(path)
                    j += 2
                }
                i = j
            }
        }
        return result
    }

    static func conflicts(written: String, with dependency: String) -> Bool {
        var written = written
        if written.hasPrefix("(") && written.hasSuffix(")") { written = String(written.dropFirst().dropLast()) }
        if written.hasPrefix("*") {
            // `*p = …` rewrites all of p's pointee.
            let pointer = String(written.dropFirst())
            return dependency.hasPrefix(pointer + "->")
        }
        if written == dependency || dependency.hasPrefix(written + "->") || dependency.hasPrefix(written + ".") {
            return true
        }
        if let field = lastField(written), field == lastField(dependency) { return true }
        return false
    }

    /// `a->b.c` → `c`; nil for a plain name.
    static func lastField(_ path: String) -> String? {
        let tokens = CExpression.tokens(path)
        guard tokens.count >= 3, tokens[tokens.count - 2] == "->" || tokens[tokens.count - 2] == "." else { return nil }
        return tokens.last
    }
}
