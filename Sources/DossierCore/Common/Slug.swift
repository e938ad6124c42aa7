import Foundation

/// Lowercase ASCII slugs, the form of every id and of every path segment Dossier writes.
public enum Slug {
    /// Whether `text` is already a slug: lowercase ASCII letters and digits in runs joined by
    /// single hyphens.
    public static func isSlug(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last,
              first != UInt8(ascii: "-"), last != UInt8(ascii: "-") else { return false }
        var previousWasHyphen = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousWasHyphen = false
            case UInt8(ascii: "-") where !previousWasHyphen:
                previousWasHyphen = true
            default:
                return false
            }
        }
        return true
    }

    /// The slug of any text: transliterated to Latin ASCII (`Haşim Mihemed` -> `hasim-mihemed`,
    /// `Efrîn` -> `efrin`), lowercased, every other character run made one hyphen.
    /// Empty when nothing of the text survives.
    public static func make(from text: String) -> String {
        if isSlug(text) { return text }
        let latin = text.applyingTransform(StringTransform("Any-Latin; Latin-ASCII; Lower"), reverse: false)
            ?? text.lowercased()
        var slug = ""
        var pendingHyphen = false
        for byte in latin.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if pendingHyphen, !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.append(Character(Unicode.Scalar(byte)))
            default:
                pendingHyphen = true
            }
        }
        return slug
    }
}
