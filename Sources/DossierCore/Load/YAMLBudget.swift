// Yams' own libyaml: its `CYaml` module, which Yams imports internally.
import CYaml

/// What composing a YAML text would cost, counted on libyaml's events before Yams builds its
/// nodes. Yams expands an alias in full wherever it compares nodes (every mapping key, for
/// duplicates), so a few lines of anchors that alias each other, a "billion laughs", would
/// keep a build busy for hours; and nodes nested deep enough would exhaust a thread's stack.
/// Front matter needs neither, so both are bounded.
enum YAMLBudget {
    /// Nodes that aliases may add beyond those written out.
    static let maximumAliasedNodes = 10_000
    /// Collections inside collections.
    static let maximumDepth = 32

    /// Where a YAML text goes over budget: 1-based line and column within the text.
    struct Excess: Equatable {
        let line: Int
        let column: Int
        let message: String
    }

    /// The first place `yaml` goes over budget; nil when it stays within, or when libyaml
    /// cannot read it (Yams then reports the syntax error).
    static func excess(in yaml: String) -> Excess? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var counter = NodeCounter()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                func excess(_ message: String) -> Excess {
                    Excess(line: mark.line + 1, column: mark.column + 1, message: message)
                }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    counter.scalar(anchor: anchorName(event.data.scalar.anchor))
                case YAML_ALIAS_EVENT:
                    counter.alias(anchorName(event.data.alias.anchor))
                case YAML_SEQUENCE_START_EVENT:
                    counter.open(anchor: anchorName(event.data.sequence_start.anchor))
                case YAML_MAPPING_START_EVENT:
                    counter.open(anchor: anchorName(event.data.mapping_start.anchor))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    counter.close()
                default:
                    continue
                }
                if counter.depth > maximumDepth {
                    return excess("YAML nested more than \(maximumDepth) levels deep")
                }
                if counter.aliased > maximumAliasedNodes {
                    return excess("YAML aliases expand to more than \(maximumAliasedNodes) nodes: "
                                  + "anchors (&) and aliases (*) that repeat each other are not read")
                }
            }
        }
    }

    private static func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// Nodes as written and as Yams would expand them, and each anchor's expanded size.
    private struct NodeCounter {
        private var written = 0
        private var expanded = 0
        private var sizes: [String: Int] = [:]
        /// Each open collection: the expanded count before it, and its anchor.
        private var openCollections: [(start: Int, anchor: String?)] = []

        var depth: Int { openCollections.count }
        var aliased: Int { expanded - written }

        mutating func scalar(anchor: String?) {
            written += 1
            expanded += 1
            if let anchor { sizes[anchor] = 1 }
        }

        mutating func alias(_ anchor: String?) {
            expanded += anchor.flatMap { sizes[$0] } ?? 1
        }

        mutating func open(anchor: String?) {
            openCollections.append((expanded, anchor))
            written += 1
            expanded += 1
        }

        mutating func close() {
            guard let collection = openCollections.popLast() else { return }
            if let anchor = collection.anchor { sizes[anchor] = expanded - collection.start }
        }
    }
}
