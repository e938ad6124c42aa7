/// Finds where a text that was derived from the source (a Markdown text node, a YAML value)
/// stands in it, character by character, so that matches in the derived text map back to
/// exact offsets in the file.
///
/// The derived text differs from the source only by markup that carries no characters of its
/// own: backslash escapes, HTML entities, and the characters `skippable` allows between
/// characters (line indentation and `>` markers of block quotes, quotes around YAML values).
enum SourceAlignment {
    /// One source offset per scalar of `literal`, aligned from `start`; nil when the literal
    /// does not follow from the source there. `source` holds the file's scalars from its
    /// `base` on (decoded once, as a file's text is kept as UTF-8); `limit` bounds it further.
    static func offsets<Literal: Sequence<Unicode.Scalar>>(
        of literal: Literal, in source: ScalarWindow, from start: Int, limit: Int? = nil,
        skippable: (Unicode.Scalar) -> Bool = Self.isLayout
    ) -> [Int]? {
        precondition(start >= source.base, "aligning from \(start), before the window's start \(source.base)")
        return source.scalars.withUnsafeBufferPointer { scalars in
            offsets(of: literal, in: WindowScalars(base: source.base, scalars: scalars), from: start,
                    limit: min(limit ?? source.endIndex, source.endIndex), skippable: skippable)
        }
    }

    /// A window's scalars by file offset, read without bounds checks beyond the alignment's own.
    private struct WindowScalars {
        let base: Int
        let scalars: UnsafeBufferPointer<Unicode.Scalar>

        @inline(__always)
        subscript(position: Int) -> Unicode.Scalar { scalars[position - base] }
    }

    private static func offsets<Literal: Sequence<Unicode.Scalar>>(
        of literal: Literal, in source: WindowScalars, from start: Int, limit: Int,
        skippable: (Unicode.Scalar) -> Bool
    ) -> [Int]? {
        var offsets: [Int] = []
        offsets.reserveCapacity(literal.underestimatedCount)
        var position = start
        for scalar in literal {
            // Most scalars stand as they are, next in line: what the loop below finds first for them.
            if position < limit, scalar != "&", source[position] == scalar {
                offsets.append(position)
                position += 1
                continue
            }
            var found = false
            while position < limit {
                let current = source[position]
                if current == "&", let end = entityEnd(in: source, at: position, limit: limit),
                   scalar != "&" || isAmpersandEntity((position..<end).map { source[$0] }) {
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
    private static func entityEnd(in source: WindowScalars, at position: Int, limit: Int) -> Int? {
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

    private static func isAmpersandEntity(_ entity: some Collection<Unicode.Scalar>) -> Bool {
        let text = String(scalars: entity)
        return text == "&amp;" || text == "&#38;" || text.lowercased() == "&#x26;"
    }
}

/// The scalars of a part of a file, from an offset on: what an alignment reads, decoded once
/// (`SourceText` finds a single offset at some cost).
struct ScalarWindow {
    /// The file offset of the first scalar.
    let base: Int
    let scalars: [Unicode.Scalar]

    /// The file offset after the last scalar.
    var endIndex: Int { base + scalars.count }
}

extension SourceText {
    /// The scalars of `range`, indexed by offset.
    func window(_ range: Range<Int>) -> ScalarWindow {
        ScalarWindow(base: range.lowerBound, scalars: scalars(in: range))
    }
}
