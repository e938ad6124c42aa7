/// The sentence around a span of text, for showing a mention where it stands.
enum Sentences {
    /// The most characters shown on either side of a mention.
    static let maximumSide = 240
    // Switches, not sets: a set hashes every scalar it is asked about, and these are asked of
    // hundreds of scalars around each mention.
    private static func isSentenceEnd(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", "…": true
        default: false
        }
    }

    private static func isClosingQuote(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "“", "”", "»", "«", ")", "’": true
        default: false
        }
    }

    private static func isOpeningQuote(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "„", "“", "»", "«", "(", "‚": true
        default: false
        }
    }

    static func context(of range: Range<Int>, in text: [Unicode.Scalar], shown: String? = nil) -> SentenceContext {
        var start = range.lowerBound
        while start > 0, range.lowerBound - start < maximumSide, !isSentenceStart(start, in: text) { start -= 1 }

        var end = range.upperBound
        var endsSentence = false
        while end < text.count, end - range.upperBound < maximumSide {
            if isSentenceEnd(text[end]) {
                var close = end + 1
                while close < text.count, isClosingQuote(text[close]) { close += 1 }
                var next = close
                while next < text.count, text[next].isSpace { next += 1 }
                if next >= text.count || (next > close && isSentenceStart(next, in: text)) {
                    end = close
                    endsSentence = true
                    break
                }
            }
            end += 1
        }
        // A context cut short starts and ends at a word boundary.
        if !isSentenceStart(start, in: text) {
            while start < range.lowerBound, !text[start].isSpace { start += 1 }
        }
        if !endsSentence, end < text.count {
            while end > range.upperBound, !text[end - 1].isSpace { end -= 1 }
        }
        func string(_ part: Range<Int>) -> String { String(scalars: text[part]) }
        let before = (isSentenceStart(start, in: text) ? "" : "…") + string(start..<range.lowerBound).trimmingPrefixWhitespace()
        let after = string(range.upperBound..<end).trimmingSuffixWhitespace(unless: endsSentence) + (endsSentence || end >= text.count ? "" : "…")
        return SentenceContext(before: before, match: shown ?? string(range), after: after)
    }

    /// A sentence starts at the text's start, or after `.`, `!`, `?` or `…` and white space,
    /// before a capital, digit or quote; not after a number (`21. August`) or an initial (`M.`).
    private static func isSentenceStart(_ index: Int, in text: [Unicode.Scalar]) -> Bool {
        if index == 0 { return true }
        guard index < text.count, text[index - 1].isSpace else { return false }
        var end = index - 1
        while end > 0, text[end].isSpace { end -= 1 }
        while end > 0, isClosingQuote(text[end]) { end -= 1 }
        guard isSentenceEnd(text[end]) else { return false }
        let next = text[index]
        guard next.properties.isUppercase || next.properties.numericType != nil || isOpeningQuote(next) else { return false }
        if text[end] == ".", end >= 1 {
            if text[end - 1].properties.numericType != nil { return false }
            if text[end - 1].properties.isUppercase, end < 2 || !Tokenizer.isWordScalar(text[end - 2]) { return false }
        }
        return true
    }
}

extension String {
    func trimmingPrefixWhitespace() -> String {
        String(drop(while: \.isWhitespace))
    }

    fileprivate func trimmingSuffixWhitespace(unless keep: Bool) -> String {
        guard !keep else { return self }
        var result = self
        while result.last?.isWhitespace == true { result.removeLast() }
        return result
    }
}
