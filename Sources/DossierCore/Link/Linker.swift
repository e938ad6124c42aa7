/// The `link` stage: finds the mentions of every actor and place in every article, and
/// resolves every explicit `[[...]]` link in articles, notes and entity descriptions.
public struct Linker: Sendable {
    let registry: Registry
    /// The site's language: the language of an article that names none.
    let siteLanguage: String
    /// One matcher per language's rules, for the languages the archive's articles are in.
    private let matchers: [LanguageRules: NameMatcher]
    private let articleIDs: Set<String>
    private let noteIDs: Set<String>

    public init(registry: Registry, siteLanguage: String = "de", articleLanguages: Set<String> = [],
                articleIDs: Set<String>, noteIDs: Set<String>) {
        self.init(registry: registry, siteLanguage: siteLanguage, articleLanguages: articleLanguages, articleIDs: articleIDs,
                  noteIDs: noteIDs, made: [])
    }

    /// `made`: matchers already made for `registry` (a build makes the site language's while
    /// the articles load); the others are made here.
    init(registry: Registry, siteLanguage: String = "de", articleLanguages: Set<String> = [],
         articleIDs: Set<String>, noteIDs: Set<String>, made: [NameMatcher]) {
        self.registry = registry
        self.siteLanguage = siteLanguage
        let made = Dictionary(made.map { ($0.rules, $0) }, uniquingKeysWith: { first, _ in first })
        let rules = Array(Set(([siteLanguage] + articleLanguages).map(LanguageRules.forLanguage)))
        self.matchers = Dictionary(uniqueKeysWithValues: Parallel.map(rules) { ($0, made[$0] ?? NameMatcher(registry: registry, rules: $0)) })
        self.articleIDs = articleIDs
        self.noteIDs = noteIDs
    }

    /// The matcher for a text in `language`, else in the site's language.
    private func matcher(forLanguage language: String?) -> NameMatcher {
        let rules = LanguageRules.forLanguage(language ?? siteLanguage)
        return matchers[rules] ?? NameMatcher(registry: registry, rules: rules)
    }

    public func link(_ article: Article) -> (LinkedArticle, [Diagnostic]) {
        let body = Self.inlineText(of: article)
        let headlineBlocks = article.titleOffsets == nil ? 0 : 1
        let blocks = headline(of: article) + body.blocks
        let (plainText, blockStarts) = body.plainTextAndBlockStarts()
        let text = showingLabels(plainText)
        // Each block's text as it stands in a string kept anyway, which contexts are cut from:
        // the headline is the title, the body's blocks are lines of the plain text.
        var sentences = SentenceSource(texts: (0..<blocks.count).map { index in
            index < headlineBlocks ? (article.title, 0) : (plainText, blockStarts[index - headlineBlocks])
        })

        var diagnostics: [Diagnostic] = []
        var mentions: [Mention] = []
        var links: [WikiLink] = []
        var reportedAmbiguities: Set<String> = []
        let matcher = matcher(forLanguage: article.language)
        // What the editor stopped from being linked automatically in this article: ids or forms.
        let unlinkedForms = Set(article.unlinked.map(TextFolding.fold))
        for (blockIndex, block) in blocks.enumerated() {
            for run in block.runs {
                let scalars = Array(block.text[run.range])
                var searched = 0
                func findNames(upTo end: Int) {
                    guard end > searched else { return }
                    for match in matcher.matches(in: scalars[searched..<end]) {
                        let range = match.range
                        if !article.unlinked.isEmpty {
                            if unlinkedForms.contains(TextFolding.fold(String(scalars: scalars[range])))
                                || match.entities.contains(where: { article.unlinked.contains($0.id) }) { continue }
                        }
                        guard match.entities.count == 1 else {
                            let text = String(scalars: scalars[range])
                            if reportedAmbiguities.insert(TextFolding.fold(text)).inserted {
                                let names = match.entities.map(\.description).joined(separator: " and ")
                                diagnostics.append(.warning(.link, at: article.file.location(ofOffset: run.offsets[range.lowerBound]),
                                                            "'\(text)' names both \(names): not linked; write [[id|\(text)]] to link it"))
                            }
                            continue
                        }
                        mentions.append(mention(of: match.entities[0], at: range, in: run, block: blockIndex, of: blocks, article: article,
                                                ordinal: mentions.count + 1, label: nil, inHeadline: blockIndex < headlineBlocks,
                                                sentences: &sentences))
                    }
                }
                for occurrence in WikiLinkSyntax.occurrences(in: scalars) {
                    findNames(upTo: occurrence.range.lowerBound)
                    searched = occurrence.range.upperBound
                    guard let link = resolve(occurrence, offsets: run.offsets, file: article.file, &diagnostics) else { continue }
                    if case .entity(let ref) = link.target {
                        mentions.append(mention(of: ref, at: occurrence.range, in: run, block: blockIndex, of: blocks, article: article,
                                                ordinal: mentions.count + 1, label: link.label, inHeadline: blockIndex < headlineBlocks,
                                                sentences: &sentences))
                    } else {
                        links.append(link)
                    }
                }
                findNames(upTo: scalars.count)
            }
        }
        return (LinkedArticle(article: article, mentions: mentions, links: links, text: text), diagnostics)
    }

    /// Resolves the explicit links of a note or an entity description.
    public func link(_ source: MarkdownSource) -> (LinkedMarkdown, [Diagnostic]) {
        // Many entities have no description: nothing to parse.
        guard !source.range.isEmpty else { return (LinkedMarkdown(source: source, links: [], text: ""), []) }
        return link(source, text: MarkdownDocument(source).inlineText())
    }

    private func link(_ source: MarkdownSource, text: InlineText) -> (LinkedMarkdown, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var links: [WikiLink] = []
        for block in text.blocks {
            for run in block.runs {
                for occurrence in WikiLinkSyntax.occurrences(in: Array(block.text[run.range])) {
                    if let link = resolve(occurrence, offsets: run.offsets, file: source.file, &diagnostics) {
                        links.append(link)
                    }
                }
            }
        }
        return (LinkedMarkdown(source: source, links: links, text: showingLabels(text.plainText)), diagnostics)
    }

    /// Links a note and anchors each passage it quotes in the article it comments on.
    public func link(_ note: Note, commentingOn article: Article?) -> (LinkedNote, [Diagnostic]) {
        let document = MarkdownDocument(note.body)
        let text = document.inlineText()
        let (body, linkDiagnostics) = link(note.body, text: text)
        var diagnostics = linkDiagnostics
        let quotes = article == nil ? [] : document.quotedPassages()
        var passages: [Passage] = []
        if let article, !quotes.isEmpty {
            let articleText = AnchorText(blocks: blocks(of: article))
            var previous: Int?
            for (index, quote) in quotes.enumerated() {
                let result = PassageAnchoring.anchor(quote.text, in: articleText, after: previous)
                let location = note.file.location(line: quote.line, column: 1)
                if let anchor = result.anchor {
                    previous = anchor.range.upperBound
                    if result.candidates > 1 {
                        let line = article.file.line(ofOffset: anchor.range.lowerBound)
                        diagnostics.append(.warning(.link, at: location,
                            "the quoted passage stands \(result.candidates) times in \(article.file.path); anchored to the one on line \(line): quote more of it to choose"))
                    }
                } else {
                    diagnostics.append(.warning(.link, at: location,
                        "orphaned note passage: the quote is no longer in \(article.file.path) (shown on the note and the article as orphaned)"))
                }
                passages.append(Passage(number: index + 1, quote: quote.text, line: quote.line, commentary: showingLabels(quote.commentary),
                                        anchor: result.anchor))
            }
        }
        let matcher = matcher(forLanguage: article?.language)
        var mentioned: Set<EntityRef> = []
        for block in text.blocks {
            for run in block.runs {
                for match in matcher.matches(in: Array(block.text[run.range])) where match.entities.count == 1 {
                    mentioned.insert(match.entities[0])
                }
            }
        }
        return (LinkedNote(note: note, body: body, passages: passages, mentionedEntities: mentioned), diagnostics)
    }

    /// Whether `[[` stands in the text: a byte scan, far cheaper than a string search.
    private static func mayHoldWikiLinks(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 1
            while index < bytes.count {
                // Every other byte: a `[[` has a `[` on one of them.
                if bytes[index] == UInt8(ascii: "[") && (bytes[index - 1] == UInt8(ascii: "[")
                    || (index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "["))) { return true }
                index += 2
            }
            return false
        }
    }

    /// Text with each `[[...]]` written as the label a page shows for it.
    private func showingLabels(_ text: String) -> String {
        guard Self.mayHoldWikiLinks(text) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = ""
        var index = 0
        for occurrence in WikiLinkSyntax.occurrences(in: scalars) {
            let resolved = try? target(of: occurrence).get()
            let shown = occurrence.label ?? resolved.map { label(for: $0, written: occurrence.target) } ?? occurrence.target
            result += String(scalars: scalars[index..<occurrence.range.lowerBound]) + shown
            index = occurrence.range.upperBound
        }
        return result + String(scalars: scalars[index...])
    }

    /// The headline (when it can be located) and the body's blocks of an article.
    private func blocks(of article: Article) -> [TextBlock] {
        headline(of: article) + Self.inlineText(of: article).blocks
    }

    /// The headline as a block, when it can be located in the file.
    private func headline(of article: Article) -> [TextBlock] {
        guard let offsets = article.titleOffsets else { return [] }
        let title = Array(article.title.unicodeScalars)
        return [TextBlock(text: title, offsets: offsets, runs: [TextRun(range: 0..<title.count, offsets: offsets)])]
    }

    static func inlineText(of article: Article) -> InlineText {
        switch article.body {
        case .markdown(let source): MarkdownDocument(source).inlineText()
        case .plainText(let document): MarkdownDocument(document, of: article.file).inlineText()
        }
    }

    private func mention(of entity: EntityRef, at range: Range<Int>, in run: TextRun, block: Int, of blocks: [TextBlock],
                         article: Article, ordinal: Int, label: String?, inHeadline: Bool,
                         sentences: inout SentenceSource) -> Mention {
        let start = run.offsets[range.lowerBound]
        let end = run.offsets[range.upperBound - 1] + 1
        let blockRange = (run.range.lowerBound + range.lowerBound)..<(run.range.lowerBound + range.upperBound)
        let parts = Sentences.parts(of: blockRange, in: blocks[block].text)
        return Mention(ordinal: ordinal, entity: entity, range: start..<end, text: article.file.slice(start..<end),
                       line: article.file.line(ofOffset: start), label: label, inHeadline: inHeadline,
                       sentence: sentences.span(parts, match: blockRange, inBlock: block, of: blocks))
    }

    /// Where the blocks of an article stand in the strings their mentions' contexts are cut from.
    private struct SentenceSource {
        /// Per block, the string and the UTF-8 offset of the block's text in it.
        let texts: [(text: String, start: Int)]
        /// The UTF-8 offset of each scalar of the last block asked for (and of its end).
        private var block = -1
        private var offsets: [UInt32] = []

        init(texts: [(text: String, start: Int)]) {
            self.texts = texts
        }

        /// The span of a mention's context in block `index` (its ranges in scalars of the block).
        mutating func span(_ parts: Sentences.Parts, match: Range<Int>, inBlock index: Int, of blocks: [TextBlock]) -> SentenceSpan {
            if index != block {
                block = index
                var offset = UInt32(texts[index].start)
                offsets = [offset]
                offsets.reserveCapacity(blocks[index].text.count + 1)
                for scalar in blocks[index].text {
                    offset += UInt32(UTF8.width(scalar))
                    offsets.append(offset)
                }
            }
            func utf8(_ range: Range<Int>) -> Range<UInt32> { offsets[range.lowerBound]..<offsets[range.upperBound] }
            return SentenceSpan(text: texts[index].text, before: utf8(parts.before), match: utf8(match), after: utf8(parts.after),
                                isCutBefore: parts.isCutBefore, isCutAfter: parts.isCutAfter)
        }
    }

    /// The target of `[[target|label]]`: an id (optionally `actors/`, `places/`, `articles/`
    /// or `notes/` before it), else an entity's name or alias. Unknown or ambiguous is an error.
    private func resolve(_ occurrence: WikiLinkSyntax.Occurrence, offsets: [Int], file: SourceText,
                         _ diagnostics: inout [Diagnostic]) -> WikiLink? {
        let range = offsets[occurrence.range.lowerBound]..<(offsets[occurrence.range.upperBound - 1] + 1)
        switch target(of: occurrence) {
        case .success(let target):
            return WikiLink(range: range, target: target, label: occurrence.label ?? label(for: target, written: occurrence.target))
        case .failure(let problem):
            diagnostics.append(.error(.link, at: file.location(ofOffset: range.lowerBound), problem.message))
            return nil
        }
    }

    private struct UnresolvedLink: Error {
        let message: String
    }

    /// What `[[target]]` names, or why it names nothing or more than one thing.
    private func target(of occurrence: WikiLinkSyntax.Occurrence) -> Result<LinkTarget, UnresolvedLink> {
        var candidates: [LinkTarget] = []
        let parts = occurrence.target.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            switch parts[0] {
            case "actors" where registry[EntityRef(.actor, parts[1])] != nil: candidates = [.entity(EntityRef(.actor, parts[1]))]
            case "places" where registry[EntityRef(.place, parts[1])] != nil: candidates = [.entity(EntityRef(.place, parts[1]))]
            case "articles" where articleIDs.contains(parts[1]): candidates = [.article(parts[1])]
            case "notes" where noteIDs.contains(parts[1]): candidates = [.note(parts[1])]
            default: break
            }
        } else {
            candidates = registry.entities(withID: occurrence.target).map { .entity($0) }
            if articleIDs.contains(occurrence.target) { candidates.append(.article(occurrence.target)) }
            if noteIDs.contains(occurrence.target) { candidates.append(.note(occurrence.target)) }
            if candidates.isEmpty { candidates = registry.entities(named: occurrence.target).map { .entity($0) } }
        }
        switch candidates.count {
        case 0:
            return .failure(UnresolvedLink(
                message: "unknown link target [[\(occurrence.target)]]: no actor, place, article or note has this id or name"))
        case 1:
            return .success(candidates[0])
        default:
            let names = candidates.map(Self.describe).joined(separator: ", ")
            return .failure(UnresolvedLink(message: "ambiguous link [[\(occurrence.target)]]: it names \(names); write one of them in full"))
        }
    }

    /// The text an explicit link without a label shows: the entity's name for an id, else what was written.
    private func label(for target: LinkTarget, written: String) -> String {
        if case .entity(let ref) = target, let entity = registry[ref], Slug.isSlug(written) || written.contains("/") {
            return entity.name
        }
        return written
    }

    private static func describe(_ target: LinkTarget) -> String {
        switch target {
        case .entity(let ref): ref.description
        case .article(let id): "articles/\(id)"
        case .note(let id): "notes/\(id)"
        }
    }
}
