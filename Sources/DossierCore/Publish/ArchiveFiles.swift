/// The files made from the whole archive rather than page by page: the feeds, the sitemap,
/// the search index and the data exports.
enum ArchiveFiles {
    /// All of them, made side by side on all cores (each is made in one piece, several alone)
    /// and each group handed to `deliver` as soon as it is made, so that they are not all held
    /// at once (at 10,000 articles they are some 150 MB); `pages` are the site's pages, for the
    /// sitemap.
    static func make(_ archive: Archive, pages: [String], deliver: @Sendable (OutputFile) -> Void) {
        let makers: [@Sendable () -> [OutputFile]] = [
            { SearchFiles.all(SearchIndex(archive, paths: SitePaths(prettyURLs: archive.config.prettyURLs))) },
            { Feeds.all(archive) },
            { [DataExport.archiveJSON(archive)] },
            { [DataExport.mentionsCSV(archive)] },
            { [Feeds.sitemap(archive, pages: pages), DataExport.entitiesCSV(archive), DataExport.articlesCSV(archive),
               DataExport.notesJSONLD(archive)] },
        ]
        _ = Parallel.map(makers) { make in make().forEach(deliver) }
    }
}
