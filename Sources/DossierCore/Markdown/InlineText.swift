/// What a document says, block by block, for the linker: the plain text of each paragraph or
/// heading, and the parts of it where a name may be linked, each scalar with its offset in the
/// source file.
public struct InlineText: Sendable {
    public var blocks: [TextBlock]

    public init(blocks: [TextBlock]) {
        self.blocks = blocks
    }

    /// The text of every block, a line each.
    public var plainText: String { plainTextAndBlockStarts().text }

    /// The text of every block, a line each, and the UTF-8 offset in it of each block's text.
    func plainTextAndBlockStarts() -> (text: String, blockStarts: [Int]) {
        // A line break before a block when anything came before.
        var blockStarts: [Int] = []
        blockStarts.reserveCapacity(blocks.count)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(blocks.reduce(0) { $0 + $1.text.count + 1 })
        for block in blocks {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: "\n")) }
            blockStarts.append(bytes.count)
            for scalar in block.text {
                if scalar.isASCII {
                    bytes.append(UInt8(truncatingIfNeeded: scalar.value))
                } else {
                    UTF8.encode(scalar) { bytes.append($0) }
                }
            }
        }
        return (String(decoding: bytes, as: UTF8.self), blockStarts)
    }
}

public struct TextBlock: Sendable {
    /// All text of the block, code and link texts included, line breaks as spaces.
    public var text: [Unicode.Scalar]
    /// The source-file offset of each scalar of `text`; -1 where it has none (line breaks of
    /// unknown position, text that could not be aligned).
    public var offsets: [Int]
    /// The linkable parts of `text`: outside code, links, images and raw HTML.
    public var runs: [TextRun]

    public init(text: [Unicode.Scalar], offsets: [Int], runs: [TextRun]) {
        self.text = text
        self.offsets = offsets
        self.runs = runs
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

/// Raw HTML wrapped around a span of text when a document is rendered: a mention's link, a
/// wiki link (which also replaces the text it was written as), a passage a note quotes.
public struct InlineMark: Sendable {
    /// Source-file offsets of the span.
    public var range: Range<Int>
    /// Opening and closing HTML, already escaped by whoever made the mark.
    public var open: String
    public var close: String
    /// The opening HTML of the first piece, when a split mark's first piece differs (an `id`).
    public var firstOpen: String?
    /// Plain text shown instead of the span's text.
    public var replacement: String?
    /// Whether the mark may be cut into pieces, one per run of text it covers (a passage
    /// across paragraphs, links and emphasis); else it must lie within one run.
    public var splittable: Bool

    public init(range: Range<Int>, open: String, close: String, firstOpen: String? = nil,
                replacement: String? = nil, splittable: Bool = false) {
        self.range = range
        self.open = open
        self.close = close
        self.firstOpen = firstOpen
        self.replacement = replacement
        self.splittable = splittable
    }
}
