/// A plain-text article as news agencies deliver it: the headline on the first non-empty
/// line, paragraphs separated by blank lines, and subheadings: short lines without
/// sentence-final punctuation that stand alone before a paragraph.
public struct PlainTextDocument: Sendable, Equatable {
    public enum BlockKind: Sendable, Equatable {
        case subheading, paragraph
    }

    public struct Block: Sendable, Equatable {
        public let kind: BlockKind
        /// The offsets of each line of the block, without indentation and line ending.
        public let lines: [Range<Int>]
    }

    /// The offsets of the headline.
    public let headline: Range<Int>
    public let blocks: [Block]

    /// The longest line, in characters, that can still be a subheading.
    static let subheadingMaximumLength = 120

    /// Parses the text of `file` from `start` (after any front matter); nil when it has no
    /// non-empty line.
    public static func parse(_ file: SourceText, from start: Int = 0) -> PlainTextDocument? {
        let scalars = file.scalars
        var groups: [[Range<Int>]] = []
        var current: [Range<Int>] = []
        for line in file.line(ofOffset: start)...file.lineCount {
            var range = file.lineRange(line)
            if range.lowerBound < start { range = start..<max(start, range.upperBound) }
            let trimmed = trim(range, in: scalars)
            if trimmed.isEmpty {
                if !current.isEmpty { groups.append(current) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { groups.append(current) }
        guard let firstGroup = groups.first else { return nil }

        // The headline is the first line; any further lines of its group form a paragraph.
        let headline = firstGroup[0]
        var rest = groups.dropFirst().map { $0 }
        if firstGroup.count > 1 { rest.insert(Array(firstGroup.dropFirst()), at: 0) }

        var blocks: [Block] = []
        for (index, group) in rest.enumerated() {
            let isLast = index == rest.count - 1
            let kind: BlockKind = !isLast && group.count == 1 && isSubheading(group[0], in: scalars)
                ? .subheading : .paragraph
            blocks.append(Block(kind: kind, lines: group))
        }
        return PlainTextDocument(headline: headline, blocks: blocks)
    }

    private static func trim(_ range: Range<Int>, in scalars: SourceText.Scalars) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, scalars[lower].isTrimmable { lower += 1 }
        while upper > lower, scalars[upper - 1].isTrimmable { upper -= 1 }
        return lower..<upper
    }

    private static func isSubheading(_ line: Range<Int>, in scalars: SourceText.Scalars) -> Bool {
        guard line.count <= subheadingMaximumLength else { return false }
        // Closing quotes and brackets do not end a sentence; what stands before them may.
        var last = line.upperBound - 1
        while last > line.lowerBound, "\"'“”»«›‹’)]".unicodeScalars.contains(scalars[last]) { last -= 1 }
        return !".!?:;,…".unicodeScalars.contains(scalars[last])
    }
}
