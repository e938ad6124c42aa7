import Foundation

extension SiteBuilder {
    /// Shows saved articles at once: each is loaded and linked again (with the notes on it),
    /// and its page is rendered from the last good build's archive and written over the
    /// published one. Lists, entity pages and the search index catch up with the full build
    /// that follows; a preview only saves the editor from waiting for it.
    ///
    /// `files` are the saved files' paths. Returns the pages written, or nil when the change is not one a preview can show: a file that is not
    /// an article the last build published (a new article, an actor, a template), a problem
    /// in a saved article, or no good build yet.
    public func previewArticles(_ files: [String], memory: BuildMemory) -> [OutputFile]? {
        guard let last = memory.lastBuild, !files.isEmpty else { return nil }
        let articlesFolder = site.appendingPathComponent("content/articles").path + "/"
        var archive = last.archive
        var changed: [Int] = []
        for file in Set(files) {
            guard file.hasPrefix(articlesFolder) else { return nil }
            let url = URL(fileURLWithPath: file)
            // Editors' backups and temporary files (`.x.md.swp`, `x.md~`, vim's `4913`) are not read by the build.
            if url.lastPathComponent.hasPrefix(".") || !["md", "txt"].contains(url.pathExtension.lowercased()) { continue }
            let path = "content/articles/" + file.dropFirst(articlesFolder.count)
            guard let index = archive.articles.firstIndex(where: { $0.article.file.path == path }) else { return nil }
            let id = archive.articles[index].article.id
            let (article, loadDiagnostics) = ContentLoader(site: site).loadArticle(id: id, path: path, url: url)
            guard let article, !loadDiagnostics.hasErrors else { return nil }
            let (linked, linkDiagnostics) = last.linker.link(article)
            guard !linkDiagnostics.hasErrors else { return nil }
            var notes: [Int: LinkedNote] = [:]
            for noteIndex in archive.notesByArticle[id] ?? [] {
                let (note, noteDiagnostics) = last.linker.link(archive.notes[noteIndex].note, commentingOn: article)
                guard !noteDiagnostics.hasErrors else { return nil }
                notes[noteIndex] = note
            }
            archive = archive.replacing(articleAt: index, with: linked, notes: notes)
            changed.append(index)
        }
        guard !changed.isEmpty else { return nil }
        let renderer = SiteRenderer(archive: archive, theme: last.theme, basemap: last.basemap)
        let pages = changed.sorted().map { renderer.file(of: .article($0)) }
        do {
            try Publisher(output: output, site: site).replace(pages)
        } catch {
            return nil
        }
        return pages
    }
}
