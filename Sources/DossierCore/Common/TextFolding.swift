import Foundation

/// The key names are matched on: case-folded, diacritics removed, Latin letters reduced to
/// ASCII (`Erdoğan` -> `erdogan`, `Efrîn` -> `efrin`, `Straße` -> `strasse`), typographic
/// hyphens and apostrophes made plain. Folding goes scalar by scalar, so it treats composed
/// (NFC) and decomposed (NFD) input alike and keeps a map back to the original text.
public enum TextFolding {
    /// The folded form of every scalar below U+2000 (Latin, Greek, Cyrillic, combining marks),
    /// in one flat array: the folded form of `value` is `scalars[starts[value]..<starts[value + 1]]`.
    /// Flat, so that folding a scalar retains no array of its own.
    private struct Table {
        static let limit = 0x2000
        let starts: [Int32]
        let scalars: [Unicode.Scalar]

        init() {
            var starts: [Int32] = [0]
            var scalars: [Unicode.Scalar] = []
            for value in 0..<Self.limit {
                scalars += TextFolding.foldUncached(Unicode.Scalar(UInt32(value)) ?? " ")
                starts.append(Int32(scalars.count))
            }
            self.starts = starts
            self.scalars = scalars
        }
    }

    private static let table = Table()

    public static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var folded: [Unicode.Scalar] = []
        appendFolded(scalar, to: &folded)
        return folded
    }

    /// Appends the folded form of `scalar`; returns how many scalars it has.
    @inline(__always)
    @discardableResult
    static func appendFolded(_ scalar: Unicode.Scalar, to folded: inout [Unicode.Scalar]) -> Int {
        let value = scalar.value
        if value < 0x80 {
            folded.append((0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : scalar)
            return 1
        }
        guard value < Table.limit else {
            let pieces = foldUncached(scalar)
            folded += pieces
            return pieces.count
        }
        let start = Int(table.starts[Int(value)])
        let end = Int(table.starts[Int(value) + 1])
        folded += table.scalars[start..<end]
        return end - start
    }

    /// The folded text.
    public static func fold(_ text: String) -> String {
        var folded: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars { appendFolded(scalar, to: &folded) }
        return String(scalars: folded)
    }

    /// The folded scalars of `scalars`, each with the index of the scalar it came from.
    public static func foldWithOrigins<C: Collection<Unicode.Scalar>>(_ scalars: C) -> (folded: [Unicode.Scalar], origins: [Int]) {
        var folded: [Unicode.Scalar] = []
        var origins: [Int] = []
        folded.reserveCapacity(scalars.count)
        origins.reserveCapacity(scalars.count)
        var index = 0
        for scalar in scalars {
            let count = appendFolded(scalar, to: &folded)
            for _ in 0..<count { origins.append(index) }
            index += 1
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
