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
        var text = source.text
        let root = text.withUTF8 { cmark_parse_document($0.baseAddress, $0.count, CMARK_OPT_SOURCEPOS) }
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
    /// `unsafe`, with `marks` wrapped around their spans.
    func renderHTML(marks: [InlineMark] = [], unsafe: Bool = false) -> String {
        if !marks.isEmpty { apply(marks) }
        let options = unsafe ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        guard let html = cmark_render_html(root, options) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    // MARK: - Walking

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

    private func leafBlocks() -> [OpaquePointer] {
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
        visit(root)
        return blocks
    }

    /// The text, runs and run segments of one paragraph or heading.
    private func walk(_ blockNode: OpaquePointer) -> WalkedBlock {
        var walked = WalkedBlock(
            block: TextBlock(text: [], runs: [], isHeading: cmark_node_get_type(blockNode) == CMARK_NODE_HEADING),
            segments: [])
        let endLine = cmark_node_get_end_line(blockNode)
        let limit = endLine > 0 ? file.lineRange(firstLine + Int(endLine) - 1).upperBound : file.scalars.count
        let startLine = cmark_node_get_start_line(blockNode)
        var cursor = startLine > 0 ? file.lineRange(firstLine + Int(startLine) - 1).lowerBound : 0

        var run: (range: Range<Int>, offsets: [Int], segments: [Segment])?
        func closeRun() {
            if let finished = run, !finished.offsets.isEmpty {
                walked.block.runs.append(TextRun(range: finished.range, offsets: finished.offsets))
                walked.segments.append(finished.segments)
            }
            run = nil
        }
        func appendToRun(_ node: OpaquePointer, _ scalars: [Unicode.Scalar], _ offsets: [Int]) {
            let start = walked.block.text.count
            walked.block.text += scalars
            if run == nil { run = (start..<start, [], []) }
            run!.segments.append(Segment(node: node, start: run!.offsets.count, length: scalars.count))
            run!.offsets += offsets
            run!.range = run!.range.lowerBound..<walked.block.text.count
        }

        func visitChildren(of parent: OpaquePointer, linkable: Bool) {
            var child = cmark_node_first_child(parent)
            while let node = child {
                child = cmark_node_next(node)
                let type = cmark_node_get_type(node)
                switch type {
                case CMARK_NODE_TEXT:
                    let scalars = Array(Self.literal(of: node).unicodeScalars)
                    if linkable, let offsets = sourceOffsets(of: node, scalars, cursor: cursor, limit: limit) {
                        cursor = (offsets.last ?? cursor) + 1
                        appendToRun(node, scalars, offsets)
                    } else {
                        closeRun()
                        walked.block.text += scalars
                    }
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                    if linkable, run != nil, let last = run!.offsets.last {
                        appendToRun(node, [" "], [last + 1])
                    } else {
                        walked.block.text.append(" ")
                    }
                case CMARK_NODE_CODE:
                    closeRun()
                    walked.block.text += Self.literal(of: node).unicodeScalars
                case CMARK_NODE_EMPH, CMARK_NODE_STRONG:
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

    /// Where a text node's characters stand in the file: known exactly for the nodes of a
    /// plain-text document, else aligned from libcmark's position, which is only a hint
    /// (it is off on indented continuation lines, and escapes and entities change the text).
    private func sourceOffsets(of node: OpaquePointer, _ scalars: [Unicode.Scalar], cursor: Int, limit: Int) -> [Int]? {
        if let base = cmark_node_get_user_data(node) {
            let start = Int(bitPattern: base) - 1
            return Array(start..<(start + scalars.count))
        }
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        let hint = line > 0 ? file.offset(line: firstLine + line - 1, utf8Column: column) : cursor
        return SourceAlignment.offsets(of: scalars, in: file.scalars, from: max(hint, cursor), limit: limit)
    }

    // MARK: - Marking

    /// Wraps each mark's span in a custom inline node (and replaces its text if asked). Marks
    /// must not overlap; one that does not lie within a single run is left out.
    private func apply(_ marks: [InlineMark]) {
        var runs: [[Segment]] = []
        var position: [Int: (run: Int, index: Int)] = [:]
        for block in leafBlocks() {
            let walked = walk(block)
            for (run, segments) in zip(walked.block.runs, walked.segments) {
                for (index, offset) in run.offsets.enumerated() { position[offset] = (runs.count, index) }
                runs.append(segments)
            }
        }
        var marksByRun: [Int: [(Range<Int>, InlineMark)]] = [:]
        for mark in marks where !mark.range.isEmpty {
            guard let start = position[mark.range.lowerBound], let end = position[mark.range.upperBound - 1],
                  start.run == end.run else { continue }
            marksByRun[start.run, default: []].append((start.index..<(end.index + 1), mark))
        }
        for (run, runMarks) in marksByRun {
            var segments = runs[run]
            for (span, mark) in runMarks.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
                split(&segments, at: span.upperBound)
                split(&segments, at: span.lowerBound)
                let covered = segments.filter { $0.start >= span.lowerBound && $0.start < span.upperBound }
                guard let first = covered.first else { continue }
                let wrapper = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)
                cmark_node_set_on_enter(wrapper, mark.open)
                cmark_node_set_on_exit(wrapper, mark.close)
                cmark_node_insert_before(first.node, wrapper)
                if let replacement = mark.replacement {
                    cmark_node_append_child(wrapper, Self.newText(replacement))
                    covered.forEach { cmark_node_free($0.node) }
                } else {
                    covered.forEach { cmark_node_append_child(wrapper, $0.node) }
                }
            }
        }
    }

    /// Splits the text node that holds run position `position` so that a node starts there.
    private func split(_ segments: inout [Segment], at position: Int) {
        guard let index = segments.firstIndex(where: { $0.start < position && position < $0.start + $0.length }) else { return }
        let segment = segments[index]
        let scalars = Array(Self.literal(of: segment.node).unicodeScalars)
        let cut = position - segment.start
        cmark_node_set_literal(segment.node, String(scalars: scalars[..<cut]))
        let tail = Self.newText(String(scalars: scalars[cut...]))
        cmark_node_insert_after(segment.node, tail)
        segments[index].length = cut
        segments.insert(Segment(node: tail, start: position, length: segment.length - cut), at: index + 1)
    }

    private static func literal(of node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private static func newText(_ text: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_TEXT)!
        cmark_node_set_literal(node, text)
        return node
    }
}
