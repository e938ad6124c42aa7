// The front matter of a Markdown article: the splitter, then the typed fields an article reads
// (title, date, lists) and where the title stands in the file.
@testable import DossierCore
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = SourceText(path: "content/articles/fuzz.md", text: FuzzInput.text(data, size))
    checkSplit(of: file)
    checkArticle(in: file)
    return 0
}

/// Whether `line` (without its line ending) closes front matter, or opens it when `allowingDots` is false.
private func isDelimiter(_ line: Substring, allowingDots: Bool) -> Bool {
    let trimmed = line.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
    return String(trimmed) == "---" || (allowingDots && String(trimmed) == "...")
}

/// The lines of `text` without their endings (`\n`, `\r\n`, a lone `\r`), and the endings.
private func lines(of text: String) -> [(line: Substring, ending: String)] {
    var result: [(Substring, String)] = []
    var rest = Substring(text)
    while !rest.isEmpty {
        guard let end = rest.unicodeScalars.firstIndex(where: { $0 == "\n" || $0 == "\r" }) else {
            result.append((rest, ""))
            break
        }
        let isCRLF = rest.unicodeScalars[end] == "\r" && rest.unicodeScalars.index(after: end) < rest.endIndex
            && rest.unicodeScalars[rest.unicodeScalars.index(after: end)] == "\n"
        let after = rest.unicodeScalars.index(end, offsetBy: isCRLF ? 2 : 1)
        result.append((rest[..<end], String(rest[end..<after])))
        rest = rest[after...]
    }
    return result
}

/// The file is its opening delimiter line, the YAML, the first closing delimiter line and the body.
private func checkSplit(of file: SourceText) {
    var diagnostics: [Diagnostic] = []
    let split = FrontMatterSplit.split(file, &diagnostics)
    let fileLines = lines(of: file.text)
    let opens = fileLines.count > 1 || (fileLines.count == 1 && !fileLines[0].ending.isEmpty)
    let isOpened = opens && isDelimiter(fileLines[0].line, allowingDots: false)
    guard let split else {
        invariant(isOpened, "an error for a file that opens no front matter")
        invariant(diagnostics.count == 1 && diagnostics[0].severity == .error, "not one error: \(diagnostics)")
        invariant(!fileLines.dropFirst().contains { isDelimiter($0.line, allowingDots: true) }, "a closed front matter reported unclosed")
        file.checkLocations(of: diagnostics)
        return
    }
    invariant(diagnostics.isEmpty, "diagnostics for a front matter that was split: \(diagnostics)")
    invariant(split.body.upperBound == file.scalars.count, "the body ends at \(split.body.upperBound) of \(file.scalars.count)")
    guard let yaml = split.yaml else {
        invariant(!isOpened, "no front matter found in a file that opens one")
        invariant(split.body == 0..<file.scalars.count && split.bodyFirstLine == 1, "the body of a file without front matter is not all of it")
        return
    }
    invariant(isOpened, "front matter found in a file that opens none")
    let head = file.slice(0..<split.body.lowerBound)
    let headLines = lines(of: head)
    invariant(headLines.count >= 2, "front matter without two delimiter lines: \(head.debugDescription)")
    invariant(isDelimiter(headLines[0].line, allowingDots: false) && isDelimiter(headLines.last!.line, allowingDots: true),
              "front matter not between delimiter lines: \(head.debugDescription)")
    let inner = headLines.dropFirst().dropLast()
    invariant(!inner.contains { isDelimiter($0.line, allowingDots: true) }, "front matter ends after a delimiter: \(head.debugDescription)")
    invariant(yaml == inner.map { $0.line + $0.ending }.joined(), "YAML \(yaml.debugDescription) is not the lines in \(head.debugDescription)")
    invariant(split.yamlFirstLine == 2, "the YAML starts on line \(split.yamlFirstLine)")
    let bodyLine = split.body.isEmpty ? file.lineCount : file.line(ofOffset: split.body.lowerBound)
    invariant(split.bodyFirstLine == bodyLine, "the body starts on line \(bodyLine), not \(split.bodyFirstLine)")
}

/// An article is loaded with a non-empty title, or there is an error; the title's offsets lie in
/// the front matter, in order, on its characters (or on the `&` of an entity written for one).
private func checkArticle(in file: SourceText) {
    var diagnostics: [Diagnostic] = []
    let article = ArticleLoader.load(id: "fuzz", file: file, format: .markdown, &diagnostics)
    file.checkLocations(of: diagnostics)
    guard let article else {
        invariant(diagnostics.hasErrors, "an article left out without an error")
        return
    }
    invariant(!diagnostics.hasErrors, "an article loaded despite errors: \(diagnostics)")
    let title = Array(article.title.unicodeScalars)
    invariant(!title.isEmpty, "an empty title")
    invariant(!title.first!.properties.isWhitespace && !title.last!.properties.isWhitespace, "an untrimmed title \(article.title.debugDescription)")
    guard case .markdown(let body) = article.body else { fatalError("a Markdown article with another body") }
    guard let offsets = article.titleOffsets else { return }
    invariant(offsets.count == title.count, "\(offsets.count) offsets for a title of \(title.count)")
    for (index, offset) in offsets.enumerated() {
        invariant((0..<body.range.lowerBound).contains(offset), "title offset \(offset) outside the front matter")
        invariant(index == 0 || offset > offsets[index - 1], "title offsets out of order: \(offsets)")
        invariant(file.scalars[offset] == title[index] || file.scalars[offset] == "&",
                  "title character \(title[index].escaped(asASCII: true)) at \(file.scalars[offset].escaped(asASCII: true))")
    }
}
