import Testing
@testable import DossierCore

@Suite struct NameMatcherTests {
    private static func entity(_ kind: EntityKind, _ id: String, _ name: String, _ aliases: [String] = []) -> Entity {
        let file = SourceText(path: "content/\(kind.folder)/\(id).md", text: "")
        return Entity(ref: EntityRef(kind, id), name: name, aliases: aliases, category: nil, wikidata: nil, links: [],
                      coordinate: nil, within: nil, withinLocation: nil,
                      description: MarkdownSource(file: file, range: 0..<0, firstLine: 1))
    }

    private static let registry = Registry(entities: [
        entity(.actor, "qsd", "Demokratische Kräfte Syriens", ["QSD", "SDF"]),
        entity(.place, "syrien", "Syrien", ["Syria"]),
        entity(.actor, "is", "Islamischer Staat", ["IS"]),
        entity(.actor, "nato", "NATO"),
        entity(.actor, "erdogan", "Recep Tayyip Erdoğan", ["Erdoğan"]),
        entity(.place, "efrin", "Efrîn", ["Afrin"]),
        entity(.actor, "tuerkei", "Türkischer Staat", ["Regierung in Ankara"]),
        entity(.place, "ankara", "Ankara"),
        entity(.actor, "georgia-a", "Georgia"),
        entity(.place, "georgia-b", "Georgia"),
    ])

    private func found(_ text: String) -> [(String, String)] {
        let scalars = Array(text.unicodeScalars)
        return NameMatcher(registry: Self.registry).matches(in: scalars).map { match in
            (String(String.UnicodeScalarView(scalars[match.range])), match.entities.map(\.id).joined(separator: "+"))
        }
    }

    @Test func longestNameWinsAndNothingNestsInside() {
        let matches = found("Die Demokratische Kräfte Syriens kämpfen in Syrien.")
        #expect(matches.map(\.0) == ["Demokratische Kräfte Syriens", "Syrien"])
        #expect(matches.map(\.1) == ["qsd", "syrien"])
        #expect(found("die Regierung in Ankara erklärte").map(\.1) == ["tuerkei"])
    }

    @Test func foldsCaseAndDiacritics() {
        #expect(found("Erdogan besuchte EFRIN und efrîn").map(\.1) == ["erdogan", "efrin", "efrin"])
    }

    @Test func matchesOnlyWholeWords() {
        #expect(found("Er ist in Syriensfreunde und Efrinstraße").isEmpty)
    }

    @Test func capitalAcronymsMatchOnlyInCapitalsOrTitleCase() {
        #expect(found("Der IS ist nicht is und nicht Is.").map(\.0) == ["IS"])
        #expect(found("Die Nato und die NATO, nicht die nato").map(\.0) == ["Nato", "NATO"])
    }

    @Test func headsOfHyphenatedCompoundsAreMentions() {
        #expect(found("IS-Kämpfer und Erdoğan-Regime").map(\.1) == ["is", "erdogan"])
    }

    @Test func sharedFormsAreReportedNotLinked() {
        let matches = NameMatcher(registry: Self.registry).matches(in: Array("In Georgia.".unicodeScalars))
        #expect(matches.count == 1)
        #expect(matches[0].entities.map(\.id) == ["georgia-a", "georgia-b"])
    }
}
