/// Dates as readers of the site's language write them.
enum DateDisplay {
    private static let germanMonths = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                                       "September", "Oktober", "November", "Dezember"]
    private static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August",
                                        "September", "October", "November", "December"]

    /// `März 2018` in German, `March 2018` otherwise.
    static func month(_ date: ArticleDate, language: String) -> String {
        let parts = date.day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return date.day }
        return "\((language.lowercased().hasPrefix("de") ? germanMonths : englishMonths)[parts[1] - 1]) \(parts[0])"
    }

    /// `1. März 2018` in German, `1 March 2018` otherwise.
    static func text(_ date: ArticleDate, language: String) -> String {
        let parts = date.day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return date.day }
        if language.lowercased().hasPrefix("de") {
            return "\(parts[2]). \(germanMonths[parts[1] - 1]) \(parts[0])"
        }
        return "\(parts[2]) \(englishMonths[parts[1] - 1]) \(parts[0])"
    }
}
