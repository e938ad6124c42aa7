/// Finds registered names in text: over word tokens of folded text, leftmost-longest, so that
/// `Demokratische Kräfte Syriens` is one mention and not also one of Syria, and a name never
/// matches inside a longer word (`IS` not in `ist`, `Irak` not in `Iraker`).
///
/// The forms a name takes in running text (`Syriens`, `des Islamischen Staates`, `Nordirak`,
/// `Ban Ki Moon` for `Ban Ki-moon`) are compiled into the trie from `LanguageRules` when the
/// matcher is made, so finding names costs time in proportion to the text, not the registry.
/// A name written in capitals (`IS`, `UN`, `QSD`) matches only in capitals, and from three
/// letters also in title case (`Nato`, `Uno`), as German papers write acronyms; it takes no
/// endings.
struct NameMatcher: Sendable {
    /// What a match found: one entity, or several that share the form (not linked).
    struct Match {
        /// Indices into the scalars searched.
        let range: Range<Int>
        let entities: [EntityRef]
    }

    private struct Form: Sendable, Hashable {
        let entity: EntityRef
        let capitalsOnly: Bool
        /// Whether this is an inflected or respelled form rather than the name as registered;
        /// a registered form of another entity wins over it.
        let isVariant: Bool
    }

    private struct Node: Sendable {
        var children: [String: Int32] = [:]
        var forms: [Form] = []
    }

    /// The most variants compiled for one registered form.
    static let maximumVariants = 256

    let rules: LanguageRules
    private var nodes = [Node()]

    init(registry: Registry, rules: LanguageRules) {
        self.rules = rules
        for entity in registry.entities {
            for form in Set([entity.name] + entity.aliases) {
                insert(form, for: entity.ref)
            }
        }
    }

    private mutating func insert(_ form: String, for entity: EntityRef) {
        let tokens = Tokenizer.tokens(form.unicodeScalars).map(\.key)
        guard !tokens.isEmpty else { return }
        let capitalsOnly = Self.isCapitals(form.unicodeScalars)
        add(tokens, Form(entity: entity, capitalsOnly: capitalsOnly, isVariant: false))
        guard !capitalsOnly else { return }
        for variant in variants(of: tokens, isPlace: entity.kind == .place) where variant != tokens {
            add(variant, Form(entity: entity, capitalsOnly: false, isVariant: true))
        }
    }

    private mutating func add(_ tokens: [String], _ form: Form) {
        var node = 0
        for token in tokens {
            if let next = nodes[node].children[token] {
                node = Int(next)
            } else {
                nodes.append(Node())
                nodes[node].children[token] = Int32(nodes.count - 1)
                node = nodes.count - 1
            }
        }
        if !nodes[node].forms.contains(form) { nodes[node].forms.append(form) }
    }

    /// The token sequences a registered name may be written as in running text.
    func variants(of tokens: [String], isPlace: Bool) -> Set<[String]> {
        var spellings: Set<[String]> = [tokens]
        if tokens.contains("-") { spellings.insert(tokens.filter { $0 != "-" }) }
        var result: Set<[String]> = []
        for spelling in spellings {
            let words = spelling.indices.filter { Tokenizer.isWordKey(spelling[$0]) }
            guard let first = words.first, let last = words.last else { continue }
            var alternatives = spelling.map { [$0] }
            if words.count >= 2 {
                for index in words.dropLast() {
                    if let stem = adjectiveStem(spelling[index]) {
                        alternatives[index] = [spelling[index]] + rules.adjectiveEndings.map { stem + $0 }
                    }
                }
            }
            if spelling[last].unicodeScalars.count >= LanguageRules.shortestInflectedWord {
                alternatives[last] += rules.nameEndings.map { spelling[last] + $0 }
            }
            if isPlace {
                alternatives[first] += rules.directionPrefixes.flatMap { prefix in alternatives[first].map { prefix + $0 } }
            }
            var product: [[String]] = [[]]
            for options in alternatives {
                product = product.flatMap { head in options.map { head + [$0] } }
                if product.count > Self.maximumVariants { product = Array(product.prefix(Self.maximumVariants)) }
            }
            result.formUnion(product)
        }
        return result
    }

    /// The stem of a word that ends like a declined adjective (`islamischer` -> `islamisch`).
    private func adjectiveStem(_ word: String) -> String? {
        for ending in rules.adjectiveEndings.sorted(by: { $0.count > $1.count }) where word.hasSuffix(ending) {
            let stem = String(word.dropLast(ending.count))
            if stem.unicodeScalars.count >= LanguageRules.shortestAdjectiveStem { return stem }
        }
        return nil
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
            while index < tokens.count {
                var next = nodes[node].children[tokens[index].key]
                // A hyphen in the text where the name has a space: `Ban Ki-moon` for `Ban Ki Moon`.
                if next == nil, node != 0, tokens[index].key == "-", index + 1 < tokens.count {
                    next = nodes[node].children[tokens[index + 1].key]
                    if next != nil { index += 1 }
                }
                guard let next else { break }
                node = Int(next)
                index += 1
                let entities = accepted(nodes[node].forms,
                                        text: scalars[tokens[start].range.lowerBound..<tokens[index - 1].range.upperBound])
                if !entities.isEmpty { best = (index, entities) }
            }
            guard let found = best else {
                start += 1
                continue
            }
            let end = endIncludingApostropheSuffix(found.end, tokens)
            matches.append(Match(range: tokens[start].range.lowerBound..<tokens[end - 1].range.upperBound,
                                 entities: found.entities))
            start = end
        }
        return matches
    }

    /// Extends a match over `'s` or a Turkish case ending written after an apostrophe.
    private func endIncludingApostropheSuffix(_ end: Int, _ tokens: [Token]) -> Int {
        guard end + 1 < tokens.count, tokens[end].key == "'",
              tokens[end - 1].range.upperBound == tokens[end].range.lowerBound,
              tokens[end].range.upperBound == tokens[end + 1].range.lowerBound,
              Tokenizer.isWordKey(tokens[end + 1].key) else { return end }
        let suffix = tokens[end + 1].key
        switch rules.apostropheSuffixes {
        case .none: return end
        case .only(let allowed): return allowed.contains(suffix) ? end + 2 : end
        case .anyUpTo(let length): return suffix.unicodeScalars.count <= length ? end + 2 : end
        }
    }

    /// The entities whose forms end at this node and fit the text's case; registered forms
    /// win over variants.
    private func accepted(_ forms: [Form], text: ArraySlice<Unicode.Scalar>) -> [EntityRef] {
        let fitting = forms.filter { !$0.capitalsOnly || Self.isCapitalsOrTitleCase(text) }
        let chosen = fitting.contains { !$0.isVariant } ? fitting.filter { !$0.isVariant } : fitting
        return Array(Set(chosen.map(\.entity))).sorted()
    }

    /// At least two letters, all of them capitals.
    static func isCapitals<S: Sequence<Unicode.Scalar>>(_ text: S) -> Bool {
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
