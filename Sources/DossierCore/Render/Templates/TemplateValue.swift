/// What a template is given to show: the values page contexts are made of.
///
/// A section (`{{#name}}`) shows nothing for `false`, a missing name or an empty list; it
/// repeats for each item of a list and shows once, inside the value, for anything else (an
/// empty string and 0 included, as swift-mustache had it). A variable (`{{name}}`) shows a
/// string, a number, or `true`/`false`; a list or an object shows as nothing.
enum TemplateValue: Sendable {
    case string(String)
    case bool(Bool)
    case number(Int)
    case list([TemplateValue])
    case object(TemplateObject)

    /// The text, or `false` when there is none: contexts give every key their templates ask
    /// for, since a missing key would be looked up in the enclosing values instead.
    init(_ text: String?) {
        self = text.map(TemplateValue.string) ?? .bool(false)
    }

    /// A list of objects.
    init(_ objects: [TemplateObject]) {
        self = .list(objects.map(TemplateValue.object))
    }

    /// The value of `name` inside this one: only objects have names in them.
    func value(named name: String) -> TemplateValue? {
        guard case .object(let object) = self else { return nil }
        return object[name]
    }

    /// Whether a section over this value shows nothing.
    var isFalsy: Bool {
        switch self {
        case .bool(let value): !value
        case .list(let items): items.isEmpty
        case .string, .number, .object: false
        }
    }
}

/// Named values, in the order they were set. Objects are small (a page's keys, a list
/// entry's): they are searched front to back, which for a few dozen short keys is quicker than
/// hashing, and cheaper to build. Large ones (the theme's words) carry a hash index.
struct TemplateObject: Sendable {
    /// Each field's name and value, unlabelled as a dictionary literal gives them: kept without a copy.
    private var fields: [(String, TemplateValue)] = []
    /// Position by name, for objects of more than `indexedCount` fields.
    private var index: [String: Int]?
    private static let indexedCount = 24

    /// An object of fixed words: `{{t.key}}`.
    init(words: [String: String]) {
        self.init(words.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    /// `fields` must not repeat a name (as in a dictionary literal).
    init(_ fields: [(String, TemplateValue)]) {
        self.fields = fields
        assert(Set(fields.map(\.0)).count == fields.count, "a name set twice: \(fields.map(\.0))")
        indexIfLarge()
    }

    var keys: [String] { fields.map(\.0) }

    subscript(name: String) -> TemplateValue? {
        get { position(of: name).map { fields[$0].1 } }
        set {
            switch (position(of: name), newValue) {
            case (let position?, let value?):
                fields[position].1 = value
            case (let position?, nil):
                fields.remove(at: position)
                index = nil
                indexIfLarge()
            case (nil, let value?):
                fields.append((name, value))
                if index != nil { index?[name] = fields.count - 1 } else { indexIfLarge() }
            case (nil, nil):
                break
            }
        }
    }

    private func position(of name: String) -> Int? {
        if let index { return index[name] }
        // Comparing the lengths first spares most of the (slower) string comparisons.
        let length = name.utf8.count
        return fields.firstIndex { $0.0.utf8.count == length && $0.0 == name }
    }

    private mutating func indexIfLarge() {
        guard index == nil, fields.count > Self.indexedCount else { return }
        index = Dictionary(fields.enumerated().map { ($1.0, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    init(stringLiteral text: String) { self = .string(text) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int) { self = .number(value) }
    init(arrayLiteral items: TemplateValue...) { self = .list(items) }
    init(dictionaryLiteral fields: (String, TemplateValue)...) { self = .object(TemplateObject(fields)) }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral fields: (String, TemplateValue)...) {
        self.init(fields)
    }
}
