import Foundation

/// The key names are matched on: case-folded, diacritics removed, Latin letters reduced to
/// ASCII (`Erdoğan` -> `erdogan`, `Efrîn` -> `efrin`, `Straße` -> `strasse`), typographic
/// hyphens and apostrophes made plain. Folding goes scalar by scalar, so it treats composed
/// (NFC) and decomposed (NFD) input alike and keeps a map back to the original text.
public enum TextFolding {
    /// The folded form of every scalar below U+2000 (Latin, Greek, Cyrillic, combining marks).
    private static let table: [[Unicode.Scalar]] = (0..<0x2000).map { value in
        foldUncached(Unicode.Scalar(UInt32(value)) ?? " ")
    }

    public static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let value = Int(scalar.value)
        return value < table.count ? table[value] : foldUncached(scalar)
    }

    /// The folded text.
    public static func fold(_ text: String) -> String {
        String(scalars: text.unicodeScalars.lazy.flatMap(fold))
    }

    /// The folded scalars of `scalars`, each with the index of the scalar it came from.
    public static func foldWithOrigins<C: Collection<Unicode.Scalar>>(_ scalars: C) -> (folded: [Unicode.Scalar], origins: [Int]) {
        var folded: [Unicode.Scalar] = []
        var origins: [Int] = []
        folded.reserveCapacity(scalars.count)
        origins.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            for piece in fold(scalar) {
                folded.append(piece)
                origins.append(index)
            }
        }
        return (folded, origins)
    }

    private static func foldUncached(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        switch scalar.value {
        case 0x41...0x5A: return [Unicode.Scalar(scalar.value + 0x20)!]
        case 0..<0x80: return [scalar]
        case 0x2010, 0x2011: return ["-"]
        case 0x2018, 0x2019, 0x02BC, 0x2032: return ["'"]
        default: break
        }
        if scalar.properties.generalCategory == .nonspacingMark { return [] }
        let lower = scalar.properties.lowercaseMapping
        // Latin letters with diacritics or of their own (ş, ğ, ı, ø, æ, ß) to ASCII.
        if (0xC0...0x24F).contains(scalar.value) || (0x1E00...0x1EFF).contains(scalar.value),
           let ascii = lower.applyingTransform(StringTransform("Latin-ASCII"), reverse: false) {
            return ascii.lowercased().unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
        }
        return lower.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
    }
}
