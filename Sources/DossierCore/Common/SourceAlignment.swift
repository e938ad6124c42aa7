/// Finds where a text that was derived from the source (a Markdown text node, a YAML value)
/// stands in it, character by character, so that matches in the derived text map back to
/// exact offsets in the file.
///
/// The derived text differs from the source only by markup that carries no characters of its
/// own: backslash escapes, HTML entities, and the characters `skippable` allows between
/// characters (line indentation and `>` markers of block quotes, quotes around YAML values).
enum SourceAlignment {
    /// One source offset per scalar of `literal`, aligned from `start`; nil when the literal
    /// does not follow from the source there.
    static func offsets<Literal: Sequence<Unicode.Scalar>>(
        of literal: Literal, in source: SourceText.Scalars, from start: Int, limit: Int? = nil,
        skippable: (Unicode.Scalar) -> Bool = Self.isLayout
    ) -> [Int]? {
        let limit = min(limit ?? source.count, source.count)
        var offsets: [Int] = []
        var position = start
        for scalar in literal {
            var found = false
            while position < limit {
                let current = source[position]
                if current == "&", let end = entityEnd(in: source, at: position, limit: limit),
                   scalar != "&" || isAmpersandEntity(source[position..<end]) {
                    offsets.append(position)
                    position = end
                    found = true
                    break
                }
                if current == scalar {
                    offsets.append(position)
                    position += 1
                    found = true
                    break
                }
                if current == "\\", position + 1 < limit, source[position + 1] == scalar,
                   asciiPunctuation.contains(scalar) {
                    offsets.append(position + 1)
                    position += 2
                    found = true
                    break
                }
                guard skippable(current) else { return nil }
                position += 1
            }
            if !found { return nil }
        }
        return offsets
    }

    /// What CommonMark lets a backslash escape.
    private static let asciiPunctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// Whitespace and block-quote markers: what a paragraph's continuation line may start with.
    static func isLayout(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == ">"
    }

    /// The offset after `&name;`, `&#123;` or `&#x1F;` at `position`, nil when none starts there.
    private static func entityEnd(in source: SourceText.Scalars, at position: Int, limit: Int) -> Int? {
        var index = position + 1
        guard index < limit else { return nil }
        let isDigit: (Unicode.Scalar) -> Bool
        var maximum = 32
        if source[index] == "#" {
            index += 1
            if index < limit, source[index] == "x" || source[index] == "X" {
                index += 1
                isDigit = { $0.properties.isASCIIHexDigit }
                maximum = 6
            } else {
                isDigit = { ("0"..."9").contains($0) }
                maximum = 7
            }
        } else {
            guard source[index].isASCII, source[index].properties.isAlphabetic else { return nil }
            isDigit = { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        }
        let first = index
        while index < limit, index - first < maximum, isDigit(source[index]) { index += 1 }
        guard index > first, index < limit, source[index] == ";" else { return nil }
        return index + 1
    }

    private static func isAmpersandEntity(_ entity: Slice<SourceText.Scalars>) -> Bool {
        let text = String(scalars: entity)
        return text == "&amp;" || text == "&#38;" || text.lowercased() == "&#x26;"
    }
}
