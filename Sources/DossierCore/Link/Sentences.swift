/// The sentence around a span of text, for showing a mention where it stands.
enum Sentences {
    /// The most characters shown on either side of a mention.
    static let maximumSide = 240

    // Asked of every character around every mention: switches, not sets, which would hash each.
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

    /// Where the context of a mention stands in the text of its block: the words before it
    /// and after it, trimmed of white space, and whether either side is cut short.
    struct Parts: Equatable {
        let before: Range<Int>
        let after: Range<Int>
        /// Whether the context starts or ends within a sentence: shown with `…` there.
        let isCutBefore: Bool
        let isCutAfter: Bool
    }

    static func context(of range: Range<Int>, in text: [Unicode.Scalar], shown: String? = nil) -> SentenceContext {
        let parts = parts(of: range, in: text)
        return SentenceContext(before: String(scalars: text[parts.before], before: parts.isCutBefore ? "…" : nil, after: nil),
                               match: shown ?? String(scalars: text[range]),
                               after: String(scalars: text[parts.after], before: nil, after: parts.isCutAfter ? "…" : nil))
    }

    static func parts(of range: Range<Int>, in text: [Unicode.Scalar]) -> Parts {
        var start = range.lowerBound
        // A sentence starts after white space: only there is it worth asking.
        while start > 0, range.lowerBound - start < maximumSide, !(text[start - 1].isSpace && isSentenceStart(start, in: text)) { start -= 1 }

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
        return Parts(before: trimmingStart(start..<range.lowerBound, in: text),
                     after: endsSentence ? range.upperBound..<end : trimmingEnd(range.upperBound..<end, in: text),
                     isCutBefore: !isSentenceStart(start, in: text), isCutAfter: !endsSentence && end < text.count)
    }

    // White space is trimmed by characters (`Character.isWhitespace`), so that a combining mark
    // after a space goes with it; where the first scalar kept is ASCII, which no mark follows,
    // trimming scalars is the same and no string need be made.

    /// `part` without the white space it starts with.
    private static func trimmingStart(_ part: Range<Int>, in text: [Unicode.Scalar]) -> Range<Int> {
        var start = part.lowerBound
        while start < part.upperBound, text[start].properties.isWhitespace { start += 1 }
        guard start < part.upperBound, !text[start].isASCII else { return start..<part.upperBound }
        let kept = String(scalars: text[part]).trimmingPrefixWhitespace().unicodeScalars.count
        return (part.upperBound - kept)..<part.upperBound
    }

    /// `part` without the white space it ends with.
    private static func trimmingEnd(_ part: Range<Int>, in text: [Unicode.Scalar]) -> Range<Int> {
        var end = part.upperBound
        while end > part.lowerBound, text[end - 1].properties.isWhitespace { end -= 1 }
        guard end > part.lowerBound, !text[end - 1].isASCII else { return part.lowerBound..<end }
        var kept = String(scalars: text[part])
        while kept.last?.isWhitespace == true { kept.removeLast() }
        return part.lowerBound..<(part.lowerBound + kept.unicodeScalars.count)
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
        guard next.isUppercase || next.isNumeric || isOpeningQuote(next) else { return false }
        if text[end] == ".", end >= 1 {
            if text[end - 1].isNumeric { return false }
            if text[end - 1].isUppercase, end < 2 || !Tokenizer.isWordScalar(text[end - 2]) { return false }
        }
        return true
    }
}

extension String {
    func trimmingPrefixWhitespace() -> String {
        String(drop(while: \.isWhitespace))
    }
}
