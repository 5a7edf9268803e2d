/// The shape `NameLookup`'s field-call test accepts, `->name(`, read a
/// byte at a time so the identifier index can note, in the same pass over
/// a file, which of its identifiers stand in it: before the name, after
/// spaces, tabs and line ends, a `.` or `->`; after it, after the same
/// white space and at most one `)` (`(*ops->write)(`), a `(`. Exactly the
/// bytes `NameLookup.isFieldCall` looks at, so every name it accepts in a
/// file is among the file's field-call fingerprints (false positives cost
/// a read: a `.name(` in a comment). A comment between the tokens, or a
/// field named through a macro parameter (`ops->FIELD(`), is no field call
/// to that test either: the field lookups stay what they were.
struct FieldCallShape {
    /// The last byte seen, the last one not white space, and the byte
    /// just before that one (for `->`).
    private var last: UInt8 = 0
    private var lastNonSpace: UInt8 = 0
    private var beforeLastNonSpace: UInt8 = 0
    /// The name being read follows `.` or `->`.
    private var member = false
    /// A member name read, waiting for its `(`: 0 none, 1 after the name,
    /// 2 after its `)`.
    private var phase: UInt8 = 0
    private var pending = 0

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == .space || byte == .tab || byte == .newline || byte == .carriageReturn
    }

    /// Called before the first byte of a name (`identifierByte` follows).
    mutating func startName() {
        member = lastNonSpace == UInt8(ascii: ".")
            || (lastNonSpace == UInt8(ascii: ">") && beforeLastNonSpace == UInt8(ascii: "-"))
    }

    /// A byte of an identifier run (a name's, or the digits before one).
    mutating func identifierByte(_ byte: UInt8) {
        phase = 0
        note(byte)
    }

    /// The name just read ended; `print` is its fingerprint.
    mutating func endName(_ print: Int) {
        if member {
            pending = print
            phase = 1
        }
        member = false
    }

    /// Any byte outside identifiers; the fingerprint of a member name it
    /// completes a field call of.
    mutating func other(_ byte: UInt8) -> Int? {
        var called: Int?
        if phase != 0, !Self.isSpace(byte) {
            if byte == .openParen {
                called = pending
                phase = 0
            } else if byte == .closeParen && phase == 1 {
                phase = 2
            } else {
                phase = 0
            }
        }
        note(byte)
        return called
    }

    private mutating func note(_ byte: UInt8) {
        if !Self.isSpace(byte) {
            beforeLastNonSpace = last
            lastNonSpace = byte
        }
        last = byte
    }
}
