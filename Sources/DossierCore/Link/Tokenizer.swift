/// A word of folded text (a run of letters and digits) or a single other character, with the
/// range of original scalars it came from, including the combining marks after it (which fold
/// to nothing: `Efrînê` written decomposed ends in one). Whitespace separates tokens and is not one.
struct Token {
    /// Indices into the scalars that were tokenized.
    let range: Range<Int>
    /// Where the token's folded form stands in the folded text (`TokenizedText.folded`).
    let folded: Range<Int>
    /// Whether the token is a word (not a punctuation mark).
    let isWord: Bool
}

/// Text split into tokens, with the folded text the tokens' keys are ranges of: no string is
/// made per token (the linker tokenizes every article, and strings would cost an allocation each).
struct TokenizedText {
    let folded: [Unicode.Scalar]
    let tokens: [Token]

    /// The folded form of a token as a string.
    func key(of token: Token) -> String {
        String(scalars: folded[token.folded])
    }

    /// Whether the token's folded form is the single scalar `scalar`.
    func token(_ token: Token, is scalar: Unicode.Scalar) -> Bool {
        token.folded.count == 1 && folded[token.folded.lowerBound] == scalar
    }
}

enum Tokenizer {
    static func tokenize<C: Collection<Unicode.Scalar>>(_ scalars: C) -> TokenizedText {
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
            let isWord = isWordScalar(scalar)
            if isWord {
                while end < folded.count, isWordScalar(folded[end]) { end += 1 }
            }
            // Up to the scalar the next folded one came from: past what folded to nothing.
            let upper = end < folded.count ? max(origins[end], origins[end - 1] + 1) : scalars.count
            tokens.append(Token(range: origins[index]..<upper, folded: index..<end, isWord: isWord))
            index = end
        }
        return TokenizedText(folded: folded, tokens: tokens)
    }

    /// The folded forms of the tokens of `text`.
    static func keys(_ text: String) -> [String] {
        let tokenized = tokenize(text.unicodeScalars)
        return tokenized.tokens.map(tokenized.key(of:))
    }

    /// Whether a token's key is a word (not a punctuation mark).
    static func isWordKey(_ key: String) -> Bool {
        key.unicodeScalars.first.map(isWordScalar) ?? false
    }

    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
