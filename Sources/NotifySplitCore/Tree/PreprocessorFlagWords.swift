/// The part of a kbuild flag list (`ccflags-y`, `CFLAGS_foo.o`, …) that
/// changes what the preprocessor sees — `-I`, `-iquote`, `-include`, `-D`,
/// `-U` — split into words as the shell that runs the compiler would.
///
/// Optimisation, warning and code-generation flags are left out: they do
/// not change the parse, and a flag clang does not know (gcc's
/// `-mpreferred-stack-boundary=4`, `-Wno-maybe-uninitialized`) would only
/// add noise.
enum PreprocessorFlagWords {
    enum Flag: Equatable {
        /// `-I DIR`, `-iquote DIR`, `-include FILE`: a path as written
        /// (after make expansion), resolved by the caller.
        case path(option: String, path: String)
        /// `-DNAME[=VALUE]` or `-UNAME`, one argument.
        case define(String)
    }

    static let pathOptions = ["-iquote", "-include", "-I"]

    /// The preprocessor flags of an expanded make value, in order.
    static func flags(in value: String) -> [Flag] {
        let words = shellWords(value)
        var result: [Flag] = []
        var i = 0
        while i < words.count {
            let word = words[i]
            i += 1
            if let option = pathOptions.first(where: { word.hasPrefix($0) }) {
                var path = String(word.dropFirst(option.count))
                if path.isEmpty {
                    guard i < words.count else { break }
                    path = words[i]
                    i += 1
                }
                result.append(.path(option: option, path: path))
            } else if word == "-D" || word == "-U" {
                guard i < words.count else { break }
                result.append(.define(word + words[i]))
                i += 1
            } else if (word.hasPrefix("-D") || word.hasPrefix("-U")) && word.count > 2 {
                result.append(.define(word))
            }
        }
        return result
    }

    /// Splits like `sh` does for a command line: blanks separate words,
    /// `'…'` and `"…"` quote, a backslash escapes the next character (in
    /// double quotes only before `"`, `\`, `$` and a backquote). Nothing is
    /// expanded: make has already expanded its own references.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in text {
            if escaped {
                if quote == "\"" && !["\"", "\\", "$", "`"].contains(c) { current.append("\\") }
                current.append(c)
                escaped = false
                continue
            }
            if c == "\\" && quote != "'" { escaped = true; inWord = true; continue }
            if let open = quote {
                if c == open { quote = nil } else { current.append(c) }
                continue
            }
            if c == "'" || c == "\"" { quote = c; inWord = true; continue }
            if c == " " || c == "\t" || c == "\n" {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(c)
            inWord = true
        }
        if inWord { words.append(current) }
        return words
    }
}
