/// The fixed words of a theme in one language, from `templates/strings/<language>.yml`:
/// templates use them as `{{t.key}}`, and the renderer for the words it writes itself.
public struct InterfaceStrings: Sendable {
    public let words: [String: String]

    public init(words: [String: String]) {
        self.words = words
    }

    public subscript(key: String) -> String {
        words[key] ?? key
    }

    /// The word with each `{name}` replaced by its value.
    public func format(_ key: String, _ values: [String: String]) -> String {
        values.reduce(self[key]) { text, value in text.replacingOccurrences(of: "{\(value.key)}", with: value.value) }
    }

    /// `1 Erwähnung`, `5 Erwähnungen`: `<key>_one` or `<key>_other` with `{count}`.
    public func count(_ count: Int, one: String, other: String) -> String {
        count == 1 ? format(one, ["count": "1"]) : format(other, ["count": String(count)])
    }
}
