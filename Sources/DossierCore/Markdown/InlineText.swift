/// What a document says, block by block, for the linker: the plain text of each paragraph or
/// heading, and the parts of it where a name may be linked, each scalar with its offset in the
/// source file.
public struct InlineText: Sendable {
    public var blocks: [TextBlock]

    public init(blocks: [TextBlock]) {
        self.blocks = blocks
    }
}

public struct TextBlock: Sendable {
    /// All text of the block, code and link texts included, line breaks as spaces.
    public var text: [Unicode.Scalar]
    /// The linkable parts of `text`: outside code, links, images and raw HTML.
    public var runs: [TextRun]
    public var isHeading: Bool

    public init(text: [Unicode.Scalar], runs: [TextRun], isHeading: Bool) {
        self.text = text
        self.runs = runs
        self.isHeading = isHeading
    }
}

public struct TextRun: Sendable {
    /// Where the run stands in its block's `text`.
    public var range: Range<Int>
    /// The source-file offset of each scalar of the run.
    public var offsets: [Int]

    public init(range: Range<Int>, offsets: [Int]) {
        self.range = range
        self.offsets = offsets
    }
}

/// Raw HTML wrapped around a span of linkable text when a document is rendered: a mention's
/// link, a wiki link (which also replaces the text it was written as).
public struct InlineMark: Sendable {
    /// Source-file offsets of the span; it must lie within one `TextRun`.
    public var range: Range<Int>
    /// Opening and closing HTML, already escaped by whoever made the mark.
    public var open: String
    public var close: String
    /// Plain text shown instead of the span's text.
    public var replacement: String?

    public init(range: Range<Int>, open: String, close: String, replacement: String? = nil) {
        self.range = range
        self.open = open
        self.close = close
        self.replacement = replacement
    }
}
