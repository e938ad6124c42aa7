import Foundation

/// The key names are matched on: case-folded, diacritics removed, Latin letters reduced to
/// ASCII (`Erdoğan` -> `erdogan`, `Efrîn` -> `efrin`, `Straße` -> `strasse`), typographic
/// hyphens and apostrophes made plain. Folding goes scalar by scalar, so it treats composed
/// (NFC) and decomposed (NFD) input alike and keeps a map back to the original text.
public enum TextFolding {
    /// The folded forms of every scalar below U+2000 (Latin, Greek, Cyrillic, combining marks),
    /// also one after another in `table.scalars`: the linker folds every scalar of every
    /// article, and an array per scalar costs a retain and a release per look-up.
    private static let table = FoldTable(count: 0x2000)

    public static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let value = Int(scalar.value)
        return value < table.count ? table.forms[value] : foldUncached(scalar)
    }

    /// The folded text.
    public static func fold(_ text: String) -> String {
        var folded: [Unicode.Scalar] = []
        folded.reserveCapacity(text.utf8.count)
        forEachFolded(text.unicodeScalars) { piece, _ in folded.append(piece) }
        return String(scalars: folded)
    }

    /// The folded scalars of `scalars`, each with the index of the scalar it came from.
    public static func foldWithOrigins<C: Collection<Unicode.Scalar>>(_ scalars: C) -> (folded: [Unicode.Scalar], origins: [Int]) {
        var folded: [Unicode.Scalar] = []
        var origins: [Int] = []
        folded.reserveCapacity(scalars.count)
        origins.reserveCapacity(scalars.count)
        forEachFolded(scalars) { piece, origin in
            folded.append(piece)
            origins.append(origin)
        }
        return (folded, origins)
    }

    /// Calls `body` with every folded scalar of `scalars` and the index (from 0) of the scalar it came from.
    @inline(__always)
    static func forEachFolded<S: Sequence<Unicode.Scalar>>(_ scalars: S, _ body: (Unicode.Scalar, Int) -> Void) {
        var index = 0
        for scalar in scalars {
            forEachFolded(of: scalar) { body($0, index) }
            index += 1
        }
    }

    /// Calls `body` with every folded scalar of `scalar`.
    @inline(__always)
    static func forEachFolded(of scalar: Unicode.Scalar, _ body: (Unicode.Scalar) -> Void) {
        let value = scalar.value
        if value < 0x80 {
            // ASCII, the most of any text: only capitals change.
            body(value &- 0x41 < 26 ? Unicode.Scalar(UInt8(value + 0x20)) : scalar)
        } else if value < UInt32(table.count) {
            table.scalars.withUnsafeBufferPointer { scalars in
                for index in table.span(Int(value)) { body(scalars[index]) }
            }
        } else {
            for piece in foldUncached(scalar) { body(piece) }
        }
    }

    /// The folded forms of the scalars below `count`: an array each, for `fold(_:)`, and all
    /// of them one after another, for the folding of whole texts.
    private struct FoldTable {
        let count: Int
        let forms: [[Unicode.Scalar]]
        /// Every folded form, one after another.
        let scalars: [Unicode.Scalar]
        /// Per scalar value: where its folded form starts in `scalars` (upper bits) and its length (low 8 bits).
        private let spans: [UInt32]

        init(count: Int) {
            forms = (0..<count).map { TextFolding.foldUncached(Unicode.Scalar(UInt32($0)) ?? " ") }
            var scalars: [Unicode.Scalar] = []
            var spans: [UInt32] = []
            for folded in forms {
                spans.append(UInt32(scalars.count) << 8 | UInt32(folded.count))
                scalars += folded
            }
            self.count = count
            self.scalars = scalars
            self.spans = spans
        }

        @inline(__always)
        func span(_ value: Int) -> Range<Int> {
            let span = spans[value]
            let start = Int(span >> 8)
            return start..<(start + Int(span & 0xFF))
        }
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
