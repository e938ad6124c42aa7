/// How the languages of an archive write names in running text: the endings a name may carry.
/// This is data, one value per language, read by the `NameMatcher`; all strings are folded
/// (lowercase ASCII, see `TextFolding`).
public struct LanguageRules: Sendable, Hashable {
    /// The primary language subtag: `de`, `en`, `tr`, `ku`.
    public let code: String
    /// Endings the last word of a name may take (German genitive `Syriens`, Kurmanji oblique `Efrînê`).
    let nameEndings: [String]
    /// Endings a non-final adjective of a multi-word name may take in place of its own
    /// (German declension: `Islamischer Staat` -> `des Islamischen Staates`).
    let adjectiveEndings: [String]
    /// Prefixes that make a closed compound naming part of a place (`Nordirak`, `Westeuropa`).
    let directionPrefixes: [String]
    /// What may follow a name after an apostrophe (`Syria's`, `Erdoğan'ın`, `Suriye'de`).
    let apostropheSuffixes: ApostropheSuffixes

    enum ApostropheSuffixes: Sendable, Hashable {
        case none
        /// Only these suffixes (English possessive).
        case only(Set<String>)
        /// Any suffix of letters up to this length (Turkish case endings).
        case anyUpTo(Int)
    }

    /// The shortest word that takes a name ending (`Ban` -> `Bans`); shorter ones are acronyms or particles.
    static let shortestInflectedWord = 3
    /// The shortest stem of an adjective that is declined (`irakisch-`); shorter words are articles.
    static let shortestAdjectiveStem = 4

    public static let german = LanguageRules(
        code: "de", nameEndings: ["s", "es"], adjectiveEndings: ["e", "en", "er", "es", "em"],
        directionPrefixes: ["nord", "sud", "ost", "west", "nordost", "nordwest", "sudost", "sudwest"],
        apostropheSuffixes: .none)

    public static let english = LanguageRules(
        code: "en", nameEndings: [], adjectiveEndings: [], directionPrefixes: [],
        apostropheSuffixes: .only(["s"]))

    public static let turkish = LanguageRules(
        code: "tr", nameEndings: [], adjectiveEndings: [], directionPrefixes: [],
        apostropheSuffixes: .anyUpTo(6))

    /// Kurmanji: oblique and ezafe endings (`Efrînê`, `Cizîrê`, `Sûriyeyê`).
    public static let kurmanji = LanguageRules(
        code: "ku", nameEndings: ["e", "i", "a", "ye", "ya", "an"], adjectiveEndings: [], directionPrefixes: [],
        apostropheSuffixes: .none)

    /// Names matched as registered, with no endings: for languages without rules of their own.
    public static let plain = LanguageRules(
        code: "", nameEndings: [], adjectiveEndings: [], directionPrefixes: [], apostropheSuffixes: .none)

    /// The rules for a BCP 47 tag (`de`, `de-AT`, `kmr` for Kurmanji).
    public static func forLanguage(_ tag: String) -> LanguageRules {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        switch primary {
        case "de", "deu", "ger": return .german
        case "en", "eng": return .english
        case "tr", "tur": return .turkish
        case "ku", "kmr", "kur": return .kurmanji
        default: return .plain
        }
    }
}
