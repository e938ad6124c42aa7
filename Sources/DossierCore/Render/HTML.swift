/// Escaping for the HTML that Dossier writes itself (everything else goes through libcmark or
/// the templates, which escape on their own).
enum HTML {
    /// `& < > " '` as entities; text without them (most) is returned as it is.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 <= UInt8(ascii: ">") && entity(for: $0) != nil }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            if byte <= UInt8(ascii: ">"), let entity = entity(for: byte) {
                bytes += UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The entity `escape` writes for a byte, if it writes one. The five characters all lie at
    /// or below `>`, as the callers check first.
    static func entity(for byte: UInt8) -> StaticString? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }

    /// `url` if it is a web address (http or https), nil otherwise: a `javascript:` or `data:`
    /// URL from content never becomes a link. Characters beyond ASCII (`wiki/Efrîn`) are
    /// percent-encoded, as a URI wants them.
    static func webURL(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
              !trimmed.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }) else { return nil }
        var encoded = ""
        for byte in trimmed.utf8 {
            if byte < 0x80 {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true)
            }
        }
        return encoded
    }

    /// Plain text with marks wrapped around spans of it, each text piece escaped: for headlines,
    /// which are text, not Markdown. `offsets` gives the source offset of each scalar.
    static func markedText(_ text: String, offsets: [Int]?, marks: [InlineMark]) -> String {
        let scalars = Array(text.unicodeScalars)
        guard let offsets, offsets.count == scalars.count, !marks.isEmpty else { return escape(text) }
        let position = Dictionary(offsets.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var html = ""
        var index = 0
        for mark in marks.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            guard let start = position[mark.range.lowerBound], let last = position[mark.range.upperBound - 1],
                  start >= index else { continue }
            html += escape(String(scalars: scalars[index..<start]))
            html += mark.open + escape(mark.replacement ?? String(scalars: scalars[start...last])) + mark.close
            index = last + 1
        }
        return html + escape(String(scalars: scalars[index...]))
    }
}
