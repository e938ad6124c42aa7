import Foundation

/// JSON that is safe inside a `<script>` element or a classic script file: `<`, `>` and `&`
/// as `\u` escapes, so no content can close the element or open a comment, and the line
/// separators U+2028 and U+2029 escaped, which older engines reject in string literals.
enum ScriptJSON {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: escaped(data), as: UTF8.self)
    }

    /// One pass over the bytes: the characters are rare, and a search per character through
    /// Foundation costs a fifth of a large build.
    static func escaped<JSON: Collection<UInt8> & ContiguousBytes>(_ json: JSON) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(json.count + json.count / 64)
        json.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "<"): output += Array("\\u003c".utf8)
                case UInt8(ascii: ">"): output += Array("\\u003e".utf8)
                case UInt8(ascii: "&"): output += Array("\\u0026".utf8)
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    output += Array((bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    index += 2
                default: output.append(byte)
                }
                index += 1
            }
        }
        return output
    }
}
