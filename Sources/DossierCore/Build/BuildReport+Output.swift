import Foundation

extension BuildReport {
    /// The one line every build and check ends with.
    public func summary(action: String) -> String {
        "\(action): \(articles) articles, \(actors) actors, \(places) places, \(notes) notes, \(mentions) mentions, "
            + "\(warnings) warnings, \(errors) errors, " + String(format: "%.2f s", seconds)
    }

    /// What a build did, as the summary line starts: `built 120 pages (3 rendered, 1 article
    /// read, 1 article linked)`, or `not built`.
    public var outcome: String {
        guard published else { return "not built" }
        func articlesCount(_ count: Int) -> String { "\(count) article\(count == 1 ? "" : "s")" }
        let reused = [pagesRendered < pages ? "\(pagesRendered) rendered" : nil,
                      articlesRead < articles ? articlesCount(articlesRead) + " read" : nil,
                      articlesLinked < articles ? articlesCount(articlesLinked) + " linked" : nil].compactMap { $0 }
        return "built \(pages) pages" + (reused.isEmpty ? "" : " (\(reused.joined(separator: ", ")))")
    }

    /// How long each stage took, for `--verbose`: `stages: load 1.20 s (1.90 s CPU), link 0.35 s (0.62 s CPU), ...`.
    public var stageLine: String {
        "stages: " + stageSeconds.map { "\($0.stage.rawValue) " + String(format: "%.2f s (%.2f s CPU)", $0.seconds, $0.cpuSeconds) }
            .joined(separator: ", ")
    }

    /// The diagnostics and counts as JSON, for tools (`dossier check --format json`):
    /// `{"diagnostics": [{"file", "line", "column", "severity", "stage", "message"}], "summary": {...}}`.
    public func json(sitePrefix: String) -> Data {
        let items: [[String: Any]] = diagnostics.map { diagnostic in
            [
                "file": diagnostic.path(sitePrefix: sitePrefix),
                "line": diagnostic.location.line,
                "column": diagnostic.location.column,
                "severity": diagnostic.severity.rawValue,
                "stage": diagnostic.stage.rawValue,
                "message": diagnostic.message,
            ]
        }
        let summary: [String: Any] = [
            "articles": articles, "actors": actors, "places": places, "notes": notes, "mentions": mentions,
            "warnings": warnings, "errors": errors,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: ["diagnostics": items, "summary": summary],
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return data + Data("\n".utf8)
    }
}
