@testable import DossierCore

/// Entities made in memory, for the stages after `load`.
enum TestRegistry {
    static func entity(_ kind: EntityKind, _ id: String, _ name: String, _ aliases: [String] = []) -> Entity {
        let file = SourceText(path: "content/\(kind.folder)/\(id).md", text: "")
        return Entity(ref: EntityRef(kind, id), name: name, aliases: aliases, shownAliases: [], category: nil, wikidata: nil,
                      links: [], coordinate: nil, within: nil, withinLocation: nil,
                      description: MarkdownSource(file: file, range: 0..<0, firstLine: 1))
    }

    /// Entities of the kinds the conventions of `../shared/eval/linking/conventions.md` speak of.
    static let conventions = Registry(entities: [
        entity(.actor, "qsd", "Demokratische Kräfte Syriens", ["QSD", "SDF"]),
        entity(.actor, "fsa", "Freie Syrische Armee", ["FSA"]),
        entity(.actor, "islamischer-staat", "Islamischer Staat", ["IS", "ISIS", "Islamic State"]),
        entity(.actor, "irakische-armee", "Irakische Armee"),
        entity(.actor, "tuerkischer-staat", "Türkischer Staat", ["Regierung in Ankara"]),
        entity(.actor, "nato", "NATO"),
        entity(.actor, "uno", "Vereinte Nationen", ["UN", "UNO"]),
        entity(.actor, "un-sicherheitsrat", "UN-Sicherheitsrat"),
        entity(.actor, "eu", "Europäische Union", ["EU"]),
        entity(.actor, "erdogan", "Recep Tayyip Erdoğan", ["Erdoğan"]),
        entity(.actor, "assad", "Baschar al-Assad", ["Assad"]),
        entity(.actor, "ban-ki-moon", "Ban Ki-moon", ["Ban"]),
        entity(.place, "syrien", "Syrien", ["Syria", "Suriye", "Sûriye"]),
        entity(.place, "irak", "Irak", ["Iraq"]),
        entity(.place, "tuerkei", "Türkei"),
        entity(.place, "europa", "Europa"),
        entity(.place, "ankara", "Ankara"),
        entity(.place, "wien", "Wien"),
        entity(.place, "deutschland", "Deutschland"),
        entity(.place, "efrin", "Efrîn", ["Afrin"]),
        entity(.place, "ost-ghouta", "Ost-Ghouta"),
        entity(.actor, "georgia-band", "Georgia"),
        entity(.place, "georgia", "Georgia"),
    ])
}
