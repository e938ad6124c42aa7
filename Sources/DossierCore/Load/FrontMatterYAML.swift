// Yams' own libyaml: its `CYaml` module, which Yams imports internally.
import CYaml
import Yams

/// A position libyaml reports: 1-based line and column (in scalars) within the YAML text.
struct YAMLMark: Equatable {
    let line: Int
    let column: Int
}

/// A front-matter value as the typed fields read it: what Yams composes, reduced to text,
/// lists, and everything else.
struct YAMLValue: Equatable {
    enum Content: Equatable {
        /// The text as written (escapes resolved), and whether it was written plain (unquoted).
        case scalar(String, isPlain: Bool)
        case sequence([YAMLValue])
        /// A mapping: neither a text nor a list.
        case other
    }

    let content: Content
    let mark: YAMLMark?

    var scalar: String? {
        if case .scalar(let text, _) = content { text } else { nil }
    }

    var sequence: [YAMLValue]? {
        if case .sequence(let items) = content { items } else { nil }
    }

    /// Whether YAML reads the value as null: plain `~`, `null`, `Null`, `NULL` or nothing (as Yams' `Node.null`).
    var isNull: Bool {
        guard case .scalar(let text, isPlain: true) = content else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    init(content: Content, mark: YAMLMark?) {
        self.content = content
        self.mark = mark
    }

    /// The value of a node Yams composed.
    init(_ node: Node) {
        switch node {
        case .scalar(let scalar): content = .scalar(scalar.string, isPlain: scalar.style == .plain)
        case .sequence(let sequence): content = .sequence(sequence.map(YAMLValue.init))
        case .mapping, .alias: content = .other
        }
        mark = node.mark.map { YAMLMark(line: $0.line, column: $0.column) }
    }
}

/// Front matter as editors write it, read in one pass over libyaml's events: a mapping of
/// distinct plain keys to texts and lists of texts, without anchors, aliases or tags. Anything
/// else (an error too) is left to Yams, behind the budget of `YAMLBudget`, which composes it with
/// every check and message; for what this reads, Yams would compose the same entries. Composing
/// through Yams costs more than the rest of loading an article (it checks keys for duplicates by
/// hashing nodes, resolves every tag by regular expressions, reads the environment per parse).
enum FrontMatterYAML {
    struct Entry {
        let key: String
        let value: YAMLValue
        let keyMark: YAMLMark
    }

    /// The entries of `yaml`, in the order written; nil when it is not that simple.
    static func simpleEntries(of yaml: String) -> [Entry]? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        // As Yams sets it up, so that libyaml reads the same events and marks.
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        var yaml = yaml
        return yaml.withUTF8 { bytes in
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            return withUnsafeMutablePointer(to: &parser) { parser in
                var reader = EventReader(parser: parser)
                return reader.entries()
            }
        }
    }

    /// Reads events one by one; every method returns nil where the text is not simple.
    private struct EventReader {
        /// The parser, which must not be copied: it holds pointers into its own buffers.
        let parser: UnsafeMutablePointer<yaml_parser_t>

        /// The next event's type and what the entries need of it, the event freed.
        private mutating func next() -> Event? {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                guard scalar.anchor == nil, scalar.tag == nil,
                      let text = Self.text(scalar.value, length: scalar.length) else { return .unsupported }
                return .scalar(YAMLValue(content: .scalar(text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE), mark: mark))
            case YAML_SEQUENCE_START_EVENT:
                let start = event.data.sequence_start
                return start.anchor == nil && start.tag == nil ? .sequenceStart(mark) : .unsupported
            case YAML_MAPPING_START_EVENT:
                let start = event.data.mapping_start
                return start.anchor == nil && start.tag == nil ? .mappingStart : .unsupported
            case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
            case YAML_MAPPING_END_EVENT: return .mappingEnd
            case YAML_STREAM_START_EVENT: return .streamStart
            case YAML_STREAM_END_EVENT: return .streamEnd
            case YAML_DOCUMENT_START_EVENT: return .documentStart
            case YAML_DOCUMENT_END_EVENT: return .documentEnd
            default: return .unsupported
            }
        }

        private enum Event {
            case streamStart, streamEnd, documentStart, documentEnd, mappingStart, mappingEnd, sequenceEnd, unsupported
            case sequenceStart(YAMLMark)
            case scalar(YAMLValue)
        }

        /// A scalar's text as Yams decodes it; nil for a text that starts with a byte-order
        /// mark, which Foundation's decoding there drops.
        private static func text(_ value: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String? {
            let bytes = UnsafeBufferPointer(start: value, count: length)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }
            return String(validating: bytes, as: UTF8.self)
        }

        mutating func entries() -> [Entry]? {
            guard case .streamStart? = next() else { return nil }
            switch next() {
            case .streamEnd?: return []
            case .documentStart?: break
            default: return nil
            }
            guard case .mappingStart? = next() else { return nil }
            var entries: [Entry] = []
            var keys: Set<String> = []
            while true {
                guard let event = next() else { return nil }
                if case .mappingEnd = event { break }
                guard case .scalar(let key) = event, let name = key.scalar, let keyMark = key.mark,
                      keys.insert(name).inserted, let value = value() else { return nil }
                entries.append(Entry(key: name, value: value, keyMark: keyMark))
            }
            guard case .documentEnd? = next(), case .streamEnd? = next() else { return nil }
            return entries
        }

        /// A text, or a list of texts.
        private mutating func value() -> YAMLValue? {
            switch next() {
            case .scalar(let value)?:
                return value
            case .sequenceStart(let mark)?:
                var items: [YAMLValue] = []
                while true {
                    switch next() {
                    case .scalar(let item)?: items.append(item)
                    case .sequenceEnd?: return YAMLValue(content: .sequence(items), mark: mark)
                    default: return nil
                    }
                }
            default:
                return nil
            }
        }
    }
}
