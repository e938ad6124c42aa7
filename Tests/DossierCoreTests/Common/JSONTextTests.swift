import Foundation
import Testing
@testable import DossierCore

@Suite struct JSONTextTests {
    @Test func stringsAreWrittenAsTheEncoderWritesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        for text in [controls, "\"Zitat\" \\ a/b", "\u{7F} é \u{2028} \u{2029} 🇦🇹 </script>", ""] {
            var json = JSONText()
            json.string(text)
            #expect(json.bytes == Array(try encoder.encode(text)), "\(text.debugDescription)")
        }
    }

    @Test func objectsAndArraysAreWrittenAsTheEncoderWritesThem() throws {
        struct Record: Encodable {
            let id: String
            let numbers: [Int]
            let note: String?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var json = JSONText()
        json.array([Record(id: "a", numbers: [1, -2, 30], note: "x"), Record(id: "b", numbers: [], note: nil)]) { json, record in
            json.raw(UInt8(ascii: "{"))
            json.key("id", first: true)
            json.string(record.id)
            json.key("note")
            json.optional(record.note)
            json.key("numbers")
            json.array(record.numbers) { $0.number($1) }
            json.raw(UInt8(ascii: "}"))
        }
        let expected = #"[{"id":"a","note":"x","numbers":[1,-2,30]},{"id":"b","note":null,"numbers":[]}]"#
        #expect(String(decoding: json.bytes, as: UTF8.self) == expected)
    }

    /// In a script, strings are escaped as `ScriptJSON` escapes the encoder's output.
    @Test func scriptStringsAreEscapedAsScriptJSONEscapesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        for text in [controls, "</script><!-- & \u{2028}\u{2029} \u{E2}", "\"Zitat\" \\ é", "ends in \u{E2}\u{80}", ""] {
            var json = JSONText(forScript: true)
            json.string(text)
            #expect(json.bytes == ScriptJSON.escaped(try encoder.encode(text)), "\(text.debugDescription)")
        }
    }

    @Test func numbersAreWrittenAsTheEncoderWritesThem() throws {
        for number in [0, 7, 9, 10, -1, -10, 1_234_567, Int.max, Int.min] {
            var json = JSONText()
            json.number(number)
            #expect(String(decoding: json.bytes, as: UTF8.self) == String(number))
        }
    }

    @Test func fractionalNumbersAreWrittenAsTheEncoderWritesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for number in [0, 13, -0.5, 36.2, 48.208_49, -122.419_4, 1e-7, 1e21, 0.1 + 0.2, 123_456_789.123] {
            var json = JSONText()
            json.optional(number)
            #expect(json.bytes == Array(try encoder.encode(number)), "\(number)")
        }
        var json = JSONText()
        json.optional(Double?.none)
        #expect(String(decoding: json.bytes, as: UTF8.self) == "null")
    }
}
