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

    /// The most variants compiled for one registered form.
    static let maximumVariants = 256

    let rules: LanguageRules
    /// Every token of a compiled form, numbered.
    private var vocabulary = Vocabulary()
    /// The trie's edges: from a node over a token to a node; node 0 is the root.
    private var edges = Edges()
    /// What each node accepts.
    private var endings: [Ending] = []

    /// The entities a node's forms name, worked out once when the matcher is made: with the
    /// text in capitals or title case, and without (they differ only where a form matches in
    /// capitals only). Registered forms win over variants.
    private struct Ending: Sendable {
        let inCapitals: [EntityRef]
        let otherwise: [EntityRef]
        let dependsOnCase: Bool

        init(_ forms: [Form]) {
            func accepted(capitalsFit: Bool) -> [EntityRef] {
                let fitting = forms.filter { !$0.capitalsOnly || capitalsFit }
                let chosen = fitting.contains { !$0.isVariant } ? fitting.filter { !$0.isVariant } : fitting
                return Array(Set(chosen.map(\.entity))).sorted()
            }
            inCapitals = accepted(capitalsFit: true)
            otherwise = accepted(capitalsFit: false)
            dependsOnCase = forms.contains(where: \.capitalsOnly)
        }

        /// The entities for a match of `text`.
        func entities(for text: ArraySlice<Unicode.Scalar>) -> [EntityRef] {
            dependsOnCase && !NameMatcher.isCapitalsOrTitleCase(text) ? otherwise : inCapitals
        }
    }

    init(registry: Registry, rules: LanguageRules) {
        self.rules = rules
        var forms: [[Form]] = [[]]
        for entity in registry.entities {
            for form in Set([entity.name] + entity.aliases) {
                insert(form, for: entity.ref, into: &forms)
            }
        }
        endings = forms.map(Ending.init)
    }

    /// Compiles a registered form and its variants; `forms` collects the forms that end at each node.
    private mutating func insert(_ form: String, for entity: EntityRef, into forms: inout [[Form]]) {
        let tokens = Tokenizer.keys(form)
        guard !tokens.isEmpty else { return }
        let capitalsOnly = Self.isCapitals(form.unicodeScalars)
        add(tokens, Form(entity: entity, capitalsOnly: capitalsOnly, isVariant: false), into: &forms)
        guard !capitalsOnly else { return }
        for variant in variants(of: tokens, isPlace: entity.kind == .place) where variant != tokens {
            add(variant, Form(entity: entity, capitalsOnly: false, isVariant: true), into: &forms)
        }
    }

    private mutating func add(_ tokens: [String], _ form: Form, into forms: inout [[Form]]) {
        var node: Int32 = 0
        for token in tokens {
            let id = vocabulary.id(inserting: Array(token.unicodeScalars))
            if let next = edges.child(of: node, via: id) {
                node = next
            } else {
                forms.append([])
                let next = Int32(forms.count - 1)
                edges.insert(from: node, via: id, to: next)
                node = next
            }
        }
        if !forms[Int(node)].contains(form) { forms[Int(node)].append(form) }
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
        let text = Tokenizer.tokenize(scalars)
        let tokens = text.tokens
        // Each token's number in the vocabulary; -1 for a token no form has.
        let ids = tokens.map { vocabulary.id(of: text.folded[$0.folded]) ?? -1 }
        var matches: [Match] = []
        var start = 0
        while start < tokens.count {
            var node: Int32 = 0
            var best: (end: Int, entities: [EntityRef])?
            var index = start
            while index < tokens.count {
                var next = edges.child(of: node, via: ids[index])
                // A hyphen in the text where the name has a space: `Ban Ki-moon` for `Ban Ki Moon`.
                if next == nil, node != 0, text.token(tokens[index], is: "-"), index + 1 < tokens.count {
                    next = edges.child(of: node, via: ids[index + 1])
                    if next != nil { index += 1 }
                }
                guard let next else { break }
                node = next
                index += 1
                let entities = endings[Int(node)].entities(for: scalars[tokens[start].range.lowerBound..<tokens[index - 1].range.upperBound])
                if !entities.isEmpty { best = (index, entities) }
            }
            guard let found = best else {
                start += 1
                continue
            }
            let end = endIncludingApostropheSuffix(found.end, text)
            matches.append(Match(range: tokens[start].range.lowerBound..<tokens[end - 1].range.upperBound,
                                 entities: found.entities))
            start = end
        }
        return matches
    }

    /// Extends a match over `'s` or a Turkish case ending written after an apostrophe.
    private func endIncludingApostropheSuffix(_ end: Int, _ text: TokenizedText) -> Int {
        let tokens = text.tokens
        guard end + 1 < tokens.count, text.token(tokens[end], is: "'"),
              tokens[end - 1].range.upperBound == tokens[end].range.lowerBound,
              tokens[end].range.upperBound == tokens[end + 1].range.lowerBound,
              tokens[end + 1].isWord else { return end }
        let suffix = tokens[end + 1]
        switch rules.apostropheSuffixes {
        case .none: return end
        case .only(let allowed): return allowed.contains(text.key(of: suffix)) ? end + 2 : end
        case .anyUpTo(let length): return suffix.folded.count <= length ? end + 2 : end
        }
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

    static func isCapitalsOrTitleCase(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        if isCapitals(text) { return true }
        let letters = text.filter { $0.properties.isAlphabetic }
        guard letters.count >= 3, let first = letters.first, first.properties.isUppercase else { return false }
        return letters.dropFirst().allSatisfy { $0.properties.isLowercase }
    }
}

/// The tokens of the compiled forms, numbered in the order first seen, and found by their
/// folded scalars without making a string: an open-addressing hash table over a flat store.
private struct Vocabulary: Sendable {
    /// The scalars of token `id` are `scalars[starts[id]..<starts[id + 1]]`.
    private var starts: [Int32] = [0]
    private var scalars: [Unicode.Scalar] = []
    /// Token numbers by hash, -1 where empty; the count is a power of two.
    private var slots: [Int32] = []

    private var count: Int { starts.count - 1 }

    /// The number of `token`, added if new.
    mutating func id(inserting token: [Unicode.Scalar]) -> Int32 {
        if let id = id(of: token[...]) { return id }
        let id = Int32(count)
        scalars += token
        starts.append(Int32(scalars.count))
        if count * 2 > slots.count {
            slots = Array(repeating: -1, count: max(64, slots.count * 2))
            for existing in 0..<Int32(count) { place(existing) }
        } else {
            place(id)
        }
        return id
    }

    /// The number of `token`; nil when no form has it.
    func id(of token: ArraySlice<Unicode.Scalar>) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Self.hash(token) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if scalars[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])].elementsEqual(token) { return id }
            slot = (slot + 1) & mask
        }
    }

    private mutating func place(_ id: Int32) {
        let mask = slots.count - 1
        var slot = Self.hash(scalars[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    /// FNV-1a over the scalars' values, mixed so that the low bits spread.
    private static func hash(_ token: ArraySlice<Unicode.Scalar>) -> Int {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for scalar in token { value = (value ^ UInt64(scalar.value)) &* 0x100_0000_01b3 }
        value ^= value >> 29
        value &*= 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: value ^ (value >> 32))
    }
}

/// The trie's edges, (node, token) to node: an open-addressing hash table over integer keys.
private struct Edges: Sendable {
    private static let empty = UInt64.max
    private var keys: [UInt64] = []
    private var children: [Int32] = []
    private var count = 0

    func child(of node: Int32, via token: Int32) -> Int32? {
        guard token >= 0, !keys.isEmpty else { return nil }
        let key = Self.key(node, token)
        let mask = keys.count - 1
        var slot = Self.slot(key) & mask
        while true {
            let found = keys[slot]
            if found == key { return children[slot] }
            if found == Self.empty { return nil }
            slot = (slot + 1) & mask
        }
    }

    mutating func insert(from node: Int32, via token: Int32, to child: Int32) {
        if (count + 1) * 2 > keys.count {
            let old = zip(keys, children).filter { $0.0 != Self.empty }
            keys = Array(repeating: Self.empty, count: max(64, keys.count * 2))
            children = Array(repeating: 0, count: keys.count)
            for (key, child) in old { place(key, child) }
        }
        place(Self.key(node, token), child)
        count += 1
    }

    private mutating func place(_ key: UInt64, _ child: Int32) {
        let mask = keys.count - 1
        var slot = Self.slot(key) & mask
        while keys[slot] != Self.empty { slot = (slot + 1) & mask }
        keys[slot] = key
        children[slot] = child
    }

    private static func key(_ node: Int32, _ token: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
    }

    private static func slot(_ key: UInt64) -> Int {
        let mixed = key &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 31))
    }
}
