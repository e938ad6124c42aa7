// Finding mentions: the name matcher over any text, and the linker over a plain-text or
// Markdown article, with a registry of German, Turkish and Kurmanji names and, from the input,
// one more entity with names of any kind.
//
// Input: one byte of options (language, article format, kind of the extra entity), the
// article's text, then optionally a NUL byte and the extra entity's names, one per line (the
// first eight, of up to 60 characters: names as editors write them). With an extra entity the
// registry is smaller, as compiling a matcher per input costs more than the rest, but it still
// shares a form, mixes kinds and has names with diacritics.
@testable import DossierCore
import FuzzSupport

private func entity(_ kind: EntityKind, _ id: String, _ name: String, _ aliases: [String] = []) -> Entity {
    let file = SourceText(path: "content/\(kind.folder)/\(id).md", text: "")
    return Entity(ref: EntityRef(kind, id), name: name, aliases: aliases, shownAliases: [], category: nil, wikidata: nil,
                  links: [], coordinate: nil, within: nil, withinLocation: nil,
                  description: MarkdownSource(file: file, range: 0..<0, firstLine: 1))
}

private let entities = [
    entity(.actor, "qsd", "Demokratische Kräfte Syriens", ["QSD", "SDF", "Hêzên Sûriya Demokratîk"]),
    entity(.actor, "hasim-mihemed", "Haşim Mihemed"),
    entity(.actor, "erdogan", "Recep Tayyip Erdoğan", ["Erdoğan"]),
    entity(.actor, "islamischer-staat", "Islamischer Staat", ["IS", "IŞİD", "DAİŞ", "Dewleta Îslamî"]),
    entity(.actor, "tuerkischer-staat", "Türkischer Staat", ["Regierung in Ankara"]),
    entity(.actor, "ban-ki-moon", "Ban Ki-moon"),
    entity(.actor, "nato", "NATO"),
    entity(.place, "dera-zor", "Dêra Zor", ["Deir ez-Zor", "Deir Essor"]),
    entity(.place, "efrin", "Efrîn", ["Afrin", "Efrin"]),
    entity(.place, "syrien", "Syrien", ["Syria", "Suriye", "Sûriye"]),
    entity(.place, "tuerkei", "Türkei", ["Türkiye", "Tirkiye"]),
    entity(.place, "qamislo", "Qamişlo", ["Qamishli", "Kamışlı"]),
    entity(.place, "irak", "Irak"),
    entity(.actor, "georgia-band", "Georgia"),
    entity(.place, "georgia", "Georgia"),
]

private let languages = ["de", "en", "tr", "ku", "fr"]

/// The linker and matchers of the fixed registry, made once: most inputs add no entity.
private let fixed = Registry(entities: entities)
private let fixedLinker = Linker(registry: fixed, articleLanguages: Set(languages), articleIDs: [], noteIDs: [])
private let fixedMatchers = Dictionary(uniqueKeysWithValues: languages.map {
    ($0, NameMatcher(registry: fixed, rules: .forLanguage($0)))
})

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let options = Int(data[0])
    let language = languages[options % languages.count]
    let isMarkdown = options / languages.count % 2 == 1
    let (articleBytes, namesBytes) = FuzzInput.split(data + 1, size - 1, at: 0)

    var registry = fixed
    var linker = fixedLinker
    var matcher = fixedMatchers[language]!
    if let namesBytes {
        let names = FuzzInput.text(namesBytes).split(whereSeparator: \.isNewline).prefix(8).map { String($0.prefix(60)) }
        let kind: EntityKind = options / (languages.count * 2) % 2 == 1 ? .place : .actor
        let companions = entities.filter { ["qsd", "islamischer-staat", "efrin", "georgia", "georgia-band"].contains($0.ref.id) }
        registry = Registry(entities: companions + [entity(kind, "fuzz", names.first ?? "", Array(names.dropFirst()))])
        linker = Linker(registry: registry, siteLanguage: language, articleIDs: [], noteIDs: [])
        matcher = NameMatcher(registry: registry, rules: .forLanguage(language))
    }

    let file = SourceText(path: "content/articles/fuzz.\(isMarkdown ? "md" : "txt")", text: FuzzInput.text(articleBytes))
    checkMatches(matcher, in: Array(file.scalars), registry: registry)
    if let article = article(in: file, language: language, isMarkdown: isMarkdown) {
        checkMentions(in: article, linker: linker, registry: registry)
    }
    return 0
}

/// The last folded scalar before `offset`, and the first from it on.
private func foldedBefore(_ offset: Int, in scalars: [Unicode.Scalar]) -> Unicode.Scalar? {
    scalars[..<offset].reversed().lazy.compactMap { TextFolding.fold($0).last }.first
}

private func foldedFrom(_ offset: Int, in scalars: [Unicode.Scalar]) -> Unicode.Scalar? {
    scalars[offset...].lazy.compactMap { TextFolding.fold($0).first }.first
}

/// Matches lie in the text, in order, apart, on whole words of it, each of entities of the registry.
private func checkMatches(_ matcher: NameMatcher, in scalars: [Unicode.Scalar], registry: Registry) {
    var end = 0
    for match in matcher.matches(in: scalars) {
        let range = match.range
        invariant(!range.isEmpty && range.lowerBound >= end && range.upperBound <= scalars.count,
                  "match \(range) out of order or bounds (after \(end), of \(scalars.count))")
        end = range.upperBound
        let text = String(scalars: scalars[range]).debugDescription
        invariant(!match.entities.isEmpty && match.entities == Array(Set(match.entities)).sorted(), "match \(text) of \(match.entities)")
        invariant(match.entities.allSatisfy { registry[$0] != nil }, "match \(text) of an entity not registered: \(match.entities)")
        // A name never starts or ends inside a word (a name may start or end with a mark, `#MeToo`).
        func isWord(_ scalar: Unicode.Scalar?) -> Bool { scalar.map(Tokenizer.isWordScalar) ?? false }
        invariant(!isWord(foldedBefore(range.lowerBound, in: scalars)) || !isWord(foldedFrom(range.lowerBound, in: scalars)),
                  "match \(text) starts inside a word")
        invariant(!isWord(foldedBefore(range.upperBound, in: scalars)) || !isWord(foldedFrom(range.upperBound, in: scalars)),
                  "match \(text) ends inside a word")
        invariant(range.upperBound == scalars.count || scalars[range.upperBound].properties.generalCategory != .nonspacingMark,
                  "match \(text) leaves out the combining mark after it")
    }
}

/// The article of `file`: a plain-text one when it has a headline, a Markdown one of all of it.
private func article(in file: SourceText, language: String, isMarkdown: Bool) -> Article? {
    let body: ArticleBody
    let title: String
    let titleOffsets: [Int]?
    if isMarkdown {
        body = .markdown(MarkdownSource(file: file, range: 0..<file.scalars.count, firstLine: 1))
        title = "Fuzz"
        titleOffsets = nil
    } else {
        guard let document = PlainTextDocument.parse(file) else { return nil }
        body = .plainText(document)
        title = file.slice(document.headline)
        titleOffsets = Array(document.headline)
    }
    return Article(id: "fuzz", file: file, format: isMarkdown ? .markdown : .plainText, title: title, titleOffsets: titleOffsets,
                   date: nil, publisher: nil, url: nil, language: language, authors: [], summary: nil, unlinked: [], body: body)
}

/// Mentions and links lie in the article's file, in order, apart, each mention numbered, on
/// its line, of a registered entity, and not cut off before a combining mark.
private func checkMentions(in article: Article, linker: Linker, registry: Registry) {
    let (linked, diagnostics) = linker.link(article)
    let file = article.file
    file.checkLocations(of: diagnostics)
    var end = 0
    for (index, mention) in linked.mentions.enumerated() {
        let range = mention.range
        invariant(!range.isEmpty && range.lowerBound >= end && range.upperBound <= file.scalars.count,
                  "mention \(range) out of order or bounds (after \(end), of \(file.scalars.count))")
        end = range.upperBound
        invariant(mention.ordinal == index + 1, "mention \(index + 1) numbered \(mention.ordinal)")
        invariant(mention.text == file.slice(range), "mention text \(mention.text.debugDescription) is not the file's")
        invariant(mention.line == file.line(ofOffset: range.lowerBound), "mention on line \(file.line(ofOffset: range.lowerBound)), not \(mention.line)")
        invariant(registry[mention.entity] != nil, "mention of \(mention.entity), which is not registered")
        invariant(range.upperBound == file.scalars.count || file.scalars[range.upperBound].properties.generalCategory != .nonspacingMark,
                  "mention \(mention.text.debugDescription) leaves out the combining mark after it")
    }
    for link in linked.links {
        invariant(!link.range.isEmpty && link.range.upperBound <= file.scalars.count, "link \(link.range) out of bounds")
    }
}
