/// Kernel coding style for the C the tool writes: tabs, the indentation of
/// the surrounding block, 80 columns with continuation lines aligned after
/// the opening parenthesis.
enum KernelStyle {
    static let columns = 80

    /// Display width of an indentation (tabs to multiples of 8).
    static func width(_ indent: [UInt8]) -> Int {
        indent.reduce(0) { $0 + ($1 == .tab ? 8 - $0 % 8 : 1) }
    }

    /// One level deeper than `indent`.
    static func deeper(_ indent: [UInt8]) -> [UInt8] { indent + [.tab] }

    /// Tabs then spaces reaching `column`.
    static func padding(to column: Int) -> [UInt8] {
        Array(repeating: .tab, count: column / 8) + Array(repeating: .space, count: column % 8)
    }

    /// `prefix` + `name(arg, arg, …)` + `suffix`, broken after commas so no
    /// line passes 80 columns; continuation lines align after `(`.
    static func call(indent: [UInt8], prefix: String = "", _ call: String, suffix: String = ";",
                     lineEnding: [UInt8]) -> [UInt8] {
        let oneLine = Array((prefix + call + suffix).utf8)
        if width(indent) + oneLine.count <= columns { return indent + oneLine }
        guard let open = call.firstIndex(of: "("), call.hasSuffix(")") else { return indent + oneLine }
        let head = prefix + call[...open]
        let inside = String(call[call.index(after: open)..<call.index(before: call.endIndex)])
        let arguments = CExpression.split(CExpression.tokens(inside), on: ",").map(CExpression.render)
        let alignColumn = width(indent) + head.utf8.count
        var lines: [[UInt8]] = []
        var current = indent + Array(head.utf8)
        var currentWidth = alignColumn
        for (i, argument) in arguments.enumerated() {
            let piece = argument + (i == arguments.count - 1 ? ")" + suffix : ",")
            let needed = (currentWidth == alignColumn ? 0 : 1) + piece.utf8.count
            if currentWidth != alignColumn, currentWidth + needed > columns {
                lines.append(current)
                current = padding(to: alignColumn)
                currentWidth = alignColumn
            }
            if currentWidth != alignColumn { current.append(.space); currentWidth += 1 }
            current += Array(piece.utf8)
            currentWidth += piece.utf8.count
        }
        lines.append(current)
        return Array(lines.joined(separator: lineEnding))
    }
}
