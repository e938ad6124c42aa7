import Foundation

/// `dossier new DIR`: a site that builds at once, with the default theme and a small sample
/// (an article, an actor, a place, a note on the article).
public enum SiteScaffold {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let sample: [String: String] = [
        "content/site.yml": """
            title: Mein Archiv
            language: de
            description: Ein annotiertes Nachrichtenarchiv.
            """,
        "content/articles/beispiel.md": """
            ---
            title: Vereinte Nationen beraten in Damaskus über Hilfe
            date: 2024-01-15
            source: Redaktion
            ---
            Vertreter der Vereinten Nationen haben in Damaskus über Hilfslieferungen gesprochen.
            Die UN wollen die Lieferungen im Frühjahr ausweiten.

            ## Nächste Schritte

            Weitere Gespräche in Damaskus sind für März geplant.
            """,
        "content/actors/uno.md": """
            ---
            name: Vereinte Nationen
            aliases: [UN, UNO, United Nations]
            kind: organization
            ---
            Die internationale Organisation der Staaten der Welt.
            """,
        "content/places/damaskus.md": """
            ---
            name: Damaskus
            aliases: [Damascus, Dimashq]
            kind: city
            lat: 33.513
            lon: 36.292
            ---
            Die Hauptstadt Syriens.
            """,
        "content/notes/erste-anmerkung.md": """
            ---
            title: Was die Meldung offenlässt
            author: Redaktion
            date: 2024-01-16
            article: beispiel
            about: [uno]
            ---
            > Die UN wollen die Lieferungen im Frühjahr ausweiten.

            Wie weit, sagt die Meldung nicht. Ein Zitat wie dieses steht auf der Seite des
            Artikels neben der Stelle, die es zitiert.
            """,
    ]

    /// Writes a new site into `folder`, which must not exist or be empty.
    public static func create(at folder: URL) throws {
        let fileManager = FileManager.default
        if let existing = try? fileManager.contentsOfDirectory(atPath: folder.path), !existing.isEmpty {
            throw Failure(description: "\(folder.path) is not empty: a new site needs an empty or new folder")
        }
        guard let theme = Theme.builtInFolder else {
            throw Failure(description: "the built-in theme is missing from this installation")
        }
        try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        try fileManager.copyItem(at: theme.resolvingSymlinksInPath(), to: folder.appendingPathComponent("templates"))
        for (path, text) in sample {
            let url = folder.appendingPathComponent(path)
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((text + "\n").utf8).write(to: url)
        }
        try fileManager.createDirectory(at: folder.appendingPathComponent("content/assets"), withIntermediateDirectories: true)
    }
}
