/// The files made from the whole archive rather than page by page: the feeds, the sitemap,
/// the search index and the data exports.
enum ArchiveFiles {
    /// All of them, made side by side on all cores (each is made in one piece, several alone);
    /// `pages` are the site's pages, for the sitemap.
    static func all(_ archive: Archive, pages: [String]) -> [OutputFile] {
        let makers: [@Sendable () -> [OutputFile]] = [
            { SearchFiles.all(SearchIndex(archive, paths: SitePaths(prettyURLs: archive.config.prettyURLs))) },
            { Feeds.all(archive) },
            { [DataExport.archiveJSON(archive)] },
            { [DataExport.mentionsCSV(archive)] },
            { [Feeds.sitemap(archive, pages: pages), DataExport.entitiesCSV(archive), DataExport.articlesCSV(archive),
               DataExport.notesJSONLD(archive)] },
        ]
        return Parallel.map(makers) { $0() }.flatMap { $0 }
    }
}
