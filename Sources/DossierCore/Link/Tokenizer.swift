/// A word of folded text (a run of letters and digits) or a single other character, with the
/// range of original scalars it came from, including the combining marks after it (which fold
/// to nothing: `Efrînê` written decomposed ends in one). Whitespace separates tokens and is not one.
struct Token {
    /// Where the token's folded scalars stand in `TokenizedText.folded`: its key.
    let folded: Range<Int>
    /// Indices into the scalars that were tokenized.
    let range: Range<Int>
}

/// A text's tokens and their folded scalars, which their keys are spans of.
struct TokenizedText {
    let folded: [Unicode.Scalar]
    let tokens: [Token]

    /// The token's key as text.
    func key(_ token: Token) -> String {
        String(scalars: folded[token.folded])
    }

    /// Whether the token's key is the single scalar `scalar`.
    func isKey(_ token: Token, _ scalar: Unicode.Scalar) -> Bool {
        token.folded.count == 1 && folded[token.folded.lowerBound] == scalar
    }

    /// Whether the token is a word (not a punctuation mark).
    func isWord(_ token: Token) -> Bool {
        Tokenizer.isWordScalar(folded[token.folded.lowerBound])
    }
}

enum Tokenizer {
    /// The tokens of `scalars`, their ranges counted from the collection's first scalar as 0.
    ///
    /// A token is a run of word scalars of the folded text, or one other scalar that is not
    /// white space; it covers the original scalars from the one its first folded scalar came
    /// from up to the one the next folded scalar came from (past what folded to nothing), or
    /// to the end. Folded in one pass with the tokenizing: `folded` keeps the tokens' scalars only.
    static func tokenize(_ scalars: ArraySlice<Unicode.Scalar>) -> TokenizedText {
        scalars.withUnsafeBufferPointer(tokenize)
    }

    private static func tokenize(_ scalars: UnsafeBufferPointer<Unicode.Scalar>) -> TokenizedText {
        var builder = Builder(capacity: scalars.count)
        for origin in scalars.indices {
            let scalar = scalars[origin]
            let value = scalar.value
            if value < 0x80 {
                // ASCII, folded and classified here: most of any text.
                let isCapital = value &- 0x41 < 26
                let lower = isCapital ? value + 0x20 : value
                builder.add(isCapital ? Unicode.Scalar(UInt8(lower)) : scalar, from: origin,
                            isWordScalar: lower &- 0x61 < 26 || lower &- 0x30 < 10, isSpace: value == 0x20 || value &- 0x09 < 5)
            } else {
                TextFolding.forEachFolded(of: scalar) { piece in
                    builder.add(piece, from: origin, isWordScalar: isWordScalar(piece), isSpace: piece.isSpace)
                }
            }
        }
        return builder.finish(count: scalars.count)
    }

    /// Tokens as the folded scalars come.
    private struct Builder {
        var folded: [Unicode.Scalar] = []
        var tokens: [Token] = []
        // The token not yet ended (when `start` >= 0): where its folded scalars start, the
        // original scalar its first and last folded scalar came from, and whether it is a word.
        var start = -1
        var firstOrigin = 0
        var lastOrigin = 0
        var isWord = false

        init(capacity: Int) {
            folded.reserveCapacity(capacity)
            tokens.reserveCapacity(capacity / 4)
        }

        /// The next folded scalar, from the original scalar at `origin`.
        @inline(__always)
        mutating func add(_ scalar: Unicode.Scalar, from origin: Int, isWordScalar isWordPiece: Bool, isSpace: Bool) {
            if start >= 0 {
                if isWord, isWordPiece {
                    folded.append(scalar)
                    lastOrigin = origin
                    return
                }
                tokens.append(Token(folded: start..<folded.count, range: firstOrigin..<max(origin, lastOrigin + 1)))
                start = -1
            }
            guard !isSpace else { return }
            start = folded.count
            firstOrigin = origin
            lastOrigin = origin
            isWord = isWordPiece
            folded.append(scalar)
        }

        /// The tokens of a text of `count` scalars, all added.
        mutating func finish(count: Int) -> TokenizedText {
            if start >= 0 { tokens.append(Token(folded: start..<folded.count, range: firstOrigin..<count)) }
            return TokenizedText(folded: folded, tokens: tokens)
        }
    }

    /// The keys of the tokens of `text`.
    static func keys(of text: String) -> [String] {
        let tokenized = tokenize(Array(text.unicodeScalars)[...])
        return tokenized.tokens.map(tokenized.key)
    }

    /// Whether a token's key is a word (not a punctuation mark).
    static func isWordKey(_ key: String) -> Bool {
        key.unicodeScalars.first.map(isWordScalar) ?? false
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isAlphabetic || scalar.isNumeric
    }
}
