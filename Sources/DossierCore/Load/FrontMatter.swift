import Yams

/// A file split into its YAML front matter (between `---` lines) and its body.
struct FrontMatterSplit {
    /// The YAML text, nil when the file has no front matter.
    let yaml: String?
    /// The file line of the YAML's first line.
    let yamlFirstLine: Int
    /// The offsets of the body and the line it starts on (the file's last line when the body
    /// is empty and no line follows the closing `---`).
    let body: Range<Int>
    let bodyFirstLine: Int

    /// Splits `file`; a front matter that is opened but never closed is an error at line 1.
    static func split(_ file: SourceText, _ diagnostics: inout [Diagnostic]) -> FrontMatterSplit? {
        let whole = 0..<file.scalars.count
        guard file.lineCount > 1, isDelimiter(file, line: 1, allowingDots: false) else {
            return FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: whole, bodyFirstLine: 1)
        }
        for line in 2...file.lineCount where isDelimiter(file, line: line, allowingDots: true) {
            let yamlRange = file.lineRange(2).lowerBound..<file.lineRange(line).lowerBound
            let bodyStart = line < file.lineCount ? file.lineRange(line + 1).lowerBound : file.scalars.count
            return FrontMatterSplit(
                yaml: file.slice(yamlRange), yamlFirstLine: 2,
                body: bodyStart..<file.scalars.count, bodyFirstLine: min(line + 1, file.lineCount))
        }
        diagnostics.append(.error(.load, at: file.location(line: 1, column: 1),
                                  "front matter opened by '---' on line 1 is never closed by a '---' line"))
        return nil
    }

    /// Whether the line is `---` (or `...`), white space after it aside: compared as bytes,
    /// as every line of the front matter is asked.
    private static func isDelimiter(_ file: SourceText, line: Int, allowingDots: Bool) -> Bool {
        let range = file.lineRanges(line).utf8
        return file.withUTF8 { bytes in
            var end = range.upperBound
            while end > range.lowerBound, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
            guard end - range.lowerBound == 3 else { return false }
            let text = bytes[range.lowerBound..<end]
            return text.elementsEqual("---".utf8) || (allowingDots && text.elementsEqual("...".utf8))
        }
    }
}

/// Typed access to the keys of one file's front matter. Every key asked for is a known key;
/// `finish()` reports the others as unknown, and every type error is collected, not thrown.
struct FrontMatterFields {
    private var entries: [(key: String, value: YAMLValue, keyMark: YAMLMark?)] = []
    private var known: Set<String> = []
    private let file: SourceText
    private let yamlFirstLine: Int
    /// False when the YAML could not be read: then no key is reported missing on top of that error.
    private var isReadable = true
    private(set) var diagnostics: [Diagnostic] = []

    init(_ split: FrontMatterSplit, of file: SourceText) {
        self.file = file
        self.yamlFirstLine = split.yamlFirstLine
        guard let yaml = split.yaml else { return }
        if let simple = FrontMatterYAML.simpleEntries(of: yaml) {
            entries = simple.map { ($0.key, $0.value, $0.keyMark) }
            return
        }
        if let excess = YAMLBudget.excess(in: yaml) {
            isReadable = false
            diagnostics.append(.error(.load, at: file.location(line: yamlFirstLine + excess.line - 1, column: excess.column),
                                      excess.message))
            return
        }
        do {
            guard let root = try Yams.compose(yaml: yaml, .default, .default, .utf8) else { return }
            guard let mapping = root.mapping else {
                isReadable = false
                diagnostics.append(.error(.load, at: location(of: Self.mark(of: root)),
                                          "front matter must be a mapping of keys to values"))
                return
            }
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    diagnostics.append(.error(.load, at: location(of: Self.mark(of: key)), "front-matter keys must be plain text"))
                    continue
                }
                entries.append((name, YAMLValue(value), Self.mark(of: key)))
            }
        } catch let error as YamlError {
            isReadable = false
            diagnostics.append(diagnostic(for: error))
        } catch {
            isReadable = false
            diagnostics.append(.error(.load, at: file.location(line: yamlFirstLine), "front matter: \(error)"))
        }
    }

    private static func mark(of node: Node) -> YAMLMark? {
        node.mark.map { YAMLMark(line: $0.line, column: $0.column) }
    }

    var hasErrors: Bool { diagnostics.hasErrors }

    /// Every key, in the order written.
    var keys: [String] { entries.map(\.key) }

    private func location(of mark: YAMLMark?) -> SourceLocation {
        guard let mark else { return file.location(line: yamlFirstLine) }
        return file.location(ofOffset: offset(of: mark))
    }

    private func location(of mark: Mark?) -> SourceLocation {
        location(of: mark.map { YAMLMark(line: $0.line, column: $0.column) })
    }

    /// What libyaml takes for a line break: also U+0085, U+2028 and U+2029, which end no line
    /// of the file.
    private static func isYAMLLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": true
        default: false
        }
    }

    /// The file offset of a position libyaml reports, found by reading the YAML as libyaml does:
    /// its lines and columns (in scalars) count from the YAML's start, past a byte order mark there.
    private func offset(of mark: YAMLMark) -> Int {
        let start = file.lineRanges(yamlFirstLine)
        return file.withUTF8 { bytes in
            var offset = start.scalars.lowerBound
            var index = start.utf8.lowerBound
            func scalar() -> Unicode.Scalar { SourceText.decodeScalar(in: bytes, at: index) }
            func advance() {
                index += SourceText.scalarLength(startingWith: bytes[index])
                offset += 1
            }
            if index < bytes.count, scalar() == "\u{FEFF}" { advance() }
            var line = 1
            while line < mark.line, index < bytes.count {
                let current = scalar()
                advance()
                if current == "\r", index < bytes.count, bytes[index] == UInt8(ascii: "\n") { advance() }
                if Self.isYAMLLineBreak(current) { line += 1 }
            }
            var column = 1
            while column < mark.column, index < bytes.count, !Self.isYAMLLineBreak(scalar()) {
                advance()
                column += 1
            }
            return offset
        }
    }

    private func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return .error(.load, at: location(of: mark), "invalid YAML in front matter: \(detail)\(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error(.load, at: location(of: context.mark),
                          "duplicate front-matter key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        case let .reader(problem, _, _, _):
            return .error(.load, at: file.location(line: yamlFirstLine), "unreadable front matter: \(problem)")
        default:
            return .error(.load, at: file.location(line: yamlFirstLine), "invalid front matter: \(error)")
        }
    }

    private mutating func entry(_ key: String) -> (value: YAMLValue, location: SourceLocation)? {
        known.insert(key)
        guard let found = entries.first(where: { $0.key == key }) else { return nil }
        if found.value.isNull { return nil }
        return (found.value, location(of: found.keyMark))
    }

    /// Where the value of `key` starts, or the file's first line.
    mutating func location(of key: String) -> SourceLocation {
        entries.first(where: { $0.key == key }).map { location(of: $0.value.mark) } ?? file.location(line: 1)
    }

    /// A text value; `required` reports its absence as an error.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let (value, location) = entry(key) else {
            if required, isReadable {
                diagnostics.append(.error(.load, at: file.location(line: 1), "missing required front-matter key '\(key)'"))
            }
            return nil
        }
        guard let scalar = value.scalar else {
            diagnostics.append(.error(.load, at: location, "'\(key)' must be a text, not a list or mapping"))
            return nil
        }
        let text = scalar.trimmed
        if text.isEmpty, required {
            diagnostics.append(.error(.load, at: location, "'\(key)' must not be empty"))
            return nil
        }
        return text.isEmpty ? nil : text
    }

    /// Where the value's scalar starts in the file (for locating its text in the source).
    mutating func scalarOffset(_ key: String) -> Int? {
        guard let value = entry(key)?.value, value.scalar != nil else { return nil }
        return value.mark.map(offset(of:))
    }

    /// A list of texts; a single text is taken as a list of one.
    mutating func strings(_ key: String) -> [String] {
        guard let (value, location) = entry(key) else { return [] }
        if let scalar = value.scalar { return [scalar] }
        guard let sequence = value.sequence else {
            diagnostics.append(.error(.load, at: location, "'\(key)' must be a list of texts"))
            return []
        }
        var result: [String] = []
        for item in sequence {
            if let text = item.scalar?.trimmed, !text.isEmpty {
                result.append(text)
            } else {
                diagnostics.append(.error(.load, at: self.location(of: item.mark), "every item of '\(key)' must be a non-empty text"))
            }
        }
        return result
    }

    mutating func number(_ key: String) -> Double? {
        guard let (value, location) = entry(key) else { return nil }
        guard let text = value.scalar, let number = Double(text), number.isFinite else {
            diagnostics.append(.error(.load, at: location, "'\(key)' must be a number"))
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let (value, location) = entry(key) else { return nil }
        switch value.scalar?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            diagnostics.append(.error(.load, at: location, "'\(key)' must be true or false"))
            return nil
        }
    }

    mutating func date(_ key: String) -> ArticleDate? {
        guard let text = string(key) else { return nil }
        guard let date = ArticleDate(text) else {
            diagnostics.append(.error(.load, at: location(of: key),
                                      "'\(key)' must be a date as YYYY-MM-DD or ISO 8601, not '\(text)'"))
            return nil
        }
        return date
    }

    /// Reports every key that was never asked for as unknown (a warning).
    mutating func finish() {
        for entry in entries where !known.contains(entry.key) {
            let expected = known.sorted().joined(separator: ", ")
            diagnostics.append(.warning(.load, at: location(of: entry.keyMark),
                                        "unknown front-matter key '\(entry.key)' (known keys: \(expected))"))
        }
    }
}
