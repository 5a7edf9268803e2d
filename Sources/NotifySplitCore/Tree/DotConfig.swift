import Foundation

/// A kernel configuration as `make *config` writes it (`.config`, or a file
/// given with `--config`): `CONFIG_FOO=y`, `=m`, `=123`, `="text"`.
public struct DotConfig: Sendable {
    /// Where it was read from, as the user named it (for reports).
    public let path: String
    /// `CONFIG_` symbols (without the prefix) → the value `autoconf.h`
    /// defines: `1` for `y`, a number, or a quoted string; `=m` gives
    /// `FOO_MODULE` → `1`, as kbuild's autoconf.h does.
    public let symbols: [(String, String)]
    /// The architecture it was made for (a directory under `arch/`), from
    /// its `CONFIG_X86=y`, `CONFIG_ARM=y`, …; nil when it names none.
    public let architecture: String?

    public init(path: String, text: String) {
        self.path = path
        var symbols: [(String, String)] = []
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("CONFIG_"), let eq = line.firstIndex(of: "=") else { continue }
            let name = String(line[line.index(line.startIndex, offsetBy: 7)..<eq])
            let value = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            switch value {
            case "y": symbols.append((name, "1"))
            case "m": symbols.append((name + "_MODULE", "1"))
            case "n", "": continue
            default: symbols.append((name, value))
            }
        }
        self.symbols = symbols
        architecture = Architecture.fromConfig(text)
    }

    /// Reads a configuration file; nil when it cannot be read or holds no
    /// `CONFIG_` line at all.
    public static func read(_ path: String, displayPath: String? = nil) -> DotConfig? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let config = DotConfig(path: displayPath ?? path, text: String(decoding: data, as: UTF8.self))
        return config.symbols.isEmpty ? nil : config
    }

    /// The symbols as a dictionary, for evaluating Makefile and Kconfig conditions.
    public var values: [String: String] {
        Dictionary(symbols, uniquingKeysWith: { _, last in last })
    }

    /// `include/generated/autoconf.h` (and 2.6's `include/linux/autoconf.h`).
    func autoconfHeader() -> String {
        var lines = ["/* The configuration of \(path), written by notifysplit for parsing only. */"]
        for (name, value) in symbols { lines.append("#define CONFIG_\(name) \(value)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
