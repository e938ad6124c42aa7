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

    private static func isDelimiter(_ file: SourceText, line: Int, allowingDots: Bool) -> Bool {
        var text = file.slice(file.lineRange(line))
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text == "---" || (allowingDots && text == "...")
    }
}

/// Typed access to the keys of one file's front matter. Every key asked for is a known key;
/// `finish()` reports the others as unknown, and every type error is collected, not thrown.
struct FrontMatterFields {
    private var entries: [(key: String, value: Node, location: SourceLocation)] = []
    private var known: Set<String> = []
    private let file: SourceText
    private let yamlFirstLine: Int
    /// Whether the YAML holds a line break that ends no line of the file (see `yamlLineBreaks`).
    private var yamlHasOtherLineBreaks = false
    /// False when the YAML could not be read: then no key is reported missing on top of that error.
    private var isReadable = true
    private(set) var diagnostics: [Diagnostic] = []

    init(_ split: FrontMatterSplit, of file: SourceText) {
        self.file = file
        self.yamlFirstLine = split.yamlFirstLine
        guard let yaml = split.yaml else { return }
        yamlHasOtherLineBreaks = yaml.unicodeScalars.contains { $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }
        if let excess = YAMLBudget.excess(in: yaml) {
            isReadable = false
            diagnostics.append(.error(.load, at: file.location(line: yamlFirstLine + excess.line - 1, column: excess.column),
                                      excess.message))
            return
        }
        do {
            // The encoding named: Yams' default looks it up in the environment on every call.
            guard let root = try Yams.compose(yaml: yaml, .default, .default, .utf8) else { return }
            guard let mapping = root.mapping else {
                isReadable = false
                diagnostics.append(.error(.load, at: location(of: root.mark),
                                          "front matter must be a mapping of keys to values"))
                return
            }
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    diagnostics.append(.error(.load, at: location(of: key.mark), "front-matter keys must be plain text"))
                    continue
                }
                entries.append((name, value, location(of: key.mark)))
            }
        } catch let error as YamlError {
            isReadable = false
            diagnostics.append(diagnostic(for: error))
        } catch {
            isReadable = false
            diagnostics.append(.error(.load, at: file.location(line: yamlFirstLine), "front matter: \(error)"))
        }
    }

    var hasErrors: Bool { diagnostics.hasErrors }

    /// Every key, in the order written.
    var keys: [String] { entries.map(\.key) }

    private func location(of mark: Mark?) -> SourceLocation {
        guard let mark else { return file.location(line: yamlFirstLine) }
        return file.location(ofOffset: offset(of: mark))
    }

    /// What libyaml takes for a line break: also U+0085, U+2028 and U+2029, which end no line
    /// of the file.
    private static let yamlLineBreaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]

    /// The file offset of a position libyaml reports, found by reading the YAML as libyaml does:
    /// its lines and columns (in scalars) count from the YAML's start, past a byte order mark there.
    private func offset(of mark: Mark) -> Int {
        let scalars = file.scalars
        var offset = file.lineRange(yamlFirstLine).lowerBound
        if offset < scalars.count, scalars[offset] == "\u{FEFF}" { offset += 1 }
        if !yamlHasOtherLineBreaks, mark.line > 1 {
            // libyaml's lines are the file's: the line's start is known.
            offset = file.lineRange(yamlFirstLine + mark.line - 1).lowerBound
        } else {
            var line = 1
            while line < mark.line, offset < scalars.count {
                let scalar = scalars[offset]
                offset += 1
                if scalar == "\r", offset < scalars.count, scalars[offset] == "\n" { offset += 1 }
                if Self.yamlLineBreaks.contains(scalar) { line += 1 }
            }
        }
        var column = 1
        while column < mark.column, offset < scalars.count, !Self.yamlLineBreaks.contains(scalars[offset]) {
            offset += 1
            column += 1
        }
        return offset
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

    private mutating func entry(_ key: String) -> (value: Node, location: SourceLocation)? {
        known.insert(key)
        guard let found = entries.first(where: { $0.key == key }) else { return nil }
        if found.value.null != nil { return nil }
        return (found.value, found.location)
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
        let text = scalar.string.trimmed
        if text.isEmpty, required {
            diagnostics.append(.error(.load, at: location, "'\(key)' must not be empty"))
            return nil
        }
        return text.isEmpty ? nil : text
    }

    /// Where the value's scalar starts in the file (for locating its text in the source).
    mutating func scalarOffset(_ key: String) -> Int? {
        entry(key)?.value.scalar?.mark.map(offset(of:))
    }

    /// A list of texts; a single text is taken as a list of one.
    mutating func strings(_ key: String) -> [String] {
        guard let (value, location) = entry(key) else { return [] }
        if let scalar = value.scalar { return [scalar.string] }
        guard let sequence = value.sequence else {
            diagnostics.append(.error(.load, at: location, "'\(key)' must be a list of texts"))
            return []
        }
        var result: [String] = []
        for item in sequence {
            if let text = item.scalar?.string.trimmed, !text.isEmpty {
                result.append(text)
            } else {
                diagnostics.append(.error(.load, at: self.location(of: item.mark), "every item of '\(key)' must be a non-empty text"))
            }
        }
        return result
    }

    mutating func number(_ key: String) -> Double? {
        guard let (value, location) = entry(key) else { return nil }
        guard let text = value.scalar?.string, let number = Double(text), number.isFinite else {
            diagnostics.append(.error(.load, at: location, "'\(key)' must be a number"))
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let (value, location) = entry(key) else { return nil }
        switch value.scalar?.string.lowercased() {
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
            diagnostics.append(.warning(.load, at: entry.location,
                                        "unknown front-matter key '\(entry.key)' (known keys: \(expected))"))
        }
    }
}
