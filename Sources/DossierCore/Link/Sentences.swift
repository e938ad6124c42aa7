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

    static func context(of range: Range<Int>, in text: [Unicode.Scalar], shown: String? = nil) -> SentenceContext {
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
        let before = shownText(text[start..<range.lowerBound], trimmingStart: true, ellipsis: !isSentenceStart(start, in: text))
        let after = shownText(text[range.upperBound..<end], trimmingEnd: !endsSentence, ellipsis: !endsSentence && end < text.count)
        return SentenceContext(before: before, match: shown ?? String(scalars: text[range]), after: after)
    }

    /// The text of `part` with its white space trimmed at the start or end, and `…` before
    /// it (trimming the start) or after it (trimming the end) when `ellipsis` is set.
    ///
    /// The white space is trimmed by characters (`Character.isWhitespace`), so that a combining
    /// mark after a space goes with it; where the first scalar kept is ASCII, which no mark
    /// follows, trimming scalars is the same, and the string is made in one piece.
    private static func shownText(_ part: ArraySlice<Unicode.Scalar>, trimmingStart: Bool = false, trimmingEnd: Bool = false,
                                  ellipsis: Bool) -> String {
        var kept = part
        if trimmingStart {
            while let first = kept.first, first.properties.isWhitespace { kept = kept.dropFirst() }
            guard kept.first?.isASCII ?? true else {
                return (ellipsis ? "…" : "") + String(scalars: part).trimmingPrefixWhitespace()
            }
        }
        if trimmingEnd {
            while let last = kept.last, last.properties.isWhitespace { kept = kept.dropLast() }
            guard kept.last?.isASCII ?? true else {
                return String(scalars: part).trimmingSuffixWhitespace(unless: false) + (ellipsis ? "…" : "")
            }
        }
        guard ellipsis else { return String(scalars: kept) }
        return String(scalars: kept, before: trimmingStart ? "…" : nil, after: trimmingStart ? nil : "…")
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

    fileprivate func trimmingSuffixWhitespace(unless keep: Bool) -> String {
        guard !keep else { return self }
        var result = self
        while result.last?.isWhitespace == true { result.removeLast() }
        return result
    }
}
