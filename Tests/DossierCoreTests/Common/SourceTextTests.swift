import Foundation
import Testing
@testable import DossierCore

/// A file's text is kept as UTF-8 and addressed by scalar offset: every offset, line and slice
/// must be what an array of the text's scalars gives.
@Suite struct SourceTextTests {
    /// Text of one-, two-, three- and four-byte scalars, and decomposed ones, across many stretches
    /// of 32 scalars (where the UTF-8 offsets are recorded), with every kind of line break.
    static let mixed = (0..<40).map { index in
        ["Straße ", "Efri\u{302}n ", "😀 ", "a\r\n", "İstanbul\r", "東京 ", "\n", "Ärger ", "x"][index % 9]
    }.joined()

    @Test(arguments: ["", "a", "ASCII only, with\nlines\r\nof all\rkinds\n", Self.mixed, "\n\n", "😀"])
    func everyOffsetIsTheScalarThere(text: String) {
        let file = SourceText(path: "a.md", text: text)
        let scalars = Array(text.unicodeScalars)
        #expect(file.scalarCount == scalars.count)
        #expect(Array(file.scalars) == scalars)
        for offset in scalars.indices {
            #expect(file.scalar(at: offset) == scalars[offset])
            #expect(file.scalars[offset] == scalars[offset])
        }
        for start in stride(from: 0, through: scalars.count, by: 7) {
            for end in stride(from: start, through: min(scalars.count, start + 70), by: 5) {
                #expect(file.slice(start..<end) == String(String.UnicodeScalarView(scalars[start..<end])))
                #expect(file.scalars(in: start..<end) == Array(scalars[start..<end]))
            }
        }
    }

    /// Lines as they were counted over an array of scalars.
    @Test(arguments: ["", "a", "a\nb", "a\r\nb\rc\n\nd\r\r\n", Self.mixed, "\r", "ende\n"])
    func linesEndAtEveryKindOfLineBreak(text: String) {
        let file = SourceText(path: "a.md", text: text)
        let scalars = Array(text.unicodeScalars)
        var starts = [0]
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\n" {
                starts.append(index + 1)
            } else if scalars[index] == "\r" {
                if index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        #expect(file.lineCount == starts.count)
        for line in 1...starts.count {
            var end = line < starts.count ? starts[line] : scalars.count
            while end > starts[line - 1], scalars[end - 1] == "\n" || scalars[end - 1] == "\r" { end -= 1 }
            #expect(file.lineRange(line) == starts[line - 1]..<end)
            // libcmark's columns count UTF-8 bytes from 1.
            var bytes = 0
            for (offset, scalar) in scalars[starts[line - 1]..<end].enumerated() {
                #expect(file.offset(line: line, utf8Column: bytes + 1) == starts[line - 1] + offset)
                bytes += UTF8.width(scalar)
            }
            #expect(file.offset(line: line, utf8Column: bytes + 1) == end)
            #expect(file.offset(line: line, utf8Column: bytes + 10) == end, "a column past the line's end is its end")
        }
        for offset in 0...scalars.count {
            let line = starts.lastIndex { $0 <= offset }! + 1
            #expect(file.location(ofOffset: offset) == SourceLocation(path: "a.md", line: line, column: offset - starts[line - 1] + 1))
        }
    }

    /// A text taken from a cache with the tables and digest kept of it addresses it as the text
    /// read anew does; tables that do not fit it are refused.
    @Test(arguments: ["", "a", "a\r\nb\rc\n\nd\r\r\n", Self.mixed, "😀"])
    func tablesKeptByACacheServeAsTheTextsOwn(text: String) throws {
        let file = SourceText(path: "a.md", text: text)
        let kept = try #require(SourceText(path: "a.md", text: text, tables: file.tables))
        #expect(kept.scalarCount == file.scalarCount && kept.digest == file.digest && kept.lineCount == file.lineCount)
        for offset in 0...file.scalarCount {
            #expect(kept.location(ofOffset: offset) == file.location(ofOffset: offset))
            #expect(kept.utf8Offset(ofScalar: offset) == file.utf8Offset(ofScalar: offset))
        }

        let tables = file.tables
        func with(scalarCount: Int? = nil, lineStarts: [UInt32]? = nil, checkpoints: [UInt32]? = nil) -> SourceText? {
            SourceText(path: "a.md", text: text, tables: SourceText.Tables(
                scalarCount: scalarCount ?? tables.scalarCount, lineStarts: lineStarts ?? tables.lineStarts,
                lineUTF8Starts: tables.lineUTF8Starts, checkpoints: checkpoints ?? tables.checkpoints, digest: tables.digest))
        }
        #expect(with(scalarCount: text.utf8.count + 1) == nil, "more scalars than bytes")
        #expect(with(lineStarts: [1] + tables.lineStarts.dropFirst()) == nil, "a first line that does not start the text")
        #expect(with(lineStarts: tables.lineStarts.reversed()) == nil || tables.lineStarts.count == 1, "lines out of order")
        #expect(with(checkpoints: tables.checkpoints.isEmpty ? [0] : []) == nil, "checkpoints that do not match the text's being ASCII")
        #expect(tables.checkpoints.isEmpty || with(checkpoints: tables.checkpoints.dropLast() + [UInt32(text.utf8.count + 1)]) == nil,
                "a checkpoint past the end")
    }

    @Test func aByteOrderMarkIsDroppedAndBytesThatAreNotUTF8AreAnErrorWhereTheyStand() throws {
        let text = try SourceText(path: "a.md", utf8: Data([0xEF, 0xBB, 0xBF] + Array("Ä\nb".utf8)))
        #expect(text.text == "Ä\nb")
        let error = #expect(throws: SourceText.InvalidUTF8.self) { try SourceText(path: "a.md", utf8: Data(Array("ab\nÄc".utf8) + [0xC3, 0x28])) }
        #expect(error?.location == SourceLocation(path: "a.md", line: 2, column: 3))
        #expect(error?.byteOffset == 6)
    }

    @Test func scalarsDecodedFromUTF8AreTheStandardLibrarysRepairsAndAll() {
        let samples: [[UInt8]] = [Array("Straße 😀 東京".utf8), [0x61, 0xC3], [0xE2, 0x82, 0x61, 0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80, 0x62],
                                  [0xC0, 0xAF, 0xF4, 0x90, 0x80, 0x80], [0xFF, 0x41]]
        for bytes in samples {
            let decoded = bytes.withUnsafeBufferPointer { [Unicode.Scalar](decodingUTF8: $0) }
            #expect(decoded == Array(String(decoding: bytes, as: UTF8.self).unicodeScalars))
        }
    }

    /// Scalars of one to four bytes at every position of the eight-byte words the count reads,
    /// and the bytes after the last whole word.
    @Test func scalarsAreCountedOnUTF8ThatSpansWordsOfEightBytes() {
        let pieces = ["a", "ä", "€", "😀"]
        for length in 0...20 {
            var text = String((0..<length).map { pieces[$0 * 7 % pieces.count] }.joined())
            let count = text.withUTF8 { $0.scalarCount }
            #expect(count == text.unicodeScalars.count, "\(text)")
        }
    }
}
