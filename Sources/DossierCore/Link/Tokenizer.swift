/// A word of folded text (a run of letters and digits) or a single other character, with the
/// range of original scalars it came from, including the combining marks after it (which fold
/// to nothing: `Efrînê` written decomposed ends in one). Whitespace separates tokens and is not one.
struct Token {
    let key: String
    /// Indices into the scalars that were tokenized.
    let range: Range<Int>
}

enum Tokenizer {
    static func tokens<C: Collection<Unicode.Scalar>>(_ scalars: C) -> [Token] {
        let (folded, origins) = TextFolding.foldWithOrigins(scalars)
        var tokens: [Token] = []
        var index = 0
        while index < folded.count {
            let scalar = folded[index]
            if scalar.isSpace {
                index += 1
                continue
            }
            var end = index + 1
            if isWordScalar(scalar) {
                while end < folded.count, isWordScalar(folded[end]) { end += 1 }
            }
            // Up to the scalar the next folded one came from: past what folded to nothing.
            let upper = end < folded.count ? max(origins[end], origins[end - 1] + 1) : scalars.count
            tokens.append(Token(key: String(scalars: folded[index..<end]), range: origins[index]..<upper))
            index = end
        }
        return tokens
    }

    /// Whether a token's key is a word (not a punctuation mark).
    static func isWordKey(_ key: String) -> Bool {
        key.unicodeScalars.first.map(isWordScalar) ?? false
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
