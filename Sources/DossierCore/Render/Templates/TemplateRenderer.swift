/// Fills a template's nodes with values, writing UTF-8 straight into one byte buffer.
///
/// Names are looked up in a stack of values, innermost first: the values given, then each
/// section's value as it is entered. A dotted name's first part is found that way, the others
/// inside what it found.
///
/// Indentation, as swift-mustache did it: every template run (the page's template, a partial,
/// a block, one pass of a section) is a scope; in a scope inside an indented partial, each
/// node's output that is not empty and follows a line feed written in that same scope (not
/// part of `\r\n`) is preceded by the indentation. So a section's output as a whole counts as
/// one node of the scope around it.
struct TemplateRenderer {
    private let templates: [String: Template]
    private(set) var output: [UInt8] = []
    private var stack: [TemplateValue]
    /// What the partials, parents and blocks around the current scope set: its indentation
    /// and the blocks parents set, by name (the outermost parent's win).
    private var indentation: [UInt8] = []
    private var blocks: [String: [TemplateNode]] = [:]
    /// The indentation a scope owes before the current node's first byte, if it writes one.
    private var pendingIndentation: [UInt8]?

    /// Renders the template `name` of `templates` with `values` (the innermost last) into `output`.
    static func render(_ name: String, of templates: [String: Template], with values: [TemplateValue],
                       capacity: Int = 0) -> [UInt8] {
        var renderer = TemplateRenderer(templates: templates, stack: values)
        renderer.output.reserveCapacity(capacity)
        if let template = templates[name] { renderer.render(template.nodes, escapes: true) }
        return renderer.output
    }

    private init(templates: [String: Template], stack: [TemplateValue]) {
        self.templates = templates
        self.stack = stack
    }

    /// Renders one scope; `escapes` is whether variables are escaped where it starts.
    private mutating func render(_ nodes: [TemplateNode], escapes: Bool) {
        let start = output.count
        var escapes = escapes
        for index in nodes.indices {
            // In an indented scope, text is indented line by line; any other node owes the
            // indentation when the scope's output ends a line, and `write` pays it before the
            // node's first byte (a node that writes nothing owes nothing).
            var owesIndentation = false
            if !indentation.isEmpty {
                if case .text(let text) = nodes[index] {
                    writeIndented(text, scopeStart: start)
                    continue
                }
                owesIndentation = endsLine(since: start)
                if owesIndentation { pendingIndentation = indentation }
            }
            switch nodes[index] {
            case .text(let text):
                write(text)
            case .variable(let name, let escaped):
                write(name, escaped: escaped && escapes)
            case .section(let name, let body):
                switch lookUp(name) {
                case nil, .bool(false):
                    break
                case .bool(true):
                    render(body, escapes: escapes)
                case .list(let items):
                    for item in items { render(body, escapes: escapes, inside: item) }
                case let value?:
                    render(body, escapes: escapes, inside: value)
                }
            case .invertedSection(let name, let body):
                switch lookUp(name) {
                case nil, .bool(false): render(body, escapes: escapes)
                case .list(let items) where items.isEmpty: render(body, escapes: escapes, inside: .list(items))
                default: break
                }
            case .partial(let name, let partialIndentation):
                guard let template = templates[name.text] else { break }
                let outer = indentation
                indentation += partialIndentation ?? []
                render(template.nodes, escapes: true)
                indentation = outer
            case .parent(let name, let parentIndentation, let parentBlocks):
                guard let template = templates[name.text] else { break }
                let outer = (indentation, blocks)
                indentation += parentIndentation
                blocks.merge(parentBlocks) { outer, _ in outer }
                render(template.nodes, escapes: true)
                (indentation, blocks) = outer
            case .block(let name, let blockIndentation, let defaultNodes):
                let outer = indentation
                indentation += blockIndentation
                render(blocks[name] ?? defaultNodes, escapes: escapes)
                indentation = outer
            case .escaping(let on):
                escapes = on
            }
            if owesIndentation { pendingIndentation = nil }
        }
    }

    /// Renders `nodes` with `value` as the innermost value.
    private mutating func render(_ nodes: [TemplateNode], escapes: Bool, inside value: TemplateValue) {
        stack.append(value)
        render(nodes, escapes: escapes)
        stack.removeLast()
    }

    // MARK: - Looking up

    private func lookUp(_ name: TemplateName) -> TemplateValue? {
        let parts = name.parts
        guard let first = parts.first, let top = stack.last else { return stack.last }
        if name.isAnchored { return Self.value(at: parts[...], in: top) }
        var level = stack.count - 1
        while level >= 0 {
            if let found = stack[level].value(named: first) {
                return parts.count == 1 ? found : Self.value(at: parts.dropFirst(), in: found)
            }
            level -= 1
        }
        return nil
    }

    private static func value(at parts: ArraySlice<String>, in value: TemplateValue) -> TemplateValue? {
        var current = value
        for part in parts {
            guard let next = current.value(named: part) else { return nil }
            current = next
        }
        return current
    }

    // MARK: - Writing

    /// The value of `name`, if it is one a variable shows.
    private mutating func write(_ name: TemplateName, escaped: Bool) {
        switch lookUp(name) {
        case .string(let text):
            var text = text
            text.withUTF8 { escaped ? writeEscaped($0) : write($0) }
        case .number(let number):
            var text = String(number)
            text.withUTF8 { write($0) }
        case .bool(let flag):
            var text = flag ? "true" : "false"
            text.withUTF8 { write($0) }
        case .list, .object, nil:
            break
        }
    }

    private mutating func write<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        guard !bytes.isEmpty else { return }
        if let indentation = pendingIndentation {
            output += indentation
            pendingIndentation = nil
        }
        output += bytes
    }

    /// Bit n is set when byte n is escaped: `"`, `&`, `'`, `<` and `>` all lie below 64.
    private static let escapedBytes: UInt64 = 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E

    /// HTML-escapes `& < > " '`; the runs between them (most text is one) are copied whole.
    private mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 64, Self.escapedBytes >> byte & 1 == 1, let entity = HTML.entity(for: byte) else { continue }
            write(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            write(UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
            start = index + 1
        }
        write(UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    /// Text in an indented scope: each line that follows a line feed of the scope is indented.
    private mutating func writeIndented(_ text: [UInt8], scopeStart: Int) {
        var lineStart = 0
        while lineStart < text.count {
            let lineEnd = text[lineStart...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? text.count
            if endsLine(since: scopeStart) { write(indentation) }
            write(text[lineStart..<lineEnd])
            lineStart = lineEnd
        }
    }

    /// Whether what the scope that began at `start` wrote ends with a line feed (not `\r\n`).
    private func endsLine(since start: Int) -> Bool {
        let count = output.count
        guard count > start, output[count - 1] == UInt8(ascii: "\n") else { return false }
        return count - 2 < start || output[count - 2] != UInt8(ascii: "\r")
    }
}
