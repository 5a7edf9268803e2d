/// The text of the unlock call a notifier is placed after
/// (`pte_unmap_unlock(pte, ptl)`), read back from the original bytes
/// before the plan's insertion point, for the commit message: naming the
/// call says which lock the notifier now runs after without a line number.
enum UnlockCall {
    /// `insertAt` is just after the statement's `;`. nil when the bytes
    /// before it are not `name(arguments);`.
    static func text(in bytes: [UInt8], endingAt insertAt: Int) -> String? {
        guard insertAt > 0, insertAt <= bytes.count, bytes[insertAt - 1] == .semicolon else { return nil }
        var i = insertAt - 2
        while i >= 0, isSpace(bytes[i]) { i -= 1 }
        guard i >= 0, bytes[i] == UInt8(ascii: ")") else { return nil }
        let close = i
        var depth = 0
        while i >= 0 {
            if bytes[i] == UInt8(ascii: ")") { depth += 1 }
            if bytes[i] == UInt8(ascii: "(") { depth -= 1; if depth == 0 { break } }
            if bytes[i] == .semicolon || bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "}") { return nil }
            i -= 1
        }
        guard i > 0 else { return nil }
        var nameEnd = i
        while nameEnd > 0, isSpace(bytes[nameEnd - 1]) { nameEnd -= 1 }
        var nameStart = nameEnd
        while nameStart > 0, CLexer.isIdentifierByte(bytes[nameStart - 1]) { nameStart -= 1 }
        guard nameStart < nameEnd, CLexer.isIdentifierStart(bytes[nameStart]) else { return nil }
        let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
        let arguments = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\\" })
            .joined(separator: " ")
        return "\(name)(\(arguments))"
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == .space || byte == .tab || byte == .newline || byte == .carriageReturn
    }
}
