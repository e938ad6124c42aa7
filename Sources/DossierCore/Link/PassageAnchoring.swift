/// Where a quoted passage stands in an article, following the Web Annotation model's order of
/// selectors: the exact text first; then a match that ignores white space, case, diacritics and
/// typographic quotes; then a bounded fuzzy match (edit distance over the normalised text)
/// accepted from `minimumSimilarity`. A passage that matches none of these is an orphan.
public struct PassageAnchor: Sendable, Hashable {
    public enum Method: String, Sendable {
        case exact, normalized, fuzzy
    }

    /// Offsets in the article's source file, end exclusive (as in `data/mentions.csv`).
    public let range: Range<Int>
    /// The article's text there, and up to `contextLength` characters of it on either side.
    public let exact: String
    public let prefix: String
    public let suffix: String
    public let method: Method
    /// 1 for exact and normalised matches; 1 − edits/length for fuzzy ones.
    public let similarity: Double

    static let contextLength = 32
}

/// The text passages are anchored in: an article's headline and blocks, joined by blank lines,
/// each scalar with its offset in the source file (-1 for the joins).
struct AnchorText: Sendable {
    let scalars: [Unicode.Scalar]
    let offsets: [Int]

    init(blocks: [TextBlock]) {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        for block in blocks {
            if !scalars.isEmpty {
                scalars += ["\n", "\n"]
                offsets += [-1, -1]
            }
            scalars += block.text
            offsets += block.offsets
        }
        self.scalars = scalars
        self.offsets = offsets
    }
}

enum PassageAnchoring {
    /// The least similarity a fuzzy match needs: a corrected word or two in a sentence-long
    /// quote stays anchored, a different sentence does not (see PassageAnchoringTests).
    static let minimumSimilarity = 0.8
    /// The fuzzy search is bounded: quote length times text length at most this.
    static let maximumFuzzyWork = 40_000_000

    struct Result {
        let anchor: PassageAnchor?
        /// How many equally good places the passage was found in (more than one: a tie).
        let candidates: Int
    }

    /// Anchors `quote` in `text`; among equally good places, the first after `previous`
    /// (the source offset where the note's previous passage ended) wins.
    static func anchor(_ quote: String, in text: AnchorText, after previous: Int? = nil) -> Result {
        let exactQuote = Array(quote.unicodeScalars)
        guard !exactQuote.isEmpty, !text.scalars.isEmpty else { return Result(anchor: nil, candidates: 0) }

        let exactHits = occurrences(of: exactQuote, in: text.scalars)
        if !exactHits.isEmpty {
            return choose(exactHits.map { ($0..<($0 + exactQuote.count), 1.0) }, in: text, method: .exact, after: previous)
        }

        let (normalizedText, origins) = normalize(text.scalars)
        let (normalizedQuote, _) = normalize(exactQuote)
        guard !normalizedQuote.isEmpty else { return Result(anchor: nil, candidates: 0) }
        func original(_ range: Range<Int>) -> Range<Int> { origins[range.lowerBound]..<(origins[range.upperBound - 1] + 1) }

        let normalizedHits = occurrences(of: normalizedQuote, in: normalizedText)
        if !normalizedHits.isEmpty {
            return choose(normalizedHits.map { (original($0..<($0 + normalizedQuote.count)), 1.0) }, in: text,
                          method: .normalized, after: previous)
        }

        guard normalizedQuote.count * normalizedText.count <= maximumFuzzyWork else { return Result(anchor: nil, candidates: 0) }
        let fuzzy = fuzzyMatches(normalizedQuote, in: normalizedText)
        let accepted = fuzzy.filter { $0.similarity >= minimumSimilarity && !$0.range.isEmpty }.map { (original($0.range), $0.similarity) }
        guard !accepted.isEmpty else { return Result(anchor: nil, candidates: 0) }
        return choose(accepted, in: text, method: .fuzzy, after: previous)
    }

    /// The best candidate: highest similarity, then the first after `previous`, then the first.
    private static func choose(_ candidates: [(range: Range<Int>, similarity: Double)], in text: AnchorText,
                               method: PassageAnchor.Method, after previous: Int?) -> Result {
        let best = candidates.map(\.similarity).max()!
        var top = candidates.filter { $0.similarity == best }
        if let previous {
            let following = top.filter { (sourceRange($0.range, in: text)?.lowerBound ?? -1) >= previous }
            if !following.isEmpty { top = following }
        }
        let chosen = top[0]
        guard let range = sourceRange(chosen.range, in: text) else { return Result(anchor: nil, candidates: 0) }
        let before = text.scalars[max(0, chosen.range.lowerBound - PassageAnchor.contextLength)..<chosen.range.lowerBound]
        let after = text.scalars[chosen.range.upperBound..<min(text.scalars.count, chosen.range.upperBound + PassageAnchor.contextLength)]
        let anchor = PassageAnchor(range: range, exact: String(scalars: text.scalars[chosen.range]),
                                   prefix: String(scalars: before), suffix: String(scalars: after),
                                   method: method, similarity: chosen.similarity)
        return Result(anchor: anchor, candidates: top.count)
    }

    /// The source offsets a span of the text covers: from its first to its last placed scalar.
    private static func sourceRange(_ range: Range<Int>, in text: AnchorText) -> Range<Int>? {
        guard let first = text.offsets[range].first(where: { $0 >= 0 }),
              let last = text.offsets[range].last(where: { $0 >= 0 }) else { return nil }
        return first..<(last + 1)
    }

    private static func occurrences(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> [Int] {
        guard needle.count <= haystack.count else { return [] }
        var found: [Int] = []
        var start = 0
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0], haystack[start..<(start + needle.count)].elementsEqual(needle) {
                found.append(start)
                start += needle.count
            } else {
                start += 1
            }
        }
        return found
    }

    /// Folded text with runs of white space made one space and typographic quotes, apostrophes
    /// and dashes made plain, with the index of the original scalar of each.
    static func normalize(_ scalars: [Unicode.Scalar]) -> (scalars: [Unicode.Scalar], origins: [Int]) {
        var result: [Unicode.Scalar] = []
        var origins: [Int] = []
        for (index, scalar) in scalars.enumerated() {
            if scalar.isSpace {
                if let last = result.last, last != " " {
                    result.append(" ")
                    origins.append(index)
                }
                continue
            }
            let plain: [Unicode.Scalar]
            switch scalar {
            case "„", "“", "”", "«", "»", "‹", "›", "\"": plain = ["\""]
            case "‚", "‘", "’", "ʼ", "`", "´": plain = ["'"]
            case "–", "—", "‐", "‑": plain = ["-"]
            default: plain = TextFolding.fold(scalar)
            }
            for piece in plain {
                result.append(piece)
                origins.append(index)
            }
        }
        if result.last == " " {
            result.removeLast()
            origins.removeLast()
        }
        return (result, origins)
    }

    /// The places in `text` where `quote` matches with the fewest edits (Sellers' algorithm:
    /// edit distance with a free start and end in the text), non-overlapping.
    static func fuzzyMatches(_ quote: [Unicode.Scalar], in text: [Unicode.Scalar]) -> [(range: Range<Int>, similarity: Double)] {
        let length = quote.count
        var previousCost = Array(0...length)
        var previousStart = Array(repeating: 0, count: length + 1)
        var cost = previousCost
        var start = previousStart
        var best = Int.max
        var ends: [(end: Int, start: Int)] = []
        for (index, character) in text.enumerated() {
            cost[0] = 0
            start[0] = index + 1
            for row in 1...length {
                var value = previousCost[row - 1] + (quote[row - 1] == character ? 0 : 1)
                var origin = previousStart[row - 1]
                if previousCost[row] + 1 < value {
                    value = previousCost[row] + 1
                    origin = previousStart[row]
                }
                if cost[row - 1] + 1 < value {
                    value = cost[row - 1] + 1
                    origin = start[row - 1]
                }
                cost[row] = value
                start[row] = origin
            }
            if cost[length] < best {
                best = cost[length]
                ends = [(index + 1, start[length])]
            } else if cost[length] == best {
                if let last = ends.last, start[length] < last.end {
                    // The same place, ending one character later: keep the earlier end.
                } else {
                    ends.append((index + 1, start[length]))
                }
            }
            swap(&cost, &previousCost)
            swap(&start, &previousStart)
        }
        let similarity = 1 - Double(best) / Double(length)
        return ends.map { ($0.start..<$0.end, similarity) }
    }
}
