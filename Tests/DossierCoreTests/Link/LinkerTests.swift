import Testing
@testable import DossierCore

@Suite struct LinkerTests {
    private func linked(_ files: [String: String] = Fixture.files) throws -> (LinkedArticle, LinkedArticle, [Diagnostic], Content) {
        let site = try TestSite(files)
        defer { site.delete() }
        let (content, loadDiagnostics) = ContentLoader(site: site.root).load()
        #expect(loadDiagnostics.isEmpty, "\(loadDiagnostics)")
        let linker = Linker(registry: Registry(entities: content.entities), articleIDs: Set(content.articles.map(\.id)),
                            noteIDs: Set(content.notes.map(\.id)))
        var diagnostics: [Diagnostic] = []
        var result: [String: LinkedArticle] = [:]
        for article in content.articles {
            let (article, found) = linker.link(article)
            result[article.article.id] = article
            diagnostics += found
        }
        return (try #require(result["offensive"]), try #require(result["agentur"]), diagnostics, content)
    }

    @Test func findsNamesInHeadlineAndBody() throws {
        let (markdown, plain, diagnostics, _) = try linked()
        #expect(diagnostics.isEmpty)
        #expect(markdown.mentions.map(\.text) == [
            "QSD", "Dêra Zor", "Demokratischen Kräfte Syriens", "QSD", "Deir ez-Zor", "Haşim Mihemed", "[[qsd|die Kräfte]]",
        ])
        #expect(markdown.mentions.filter(\.inHeadline).map(\.entity.id) == ["qsd", "dera-zor"])
        // Plain text: headline, paragraphs and the subheading "Lage in Damaskus".
        #expect(plain.mentions.map(\.text) == ["Efrin", "Erdogan", "Efrîn", "Damaskus", "Damaskus"])
        #expect(plain.mentions.map(\.line) == [1, 3, 3, 5, 7])
    }

    @Test func neverInsideCodeOrAnExistingLink() throws {
        let (markdown, _, _, _) = try linked()
        // `QSD` in code and "Link zu QSD" in a link are on line 8 and 9 of the file.
        #expect(!markdown.mentions.contains { $0.line == 9 })
        #expect(markdown.mentions.filter { $0.line == 8 }.map(\.text) == ["Haşim Mihemed"])
    }

    @Test func offsetsAreUnicodeScalarOffsetsIntoTheFile() throws {
        let (markdown, plain, _, content) = try linked()
        for linked in [markdown, plain] {
            let file = try #require(content.articles.first { $0.id == linked.article.id }).file
            for mention in linked.mentions {
                #expect(file.slice(mention.range) == mention.text)
                #expect(file.line(ofOffset: mention.range.lowerBound) == mention.line)
            }
        }
        // "QSD setzen ...": the headline value starts after "---\ntitle: ".
        #expect(markdown.mentions[0].range == 11..<14)
    }

    /// A mention's context is cut from the article's title or plain text when asked for: it is
    /// the sentence around the mention in its block, as `Sentences` finds it.
    @Test func contextsAreTheSentencesAroundTheMentions() throws {
        let filler = (1...60).map { "Wort\($0)" }.joined(separator: " ")
        let file = SourceText(path: "content/articles/a.md", text: """
            ---
            title: Syrien und die Türkei 😀
            ---
            Vor dem Treffen 😀 sagte die Türkei: „Syrien ist wichtig.“ Danach [[qsd|die Kräfte]] und Syrien.

            \(filler) Efrîn \(filler) Ärger Syrien \(filler).

            Mit [[articles/a]] und Efrîn.
            """)
        var diagnostics: [Diagnostic] = []
        let article = try #require(ArticleLoader.load(id: "a", file: file, format: .markdown, &diagnostics))
        let linker = Linker(registry: TestRegistry.conventions, articleIDs: ["a"], noteIDs: [])
        let (linked, _) = linker.link(article)
        #expect(linked.mentions.count == 9)
        let headline = TextBlock(text: Array(article.title.unicodeScalars), offsets: try #require(article.titleOffsets), runs: [])
        let blocks = [headline] + Linker.inlineText(of: article).blocks
        for mention in linked.mentions {
            let block = try #require(blocks.first { $0.offsets.contains(mention.range.lowerBound) })
            let range = block.offsets.firstIndex(of: mention.range.lowerBound)!..<(block.offsets.lastIndex(of: mention.range.upperBound - 1)! + 1)
            #expect(mention.context == Sentences.context(of: range, in: block.text, shown: mention.label), "\(mention.text)")
        }
        #expect(linked.mentions.contains { $0.context.before.hasPrefix("…") && $0.context.after.hasSuffix("…") })
    }

    @Test func anEmptyDescriptionIsLinkedWithoutParsingAsParsingWouldLinkIt() {
        let linker = Linker(registry: TestRegistry.conventions, articleIDs: [], noteIDs: [])
        let file = SourceText(path: "content/places/x.md", text: "---\nname: X\n---\n")
        let source = MarkdownSource(file: file, range: file.scalarCount..<file.scalarCount, firstLine: 4)
        let (linked, diagnostics) = linker.link(source)
        #expect(linked.links.isEmpty && diagnostics.isEmpty)
        #expect(linked.text == MarkdownDocument(source).inlineText().plainText)
    }

    /// The plain text shows every `[[...]]` as its label, wherever the brackets stand.
    @Test func thePlainTextShowsEveryExplicitLinkAsItsLabel() {
        let linker = Linker(registry: TestRegistry.conventions, articleIDs: [], noteIDs: [])
        for text in ["[[qsd]] vorn", "x[[qsd]] ungerade", "xy[[qsd]] gerade", "am Ende [[qsd|die Kräfte]]"] {
            let file = SourceText(path: "content/notes/n.md", text: text)
            let (linked, _) = linker.link(MarkdownSource(file: file, range: 0..<file.scalarCount, firstLine: 1))
            #expect(!linked.text.contains("[[") && (linked.text.contains("Demokratische Kräfte Syriens") || linked.text.contains("die Kräfte")),
                    "\(linked.text)")
        }
    }

    @Test func explicitLinksWinAndShowTheirLabel() throws {
        let (markdown, _, _, _) = try linked()
        let explicit = try #require(markdown.mentions.last)
        #expect(explicit.entity == EntityRef(.actor, "qsd"))
        #expect(explicit.label == "die Kräfte")
        #expect(explicit.context.match == "die Kräfte")
    }

    @Test func theSentenceAroundAMentionIsKept() throws {
        let (markdown, _, _, _) = try linked()
        let haşim = try #require(markdown.mentions.first { $0.entity.id == "hasim-mihemed" })
        #expect(haşim.context.before == "Der Sprecher ")
        #expect(haşim.context.after == " sagte: „Wir sind bereit.“")
    }

    @Test func unknownExplicitTargetsAreErrorsWithTheirLine() throws {
        let site = try TestSite(fixtureWith: ["content/articles/falsch.md": "---\ntitle: Falsch\n---\nText.\n\nSiehe [[niemand]] und [[Efrîn]].\n"])
        defer { site.delete() }
        let report = site.build(publish: false)
        let error = try #require(report.diagnostics.first { $0.isError })
        #expect(error.location == SourceLocation(path: "content/articles/falsch.md", line: 6, column: 7))
        #expect(error.message.contains("[[niemand]]"))
        #expect(report.diagnostics.filter(\.isError).count == 1, "[[Efrîn]] resolves by name")
    }

    @Test func markdownEscapesAndEntitiesMapBackToTheSource() throws {
        let site = try TestSite(fixtureWith: ["content/articles/escaped.md": "---\ntitle: E\n---\nIn Efr&icirc;n und \\*Damaskus\\*\n  und wieder Efrîn.\n"])
        defer { site.delete() }
        let (content, _) = ContentLoader(site: site.root).load()
        let article = try #require(content.articles.first { $0.id == "escaped" })
        let (linked, _) = Linker(registry: Registry(entities: content.entities), articleIDs: [], noteIDs: []).link(article)
        #expect(linked.mentions.map(\.text) == ["Efr&icirc;n", "Damaskus", "Efrîn"])
        #expect(linked.mentions.map(\.line) == [4, 4, 5])
    }
}

@Suite struct SentencesTests {
    private func context(_ text: String, _ match: String) throws -> SentenceContext {
        let scalars = Array(text.unicodeScalars)
        let range = try #require(text.range(of: match))
        let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
        return Sentences.context(of: start..<(start + match.unicodeScalars.count), in: scalars)
    }

    @Test func takesTheWholeSentenceButNotNumbersOrInitials() throws {
        let found = try context("Erster Satz. Am 21. August traf Husam M. in Wien ein. Letzter Satz.", "Wien")
        #expect(found.before == "Am 21. August traf Husam M. in ")
        #expect(found.after == " ein.")
    }

    @Test func aLongSentenceIsCutAtWordBoundaries() throws {
        let words = (1...120).map { "wort\($0)" }.joined(separator: " ")
        let found = try context("\(words) Efrîn \(words).", "Efrîn")
        #expect(found.before.hasPrefix("…wort"))
        #expect(found.before.count <= Sentences.maximumSide + 2)
        #expect(found.after.hasSuffix("…"))
        #expect(!found.after.dropLast().hasSuffix(" "))
        #expect(found.after.dropLast().split(separator: " ").last.map { $0.hasPrefix("wort") } == true)
    }

    /// A cut context is trimmed of white space by characters: a combining mark after a space
    /// goes with the space.
    @Test func aCombiningMarkAfterTrimmedWhiteSpaceGoesWithIt() throws {
        let filler = String(repeating: "a", count: 300)
        #expect(try context("\(filler) \u{301}b Syrien.", "Syrien").before == "…b ")
        #expect(try context("Syrien b \u{301} \(filler)", "Syrien").after == " b…")
        #expect(try context("\(filler) b Syrien c \(filler)", "Syrien").before == "…b ")
        #expect(try context("\(filler) b Syrien c \(filler)", "Syrien").after == " c…")
    }
}
