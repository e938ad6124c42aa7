/// Finds registered names in text: over word tokens of folded text, leftmost-longest, so that
/// `Demokratische Kräfte Syriens` is one mention and not also one of Syria, and a name never
/// matches inside a longer word (`IS` not in `ist`).
///
/// A name written in capitals (`IS`, `UN`, `QSD`) matches only in capitals, and from three
/// letters also in title case (`Nato`, `Uno`), as German papers write acronyms.
struct NameMatcher: Sendable {
    /// What a match found: one entity, or several that share the form (not linked).
    struct Match {
        /// Indices into the scalars searched.
        let range: Range<Int>
        let entities: [EntityRef]
    }

    private struct Form: Sendable {
        let entity: EntityRef
        let capitalsOnly: Bool
    }

    private struct Node: Sendable {
        var children: [String: Int] = [:]
        var forms: [Form] = []
    }

    private var nodes = [Node()]

    init(registry: Registry) {
        for entity in registry.entities {
            for form in Set([entity.name] + entity.aliases) {
                insert(form, for: entity.ref)
            }
        }
    }

    private mutating func insert(_ form: String, for entity: EntityRef) {
        let tokens = Tokenizer.tokens(form.unicodeScalars)
        guard !tokens.isEmpty else { return }
        var node = 0
        for token in tokens {
            if let next = nodes[node].children[token.key] {
                node = next
            } else {
                nodes.append(Node())
                nodes[node].children[token.key] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        let capitalsOnly = Self.isCapitals(form.unicodeScalars)
        if !nodes[node].forms.contains(where: { $0.entity == entity && $0.capitalsOnly == capitalsOnly }) {
            nodes[node].forms.append(Form(entity: entity, capitalsOnly: capitalsOnly))
        }
    }

    /// The names in `scalars`, left to right, none overlapping.
    func matches(in scalars: [Unicode.Scalar]) -> [Match] {
        let tokens = Tokenizer.tokens(scalars)
        var matches: [Match] = []
        var start = 0
        while start < tokens.count {
            var node = 0
            var best: (end: Int, entities: [EntityRef])?
            var index = start
            while index < tokens.count, let next = nodes[node].children[tokens[index].key] {
                node = next
                index += 1
                let span = tokens[start].range.lowerBound..<tokens[index - 1].range.upperBound
                let entities = accepted(nodes[node].forms, text: scalars[span])
                if !entities.isEmpty { best = (index, entities) }
            }
            if let best {
                matches.append(Match(range: tokens[start].range.lowerBound..<tokens[best.end - 1].range.upperBound,
                                     entities: best.entities))
                start = best.end
            } else {
                start += 1
            }
        }
        return matches
    }

    private func accepted(_ forms: [Form], text: ArraySlice<Unicode.Scalar>) -> [EntityRef] {
        var entities: [EntityRef] = []
        for form in forms where !form.capitalsOnly || Self.isCapitalsOrTitleCase(text) {
            if !entities.contains(form.entity) { entities.append(form.entity) }
        }
        return entities.sorted()
    }

    /// At least two letters, all of them capitals.
    private static func isCapitals<S: Sequence<Unicode.Scalar>>(_ text: S) -> Bool {
        var letters = 0
        for scalar in text where scalar.properties.isAlphabetic {
            guard scalar.properties.isUppercase else { return false }
            letters += 1
        }
        return letters >= 2
    }

    private static func isCapitalsOrTitleCase(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        if isCapitals(text) { return true }
        let letters = text.filter { $0.properties.isAlphabetic }
        guard letters.count >= 3, let first = letters.first, first.properties.isUppercase else { return false }
        return letters.dropFirst().allSatisfy { $0.properties.isLowercase }
    }
}
