/// JSON written straight into UTF-8 bytes, as `JSONEncoder` writes it without pretty printing
/// and without escaping slashes: for the large exports and the JSON-LD of every page, where
/// the encoder's boxing of every value costs a large part of a build. The caller writes keys in sorted order. `forScript`
/// also escapes what `ScriptJSON` escapes (`<`, `>`, `&`, U+2028, U+2029) in strings, so the
/// text may stand in a script without a second pass over it.
struct JSONText {
    private(set) var bytes: [UInt8] = []
    let forScript: Bool

    init(forScript: Bool = false, capacity: Int = 0) {
        self.forScript = forScript
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func raw(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func raw(_ other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    mutating func raw(_ other: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: other)
    }

    /// `"key":`, with a comma before it unless it is the object's first.
    mutating func key(_ key: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(key)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func number(_ number: Int) {
        bytes.appendDecimal(number)
    }

    /// A quoted string. Runs of bytes that need no escape (nearly all) are copied whole; a
    /// table says which bytes may need one.
    mutating func string(_ text: String) {
        var text = text
        bytes.append(UInt8(ascii: "\""))
        let special = forScript ? Self.specialInScript : Self.special
        text.withUTF8 { utf8 in
            var plainFrom = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                guard special[Int(byte)] else {
                    index += 1
                    continue
                }
                var length = 1
                let escape: StaticString?
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case UInt8(ascii: "\n"): escape = "\\n"
                case UInt8(ascii: "\r"): escape = "\\r"
                case UInt8(ascii: "\t"): escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0..<0x20: escape = nil
                case UInt8(ascii: "<"): escape = "\\u003c"
                case UInt8(ascii: ">"): escape = "\\u003e"
                case UInt8(ascii: "&"): escape = "\\u0026"
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
                case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                    escape = utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    length = 3
                default:
                    index += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                if let escape {
                    raw(escape)
                } else {
                    raw("\\u00")
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0xF)])
                }
                index += length
                plainFrom = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The bytes that may need an escape: controls, `"` and `\`; in a script also `<`, `>`,
    /// `&` and E2, the first byte of U+2028 and U+2029.
    private static let special: [Bool] = (0...255).map { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    private static let specialInScript: [Bool] = (0...255).map {
        special[$0] || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "&") || $0 == 0xE2
    }
    private static let hexDigits = Array("0123456789abcdef".utf8)

    mutating func optional(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    mutating func optional(_ number: Int?) {
        if let number { self.number(number) } else { raw("null") }
    }

    /// A finite number as the encoder writes it: the shortest decimal that reads back as the
    /// same number, without a fractional part of zero (`13`, `36.2`, `1e-07`).
    mutating func optional(_ number: Double?) {
        guard let number else { return raw("null") }
        let text = number.description
        raw(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
    }

    /// `{...}`, its members written by `members`.
    mutating func object(_ members: (inout JSONText) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        members(&self)
        bytes.append(UInt8(ascii: "}"))
    }

    /// `[...]` of `elements`, each written by `element`.
    mutating func array<Element>(_ elements: some Sequence<Element>, _ element: (inout JSONText, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}

extension [UInt8] {
    /// Appends `number` in decimal, its digits made from the last on the stack.
    mutating func appendDecimal(_ number: Int) {
        if number < 0 { append(UInt8(ascii: "-")) }
        var rest = number.magnitude
        if rest < 10 {
            append(UInt8(ascii: "0") + UInt8(rest))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
