/// Reads a template's text, as UTF-8 bytes, into `TemplateNode`s.
///
/// It reads line by line: white space at a line's start is held back until it is known whether
/// the line holds only a standalone tag (a section, inverted section, closing, comment,
/// partial, parent, block, delimiter or pragma tag with nothing but blanks around it), whose
/// line then disappears, white space and line ending included. Each section is read by a
/// recursive call with its own `State`, so delimiters set inside a section end with it.
struct TemplateParser {
    private let bytes: [UInt8]
    private var position = 0

    /// What a run of `parseNodes` knows about where it reads.
    private struct State {
        /// The name the closing tag `{{/name}}` must give; nil at the top of the template.
        var sectionName: String?
        /// Whether only blanks stand between the line's start and the position.
        var atLineStart = true
        /// Inside a parent's body (`{{<name}}…{{/name}}`), at any depth.
        var inParent = false
        /// Directly in a parent's body, where `{{$name}}` defines a block rather than shows one.
        var atParentTopLevel = false
        /// The blanks that start the first line of a block defined in a parent: removed from
        /// the start of its other lines.
        var blockIndentation: Int?
        var opening: [UInt8] = Array("{{".utf8)
        var closing: [UInt8] = Array("}}".utf8)

        func inSection(_ name: String, atLineStart: Bool) -> State {
            var state = self
            state.sectionName = name
            state.atParentTopLevel = false
            state.atLineStart = self.atLineStart && atLineStart
            return state
        }

        func inParent(_ name: String) -> State {
            var state = self
            state.sectionName = name
            state.inParent = true
            state.atParentTopLevel = true
            state.atLineStart = true
            return state
        }
    }

    /// What one run of `parseNodes` read: nodes, and the blocks defined directly in a parent's body.
    private struct Parsed {
        var nodes: [TemplateNode] = []
        var blocks: [String: [TemplateNode]] = [:]

        mutating func append(text: ArraySlice<UInt8>) {
            guard !text.isEmpty else { return }
            if case .text(let previous) = nodes.last {
                nodes[nodes.count - 1] = .text(previous + text)
            } else {
                nodes.append(.text(Array(text)))
            }
        }
    }

    static func parse(_ text: String) throws(TemplateSyntaxError) -> [TemplateNode] {
        var parser = TemplateParser(bytes: Array(text.utf8))
        return try parser.parseNodes(State()).nodes
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: - Lines and tags

    /// Reads up to the closing tag of `state.sectionName` (or the end of the text).
    private mutating func parseNodes(_ state: State) throws(TemplateSyntaxError) -> Parsed {
        var state = state
        var parsed = Parsed()
        // The blanks at the start of the line, not yet written: a standalone tag drops them.
        var blanks: ArraySlice<UInt8> = []
        while position < bytes.count {
            if state.atLineStart {
                let lineBlanks = readBlanks()
                if state.inParent, !state.atParentTopLevel {
                    if let indentation = state.blockIndentation {
                        blanks = lineBlanks.dropFirst(indentation)
                    } else {
                        state.blockIndentation = lineBlanks.count
                    }
                } else {
                    blanks = lineBlanks
                }
            }
            let (text, lineEnd) = readText(opening: state.opening)
            if let lineEnd {
                parsed.append(text: blanks)
                parsed.append(text: text)
                parsed.append(text: lineEnd)
                state.atLineStart = true
                continue
            }
            if !text.isEmpty {
                parsed.append(text: blanks)
                parsed.append(text: text)
                blanks = []
                state.atLineStart = false
            }
            // The text ended (or, as in swift-mustache, an opening delimiter at the very end is dropped).
            guard position < bytes.count else { break }
            let tagStart = position - state.opening.count
            // Blanks before a tag that is not standalone are text.
            func keepBlanks() {
                parsed.append(text: blanks)
                blanks = []
            }
            var standalone = false
            switch bytes[position] {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = bytes[position] == UInt8(ascii: "^")
                position += 1
                let name = try readName(state, tagStart: tagStart)
                standalone = isStandalone(state)
                if !standalone { keepBlanks() }
                let body = try parseNodes(state.inSection(name.text, atLineStart: standalone)).nodes
                parsed.nodes.append(inverted ? .invertedSection(name, body) : .section(name, body))
            case UInt8(ascii: "/"):
                position += 1
                let nameStart = position
                let name = try readName(state, tagStart: tagStart)
                guard name.text == state.sectionName else { throw TemplateSyntaxError(problem: .wrongSectionClosed, offset: nameStart) }
                if !isStandalone(state) { keepBlanks() }
                return parsed
            case UInt8(ascii: "!"):
                position += 1
                guard let end = find(state.closing, from: position) else {
                    throw TemplateSyntaxError(problem: .unclosedComment, offset: tagStart)
                }
                position = end + state.closing.count
                standalone = isStandalone(state)
            case UInt8(ascii: "{"):
                keepBlanks()
                position += 1
                let name = try readName(state, tagStart: tagStart)
                guard position < bytes.count, bytes[position] == UInt8(ascii: "}") else {
                    throw TemplateSyntaxError(problem: .unclosedTag, offset: position)
                }
                position += 1
                parsed.nodes.append(.variable(name, escaped: false))
            case UInt8(ascii: "&"):
                keepBlanks()
                position += 1
                parsed.nodes.append(.variable(try readName(state, tagStart: tagStart), escaped: false))
            case UInt8(ascii: ">"):
                position += 1
                let name = try readTemplateName(state, tagStart: tagStart)
                parsed.append(text: blanks)
                standalone = isStandalone(state)
                parsed.nodes.append(.partial(name, indentation: standalone ? Array(blanks) : nil))
                blanks = []
            case UInt8(ascii: "<"):
                position += 1
                let name = try readTemplateName(state, tagStart: tagStart)
                parsed.append(text: blanks)
                standalone = isStandalone(state)
                // Text between the blocks of a parent is dropped; any other tag is an error.
                let body = try parseNodes(state.inParent(name.text))
                if body.nodes.contains(where: { if case .text = $0 { false } else { true } }) {
                    throw TemplateSyntaxError(problem: .foreignTagInParent, offset: tagStart)
                }
                parsed.nodes.append(.parent(name, indentation: Array(blanks), blocks: body.blocks))
                blanks = []
            case UInt8(ascii: "$"):
                position += 1
                let name = try readName(state, tagStart: tagStart).text
                if state.atParentTopLevel {
                    standalone = isStandalone(state)
                    parsed.blocks[name] = try parseNodes(state.inSection(name, atLineStart: standalone)).nodes
                } else {
                    parsed.append(text: blanks)
                    standalone = isStandalone(state)
                    let body = try parseNodes(state.inSection(name, atLineStart: standalone)).nodes
                    parsed.nodes.append(.block(name, indentation: Array(blanks), default: body))
                    blanks = []
                }
            case UInt8(ascii: "="):
                position += 1
                (state.opening, state.closing) = try readDelimiters(state, tagStart: tagStart)
                state.atParentTopLevel = false
                standalone = isStandalone(state)
            case UInt8(ascii: "%"):
                position += 1
                parsed.nodes.append(.escaping(try readContentType(state, tagStart: tagStart)))
                standalone = isStandalone(state)
            default:
                keepBlanks()
                parsed.nodes.append(.variable(try readName(state, tagStart: tagStart), escaped: true))
            }
            state.atLineStart = standalone
        }
        guard state.sectionName == nil else { throw TemplateSyntaxError(problem: .unclosedSection, offset: position) }
        return parsed
    }

    /// Whether the tag just read stands alone on its line; if so its line ending is skipped.
    /// (At the very end of the text it stands alone, but not with blanks after it.)
    private mutating func isStandalone(_ state: State) -> Bool {
        guard state.atLineStart else { return false }
        guard position < bytes.count else { return true }
        var end = position
        while end < bytes.count, bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t") { end += 1 }
        guard let length = lineBreakLength(at: end) else { return false }
        position = end + length
        return true
    }

    /// The text up to the next opening delimiter (which is skipped) or line end (which is
    /// returned and skipped): `\n` or `\r\n`.
    private mutating func readText(opening: [UInt8]) -> (text: ArraySlice<UInt8>, lineEnd: ArraySlice<UInt8>?) {
        let start = position
        let first = opening[0]
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\n") {
                position += 1
                return (bytes[start..<(position - 1)], bytes[(position - 1)..<position])
            }
            if byte == UInt8(ascii: "\r"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\n") {
                position += 2
                return (bytes[start..<(position - 2)], bytes[(position - 2)..<position])
            }
            if byte == first, hasPrefix(opening, at: position) {
                position += opening.count
                return (bytes[start..<(position - opening.count)], nil)
            }
            position += 1
        }
        return (bytes[start..<position], nil)
    }

    /// A variable or section name and the closing delimiter after it.
    private mutating func readName(_ state: State, tagStart: Int) throws(TemplateSyntaxError) -> TemplateName {
        skipWhiteSpace()
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position]) { position += 1 }
        let name = bytes[start..<position]
        skipWhiteSpace()
        guard hasPrefix(state.closing, at: position) else { throw TemplateSyntaxError(problem: .unclosedTag, offset: position) }
        position += state.closing.count
        if name.contains(UInt8(ascii: "(")) || name.contains(UInt8(ascii: ")")) {
            throw TemplateSyntaxError(problem: .transform, offset: tagStart)
        }
        return TemplateName(String(decoding: name, as: UTF8.self), offset: tagStart)
    }

    /// The name of a partial or parent (it may hold `/`) and the closing delimiter after it.
    private mutating func readTemplateName(_ state: State, tagStart: Int) throws(TemplateSyntaxError) -> TemplateName {
        skipWhiteSpace()
        guard position >= bytes.count || bytes[position] != UInt8(ascii: "*") else {
            throw TemplateSyntaxError(problem: .dynamicName, offset: tagStart)
        }
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position]) || bytes[position] == UInt8(ascii: "/") { position += 1 }
        let name = bytes[start..<position]
        skipWhiteSpace()
        guard hasPrefix(state.closing, at: position) else { throw TemplateSyntaxError(problem: .unclosedTag, offset: position) }
        position += state.closing.count
        return TemplateName(String(decoding: name, as: UTF8.self), offset: tagStart)
    }

    /// `{{=<% %>=}}`: the new opening and closing delimiters.
    private mutating func readDelimiters(_ state: State, tagStart: Int) throws(TemplateSyntaxError) -> ([UInt8], [UInt8]) {
        let invalid = TemplateSyntaxError(problem: .invalidDelimiters, offset: tagStart)
        skipWhiteSpace()
        let opening = readUntil { $0.isSpace }
        skipWhiteSpace()
        let closing = readUntil { $0 == "=" || $0.isSpace }
        skipWhiteSpace()
        guard let opening, let closing, !opening.isEmpty, !closing.isEmpty,
              position < bytes.count, bytes[position] == UInt8(ascii: "="), hasPrefix(state.closing, at: position + 1) else {
            throw invalid
        }
        position += 1 + state.closing.count
        return (Array(opening), Array(closing))
    }

    /// `{{% CONTENT_TYPE: HTML}}` (true: escape) or `TEXT` (false).
    private mutating func readContentType(_ state: State, tagStart: Int) throws(TemplateSyntaxError) -> Bool {
        let unknown = TemplateSyntaxError(problem: .unknownPragma, offset: tagStart)
        func word() -> ArraySlice<UInt8> {
            skipWhiteSpace()
            let start = position
            while position < bytes.count, Self.isNameByte(bytes[position]), bytes[position] != UInt8(ascii: "("),
                  bytes[position] != UInt8(ascii: ")") { position += 1 }
            defer { skipWhiteSpace() }
            return bytes[start..<position]
        }
        guard word().elementsEqual("CONTENT_TYPE".utf8), position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw unknown }
        position += 1
        let value = word()
        guard hasPrefix(state.closing, at: position) else { throw unknown }
        position += state.closing.count
        if value.elementsEqual("HTML".utf8) { return true }
        if value.elementsEqual("TEXT".utf8) { return false }
        throw unknown
    }

    // MARK: - Bytes

    /// The characters of names: ASCII letters and digits and `. - _ ? ( ) *`.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "?"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"):
            true
        default:
            false
        }
    }

    /// Spaces and tabs.
    private mutating func readBlanks() -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") { position += 1 }
        return bytes[start..<position]
    }

    /// White space of any kind, line breaks included, as inside tags.
    private mutating func skipWhiteSpace() {
        while let (scalar, length) = scalar(at: position), scalar.isSpace { position += length }
    }

    /// The scalars up to one that `isEnd`; nil when the text ends first.
    private mutating func readUntil(_ isEnd: (Unicode.Scalar) -> Bool) -> ArraySlice<UInt8>? {
        let start = position
        while let (scalar, length) = scalar(at: position) {
            if isEnd(scalar) { return bytes[start..<position] }
            position += length
        }
        return nil
    }

    /// The length of the line break at `offset`, if one starts there: `\n`, `\r\n`, `\r`, a
    /// vertical tab or form feed, U+0085, U+2028 or U+2029 (what a standalone tag's line may end with).
    private func lineBreakLength(at offset: Int) -> Int? {
        guard let (scalar, length) = scalar(at: offset) else { return nil }
        switch scalar {
        case "\r": return offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "\n") ? 2 : 1
        case "\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": return length
        default: return nil
        }
    }

    /// The scalar that starts at `offset` and its length in bytes.
    private func scalar(at offset: Int) -> (Unicode.Scalar, Int)? {
        bytes.withUnsafeBufferPointer { $0.scalar(at: offset) }
    }

    private func hasPrefix(_ prefix: [UInt8], at offset: Int) -> Bool {
        offset + prefix.count <= bytes.count && bytes[offset..<(offset + prefix.count)].elementsEqual(prefix)
    }

    private func find(_ needle: [UInt8], from offset: Int) -> Int? {
        var candidate = offset
        while candidate + needle.count <= bytes.count {
            if hasPrefix(needle, at: candidate) { return candidate }
            candidate += 1
        }
        return nil
    }
}
