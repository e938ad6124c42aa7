import CMark
import Foundation

/// A libcmark document: the one owner of cmark's C pointers. It lives only inside the function
/// that made it (it is neither `Sendable` nor copyable); everything it hands out is a value.
final class MarkdownDocument {
    private let root: OpaquePointer
    private let file: SourceText
    /// The file line of the parsed text's first line.
    private let firstLine: Int

    /// Parses Markdown; libcmark reports positions that are mapped back to `source.file`.
    init(_ source: MarkdownSource) {
        let bytes = source.file.utf8Range(of: source.range)
        let root = source.file.withUTF8 { utf8 in
            cmark_parse_document(utf8.baseAddress.map { $0 + bytes.lowerBound }, bytes.count, CMARK_OPT_SOURCEPOS)
        }
        self.root = root!
        self.file = source.file
        self.firstLine = source.firstLine
    }

    /// Builds the document of a plain-text article: subheadings as level-2 headings, paragraphs
    /// with their line breaks kept as soft breaks. Text nodes carry their source offset.
    init(_ document: PlainTextDocument, of file: SourceText) {
        root = cmark_node_new(CMARK_NODE_DOCUMENT)
        self.file = file
        self.firstLine = 1
        for block in document.blocks {
            let node: OpaquePointer
            if block.kind == .subheading {
                node = cmark_node_new(CMARK_NODE_HEADING)
                cmark_node_set_heading_level(node, 2)
            } else {
                node = cmark_node_new(CMARK_NODE_PARAGRAPH)
            }
            for (index, line) in block.lines.enumerated() {
                if index > 0 { cmark_node_append_child(node, cmark_node_new(CMARK_NODE_SOFTBREAK)) }
                let text = Self.newText(file.slice(line))
                cmark_node_set_user_data(text, UnsafeMutableRawPointer(bitPattern: line.lowerBound + 1))
                cmark_node_append_child(node, text)
            }
            cmark_node_append_child(root, node)
        }
    }

    deinit {
        cmark_node_free(root)
    }

    /// The document's text for the linker.
    func inlineText() -> InlineText {
        InlineText(blocks: leafBlocks().map { walk($0).block })
    }

    /// HTML through libcmark's renderer: safe (raw HTML and dangerous URLs omitted) unless
    /// `unsafe`. `layers` of marks are wrapped around their spans, each layer inside the ones
    /// before; each of `beside` is raw HTML shown beside the top-level block that holds its
    /// source offset (see `annotate`).
    func renderHTML(layers: [[InlineMark]] = [], beside: [(offset: Int, html: String)] = [], unsafe: Bool = false) -> String {
        for marks in layers where !marks.isEmpty { apply(marks) }
        annotate(beside)
        return Self.html(of: root, unsafe: unsafe)
    }

    /// HTML as `renderHTML` makes it with one layer of marks.
    func renderHTML(marks: [InlineMark], unsafe: Bool = false) -> String {
        renderHTML(layers: [marks], unsafe: unsafe)
    }

    /// A note: its HTML with `marks`, `afterQuote[i]` put after its i-th top-level block quote,
    /// and for each block quote the HTML of the commentary that follows it (up to the next
    /// block quote or heading).
    func renderNote(marks: [InlineMark], afterQuote: [String], unsafe: Bool = false) -> (html: String, commentaries: [String]) {
        apply(marks)
        var commentaries: [String] = []
        let blocks = topLevelBlocks()
        var quotes: [OpaquePointer] = []
        for (index, block) in blocks.enumerated() where cmark_node_get_type(block) == CMARK_NODE_BLOCK_QUOTE {
            quotes.append(block)
            let commentary = blocks[(index + 1)...].prefix {
                cmark_node_get_type($0) != CMARK_NODE_BLOCK_QUOTE && cmark_node_get_type($0) != CMARK_NODE_HEADING
            }
            commentaries.append(commentary.map { Self.html(of: $0, unsafe: unsafe) }.joined())
        }
        for (quote, html) in zip(quotes, afterQuote) {
            cmark_node_insert_after(quote, Self.newRawBlock(html))
        }
        return (Self.html(of: root, unsafe: unsafe), commentaries)
    }

    private static func html(of node: OpaquePointer, unsafe: Bool) -> String {
        guard let html = cmark_render_html(node, unsafe ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    private static func newRawBlock(_ html: String, close: String = "") -> OpaquePointer {
        let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(block, html)
        cmark_node_set_on_exit(block, close)
        return block
    }

    /// Wraps each top-level block that holds an offset of `beside` with the HTML given for it:
    /// `<div class="annotated">block<div class="annotations">html…</div></div>`, so a theme can
    /// set the two side by side or one after the other. HTML for offsets before every block
    /// (a passage of the headline) comes first, in `<div class="annotations">`.
    private func annotate(_ beside: [(offset: Int, html: String)]) {
        guard !beside.isEmpty else { return }
        let blocks = topLevelBlocks()
        let spans = blocks.map { top -> ClosedRange<Int>? in
            let offsets = leafBlocks(in: top).flatMap { walk($0).block.offsets }.filter { $0 >= 0 }
            guard let low = offsets.min(), let high = offsets.max() else { return nil }
            return low...high
        }
        var byBlock: [Int: [String]] = [:]
        var leading: [String] = []
        for item in beside {
            if let index = spans.firstIndex(where: { $0?.contains(item.offset) == true })
                ?? spans.lastIndex(where: { ($0?.upperBound ?? .max) < item.offset }) {
                byBlock[index, default: []].append(item.html)
            } else {
                leading.append(item.html)
            }
        }
        for (index, pieces) in byBlock {
            let wrapper = Self.newRawBlock("<div class=\"annotated\">", close: "<div class=\"annotations\">\n" + pieces.joined() + "</div></div>")
            cmark_node_insert_before(blocks[index], wrapper)
            cmark_node_append_child(wrapper, blocks[index])
        }
        if !leading.isEmpty {
            cmark_node_prepend_child(root, Self.newRawBlock("<div class=\"annotations\">\n" + leading.joined() + "</div>"))
        }
    }

    /// The block quotes at the top level of the document, in order: the passages a note
    /// quotes, each with its line and the plain text of the commentary after it (up to the next
    /// block quote or heading).
    func quotedPassages() -> [(text: String, line: Int, commentary: String)] {
        let blocks = topLevelBlocks()
        func plainText(_ block: OpaquePointer) -> String {
            leafBlocks(in: block).map { String(scalars: walk($0).block.text) }.joined(separator: "\n\n")
        }
        return blocks.enumerated().filter { cmark_node_get_type($0.element) == CMARK_NODE_BLOCK_QUOTE }.map { index, quote in
            let commentary = blocks[(index + 1)...].prefix {
                cmark_node_get_type($0) != CMARK_NODE_BLOCK_QUOTE && cmark_node_get_type($0) != CMARK_NODE_HEADING
            }
            return (plainText(quote), firstLine + Int(cmark_node_get_start_line(quote)) - 1,
                    commentary.map(plainText).joined(separator: "\n\n"))
        }
    }

    // MARK: - Walking

    private func topLevelBlocks() -> [OpaquePointer] {
        var blocks: [OpaquePointer] = []
        var child = cmark_node_first_child(root)
        while let node = child {
            blocks.append(node)
            child = cmark_node_next(node)
        }
        return blocks
    }

    /// A linkable text node or soft break, and where its text stands in its run.
    private struct Segment {
        let node: OpaquePointer
        var start: Int
        var length: Int
    }

    private struct WalkedBlock {
        var block: TextBlock
        /// Per run, the nodes that make it up.
        var segments: [[Segment]]
    }

    private func leafBlocks(in top: OpaquePointer? = nil) -> [OpaquePointer] {
        var blocks: [OpaquePointer] = []
        func visit(_ node: OpaquePointer) {
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING {
                blocks.append(node)
                return
            }
            var child = cmark_node_first_child(node)
            while let current = child {
                visit(current)
                child = cmark_node_next(current)
            }
        }
        visit(top ?? root)
        return blocks
    }

    /// The text, runs and run segments of one paragraph or heading; the block's text and its
    /// offsets left empty unless `keepingText` (marking needs only where the runs stand).
    private func walk(_ blockNode: OpaquePointer, keepingText: Bool = true) -> WalkedBlock {
        var walked = WalkedBlock(
            block: TextBlock(text: [], offsets: [], runs: []),
            segments: [])
        let endLine = cmark_node_get_end_line(blockNode)
        let limit = endLine > 0 ? file.lineRange(firstLine + Int(endLine) - 1).upperBound : file.scalarCount
        let startLine = cmark_node_get_start_line(blockNode)
        var cursor = startLine > 0 ? file.lineRange(firstLine + Int(startLine) - 1).lowerBound : 0
        // The block's source, decoded when a text node is first aligned in it.
        var window: ScalarWindow?

        // The scalars of the block's text so far, and the offset of the last (-1 for none known).
        var length = 0
        var lastOffset: Int?
        var run: (range: Range<Int>, offsets: [Int], segments: [Segment])?
        func closeRun() {
            if let finished = run, !finished.offsets.isEmpty {
                walked.block.runs.append(TextRun(range: finished.range, offsets: finished.offsets))
                walked.segments.append(finished.segments)
            }
            run = nil
        }
        func appendText(_ text: NodeText) {
            if keepingText {
                text.appendScalars(to: &walked.block.text)
                text.offsets.append(to: &walked.block.offsets)
            }
            length += text.offsets.count
            if text.offsets.count > 0 { lastOffset = text.offsets.last ?? -1 }
        }
        func appendToRun(_ node: OpaquePointer, _ text: NodeText) {
            let start = length
            appendText(text)
            if run == nil { run = (start..<start, [], []) }
            run!.segments.append(Segment(node: node, start: run!.offsets.count, length: text.offsets.count))
            text.offsets.append(to: &run!.offsets)
            run!.range = run!.range.lowerBound..<length
        }

        func visitChildren(of parent: OpaquePointer, linkable: Bool) {
            var child = cmark_node_first_child(parent)
            while let node = child {
                child = cmark_node_next(node)
                let type = cmark_node_get_type(node)
                switch type {
                case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                    let text = located(node, cursor: cursor, limit: limit, window: &window)
                    if let last = text.offsets.last { cursor = last + 1 }
                    if linkable, type == CMARK_NODE_TEXT, !text.offsets.isUnknown {
                        appendToRun(node, text)
                    } else {
                        closeRun()
                        appendText(text)
                    }
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                    let previous = lastOffset.map { $0 < 0 ? -1 : $0 + 1 } ?? -1
                    let space = NodeText(scalars: [" "], offsets: .aligned([previous]))
                    if linkable, run != nil, previous >= 0 {
                        appendToRun(node, space)
                    } else {
                        closeRun()
                        appendText(space)
                    }
                case CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_CUSTOM_INLINE:
                    closeRun()
                    visitChildren(of: node, linkable: linkable)
                    closeRun()
                case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                    closeRun()
                    visitChildren(of: node, linkable: false)
                default:
                    closeRun()
                }
            }
        }
        visitChildren(of: blockNode, linkable: true)
        closeRun()
        return walked
    }

    /// A text node's text and where it stands in the file. Its scalars are decoded only when
    /// asked for, unless aligning it needed them.
    private struct NodeText {
        /// The node's UTF-8 as libcmark holds it (valid: libcmark repairs what it parses), read
        /// before anything changes the node.
        var literal: UnsafeBufferPointer<UInt8>?
        var scalars: [Unicode.Scalar]?
        var offsets: NodeOffsets

        func appendScalars(to text: inout [Unicode.Scalar]) {
            if let scalars {
                text += scalars
            } else if let literal {
                text.append(contentsOf: [Unicode.Scalar](decodingUTF8: literal))
            }
        }
    }

    /// The file offset of each scalar of a node's text.
    private enum NodeOffsets {
        /// The text stands in the file as it is, from the range's start.
        case verbatim(Range<Int>)
        case aligned([Int])
        /// Not found in the file: its scalars have none.
        case unknown(count: Int)

        var count: Int {
            switch self {
            case .verbatim(let range): range.count
            case .aligned(let offsets): offsets.count
            case .unknown(let count): count
            }
        }

        var last: Int? {
            switch self {
            case .verbatim(let range): range.last
            case .aligned(let offsets): offsets.last
            case .unknown: nil
            }
        }

        var isUnknown: Bool {
            if case .unknown = self { return true }
            return false
        }

        func append(to offsets: inout [Int]) {
            switch self {
            case .verbatim(let range):
                // Filled as one buffer and copied: appending a range goes element by element.
                offsets += [Int](unsafeUninitializedCapacity: range.count) { buffer, count in
                    var offset = range.lowerBound
                    for index in 0..<range.count {
                        buffer[index] = offset
                        offset &+= 1
                    }
                    count = range.count
                }
            case .aligned(let aligned): offsets += aligned
            case .unknown(let count): offsets += [Int](repeating: -1, count: count)
            }
        }
    }

    /// Where a text node's characters stand in the file: known exactly for the nodes of a
    /// plain-text document, else aligned from libcmark's position, which is only a hint
    /// (it is off on indented continuation lines, and escapes and entities change the text).
    /// `window` holds the file's scalars from where the block's first node was aligned to `limit`.
    private func located(_ node: OpaquePointer, cursor: Int, limit: Int, window: inout ScalarWindow?) -> NodeText {
        guard let pointer = cmark_node_get_literal(node) else { return NodeText(scalars: [], offsets: .aligned([])) }
        let literal = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
        let count = literal.scalarCount
        if let base = cmark_node_get_user_data(node) {
            let start = Int(bitPattern: base) - 1
            return NodeText(literal: literal, offsets: .verbatim(start..<(start + count)))
        }
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        let hint = line > 0 ? file.offset(line: firstLine + line - 1, utf8Column: column) : cursor
        let start = max(hint, cursor)
        if start + count <= limit, isVerbatim(literal, at: start) {
            return NodeText(literal: literal, offsets: .verbatim(start..<(start + count)))
        }
        if window.map({ start < $0.base }) ?? true { window = file.window(start..<max(start, limit)) }
        let scalars = [Unicode.Scalar](decodingUTF8: literal)
        let offsets = SourceAlignment.offsets(of: scalars, in: window!, from: start, limit: limit)
        return NodeText(scalars: scalars, offsets: offsets.map(NodeOffsets.aligned) ?? .unknown(count: scalars.count))
    }

    /// Whether a node's text (`literal`) stands in the file from `start` byte for byte, without
    /// a `&`: then the alignment finds it there scalar for scalar, and the block need not be
    /// decoded for it (with a `&`, the alignment tries an entity first).
    private func isVerbatim(_ literal: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard let base = literal.baseAddress else { return true }
        guard memchr(base, Int32(UInt8(ascii: "&")), literal.count) == nil else { return false }
        let offset = file.utf8Offset(ofScalar: start)
        return file.withUTF8 { bytes in
            offset + literal.count <= bytes.count && memcmp(bytes.baseAddress! + offset, base, literal.count) == 0
        }
    }

    // MARK: - Marking

    /// Wraps each mark's span in a custom inline node (and replaces its text if asked). Marks
    /// of one layer must not overlap; a mark that is not splittable and does not lie within one
    /// run is left out.
    private func apply(_ marks: [InlineMark]) {
        var runs: [(offsets: [Int], segments: [Segment])] = []
        // Where the ends of the marks that must lie in one run stand: only those are looked up,
        // found by a flag per file offset (every offset of every run is asked).
        var isEnd = [Bool](repeating: false, count: file.scalarCount)
        for mark in marks where !mark.splittable && !mark.range.isEmpty {
            for end in [mark.range.lowerBound, mark.range.upperBound - 1] where isEnd.indices.contains(end) { isEnd[end] = true }
        }
        var position: [Int: (run: Int, index: Int)] = [:]
        for block in leafBlocks() {
            let walked = walk(block, keepingText: false)
            for (run, segments) in zip(walked.block.runs, walked.segments) {
                for (index, offset) in run.offsets.enumerated() where isEnd.indices.contains(offset) && isEnd[offset] {
                    position[offset] = (runs.count, index)
                }
                runs.append((run.offsets, segments))
            }
        }
        var piecesByRun: [Int: [(span: Range<Int>, mark: InlineMark, isFirst: Bool)]] = [:]
        for mark in marks where !mark.range.isEmpty {
            if mark.splittable {
                var isFirst = true
                for (index, run) in runs.enumerated() {
                    guard let low = run.offsets.firstIndex(where: { mark.range.contains($0) }),
                          let high = run.offsets.lastIndex(where: { mark.range.contains($0) }) else { continue }
                    piecesByRun[index, default: []].append((low..<(high + 1), mark, isFirst))
                    isFirst = false
                }
            } else if let start = position[mark.range.lowerBound], let end = position[mark.range.upperBound - 1],
                      start.run == end.run {
                piecesByRun[start.run, default: []].append((start.index..<(end.index + 1), mark, true))
            }
        }
        for (run, pieces) in piecesByRun {
            let segments = split(runs[run].segments, at: pieces.flatMap { [$0.span.lowerBound, $0.span.upperBound] })
            for piece in pieces {
                let covered = segments[firstSegment(startingFrom: piece.span.lowerBound, in: segments)...]
                    .prefix { $0.start < piece.span.upperBound }
                guard let first = covered.first else { continue }
                let wrapper = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)
                cmark_node_set_on_enter(wrapper, piece.isFirst ? piece.mark.firstOpen ?? piece.mark.open : piece.mark.open)
                cmark_node_set_on_exit(wrapper, piece.mark.close)
                cmark_node_insert_before(first.node, wrapper)
                if let replacement = piece.mark.replacement {
                    cmark_node_append_child(wrapper, Self.newText(replacement))
                    covered.forEach { cmark_node_free($0.node) }
                } else {
                    covered.forEach { cmark_node_append_child(wrapper, $0.node) }
                }
            }
        }
    }

    /// The segments with a node starting at each of `positions` (run positions). Each text node
    /// is cut once into all its pieces, so marking a run costs its length, not its length times
    /// its marks.
    private func split(_ segments: [Segment], at positions: [Int]) -> [Segment] {
        let cuts = Set(positions).sorted()
        var next = 0
        var result: [Segment] = []
        for segment in segments {
            let end = segment.start + segment.length
            while next < cuts.count, cuts[next] <= segment.start { next += 1 }
            var bounds = [segment.start]
            while next < cuts.count, cuts[next] < end {
                bounds.append(cuts[next])
                next += 1
            }
            guard bounds.count > 1 else {
                result.append(segment)
                continue
            }
            bounds.append(end)
            // The node's UTF-8, copied: setting the first piece's text frees libcmark's.
            let bytes = Self.literalBytes(of: segment.node)
            var cut = 0
            var scalarsPassed = 0
            /// The byte offset where the node's `count`-th scalar starts, found walking on from the last cut.
            func byteOffset(ofScalar count: Int) -> Int {
                while scalarsPassed < count {
                    cut += 1
                    while cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut += 1 }
                    scalarsPassed += 1
                }
                return cut
            }
            var previous: OpaquePointer?
            for (low, high) in zip(bounds, bounds.dropFirst()) {
                let piece = byteOffset(ofScalar: low - segment.start)..<byteOffset(ofScalar: high - segment.start)
                let node: OpaquePointer
                if let previous {
                    node = cmark_node_new(CMARK_NODE_TEXT)!
                    cmark_node_insert_after(previous, node)
                } else {
                    node = segment.node
                }
                Self.setLiteral(of: node, to: bytes[piece])
                result.append(Segment(node: node, start: low, length: high - low))
                previous = node
            }
        }
        return result
    }

    /// The index of the first of `segments` (in order) that starts at `position` or after it.
    private func firstSegment(startingFrom position: Int, in segments: [Segment]) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].start < position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A node's text as libcmark holds it, UTF-8 without its terminating NUL.
    private static func literalBytes(of node: OpaquePointer) -> [UInt8] {
        guard let literal = cmark_node_get_literal(node) else { return [] }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal)))
    }

    /// Sets a text node's text to a piece of another's (so free of NULs), as the C string libcmark takes.
    private static func setLiteral(of node: OpaquePointer, to piece: ArraySlice<UInt8>) {
        var text = [CChar](repeating: 0, count: piece.count + 1)
        text.withUnsafeMutableBytes { $0.copyBytes(from: piece) }
        cmark_node_set_literal(node, text)
    }

    /// A text node. libcmark takes the text as a C string, which would end at a NUL: a NUL
    /// becomes U+FFFD, as CommonMark has it in parsed text, so the text keeps its length.
    private static func newText(_ text: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_TEXT)!
        // Searched for first: replacing costs more than the search, and a NUL is rare.
        cmark_node_set_literal(node, text.utf8.contains(0) ? text.replacing("\u{0}", with: "\u{FFFD}") : text)
        return node
    }
}
