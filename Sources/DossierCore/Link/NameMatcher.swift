import Foundation

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

    /// The entities a match ending at a node of the trie names, chosen when the matcher is
    /// made: registered forms win over variants, and forms in capitals need the text's case.
    private struct Acceptance: Sendable {
        /// Whether a form here matches only in capitals (or title case): then the text's case chooses.
        let dependsOnCase: Bool
        let inCapitals: [EntityRef]
        let otherwise: [EntityRef]

        init(_ forms: [Form]) {
            guard forms.count > 1 else {
                // Most nodes: one form, or none.
                dependsOnCase = forms.first?.capitalsOnly ?? false
                inCapitals = forms.map(\.entity)
                otherwise = dependsOnCase ? [] : inCapitals
                return
            }
            func chosen(inCapitals: Bool) -> [EntityRef] {
                let fitting = forms.filter { !$0.capitalsOnly || inCapitals }
                let hasRegistered = fitting.contains { !$0.isVariant }
                // A node has a form or two: a sorted list without repeats, no set needed.
                var entities: [EntityRef] = []
                for form in fitting where !(hasRegistered && form.isVariant) && !entities.contains(form.entity) {
                    entities.append(form.entity)
                }
                return entities.sorted()
            }
            dependsOnCase = forms.contains(where: \.capitalsOnly)
            self.inCapitals = chosen(inCapitals: true)
            otherwise = dependsOnCase ? chosen(inCapitals: false) : self.inCapitals
        }
    }

    /// The most variants compiled for one registered form.
    static let maximumVariants = 256

    let rules: LanguageRules
    /// The trie over token keys: node 0 is the root.
    private let edges: TrieEdges
    private let acceptances: [Acceptance]
    /// The id of every token key of the trie, compared as Swift compares text (canonically
    /// equivalent keys are one); `asciiKeys` answers the same for ASCII tokens without making a String.
    private let keyIDs: [String: Int32]
    private let asciiKeys: ASCIIKeyTable

    init(registry: Registry, rules: LanguageRules) {
        self.rules = rules
        // The forms of every entity, variants and all, are made on all cores; the trie takes
        // them in one by one (their order makes no difference to what it finds).
        let forms = Parallel.map(registry.entities) { entity in
            var forms: [(tokens: [TokenKey], form: Form)] = []
            for name in Set([entity.name] + entity.aliases) {
                let tokens = Tokenizer.keys(of: name)
                guard !tokens.isEmpty else { continue }
                let capitalsOnly = Self.isCapitals(name.unicodeScalars)
                forms.append((tokens.map(TokenKey.init), Form(entity: entity.ref, capitalsOnly: capitalsOnly, isVariant: false)))
                guard !capitalsOnly else { continue }
                for variant in Self.variants(of: tokens, isPlace: entity.ref.kind == .place, rules: rules) where variant != tokens {
                    forms.append((variant.map(TokenKey.init), Form(entity: entity.ref, capitalsOnly: false, isVariant: true)))
                }
            }
            return forms
        }
        var builder = TrieBuilder(capacity: forms.reduce(0) { $0 + $1.count })
        for (tokens, form) in forms.joined() { builder.add(tokens, form) }
        edges = TrieEdges(builder.edges, keyCount: builder.keys.count)
        acceptances = Parallel.map(builder.forms, Acceptance.init)
        keyIDs = Dictionary(builder.keys.enumerated().map { ($1.text, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        asciiKeys = ASCIIKeyTable(builder.keys.map(\.normalized))
    }

    /// A token key as the trie numbers it: its text, and the text composed (NFC), which is the
    /// same for keys that Swift takes for equal (canonically equivalent), with its hash.
    private struct TokenKey: Sendable {
        let text: String
        let normalized: String
        let hash: UInt64

        init(_ text: String) {
            self.text = text
            normalized = text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in normalized.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            self.hash = hash
        }

        func isSame(as other: TokenKey) -> Bool {
            hash == other.hash && normalized.utf8.elementsEqual(other.normalized.utf8)
        }
    }

    /// The trie as it is built: token keys numbered, edges by node and key, forms by node.
    private struct TrieBuilder {
        /// Every token key, by number; `slots` finds a key's number by its hash.
        private(set) var keys: [TokenKey] = []
        private var slots: [Int32]
        /// Every edge as (node, key, child), and the child of each by node and key.
        var edges: [(node: Int32, key: Int32, child: Int32)] = []
        private var children: [UInt64: Int32] = [:]
        var forms: [[Form]] = [[]]

        /// A builder for about `capacity` forms: one node each, most of them.
        init(capacity: Int) {
            var slotCount = 16
            while slotCount < capacity { slotCount *= 2 }
            slots = [Int32](repeating: -1, count: slotCount)
            keys.reserveCapacity(capacity / 2)
            edges.reserveCapacity(capacity)
            children.reserveCapacity(capacity)
            forms.reserveCapacity(capacity + 1)
        }

        /// The number of `key`, given it if it has none yet.
        private mutating func number(of key: TokenKey) -> Int32 {
            var slot = Self.slot(of: key, among: slots.count)
            while slots[slot] >= 0 {
                if keys[Int(slots[slot])].isSame(as: key) { return slots[slot] }
                slot = (slot + 1) & (slots.count - 1)
            }
            slots[slot] = Int32(keys.count)
            keys.append(key)
            // At most half full, so that a probe ends soon (and at all).
            if keys.count * 2 > slots.count {
                slots = [Int32](repeating: -1, count: slots.count * 2)
                for (number, key) in keys.enumerated() {
                    var slot = Self.slot(of: key, among: slots.count)
                    while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
                    slots[slot] = Int32(number)
                }
            }
            return Int32(keys.count - 1)
        }

        private static func slot(of key: TokenKey, among count: Int) -> Int {
            Int(truncatingIfNeeded: key.hash ^ (key.hash >> 29)) & (count - 1)
        }

        mutating func add(_ tokens: [TokenKey], _ form: Form) {
            var node: Int32 = 0
            for token in tokens {
                let id = number(of: token)
                let edge = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: id))
                if let next = children[edge] {
                    node = next
                } else {
                    let child = Int32(forms.count)
                    forms.append([])
                    children[edge] = child
                    edges.append((node, id, child))
                    node = child
                }
            }
            if !forms[Int(node)].contains(form) { forms[Int(node)].append(form) }
        }
    }

    /// The token sequences a registered name may be written as in running text; one may come
    /// twice (the trie takes it once), which costs less than a set of them.
    static func variants(of tokens: [String], isPlace: Bool, rules: LanguageRules) -> [[String]] {
        var spellings = [tokens]
        if tokens.contains("-") { spellings.append(tokens.filter { $0 != "-" }) }
        var result: [[String]] = []
        for spelling in spellings {
            let words = spelling.indices.filter { Tokenizer.isWordKey(spelling[$0]) }
            guard let first = words.first, let last = words.last else { continue }
            var alternatives = spelling.map { [$0] }
            if words.count >= 2 {
                for index in words.dropLast() {
                    if let stem = adjectiveStem(spelling[index], rules: rules) {
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
            result += product
        }
        return result
    }

    /// The stem of a word that ends like a declined adjective (`islamischer` -> `islamisch`).
    private static func adjectiveStem(_ word: String, rules: LanguageRules) -> String? {
        for ending in rules.adjectiveEndings.sorted(by: { $0.count > $1.count }) where word.hasSuffix(ending) {
            let stem = String(word.dropLast(ending.count))
            if stem.unicodeScalars.count >= LanguageRules.shortestAdjectiveStem { return stem }
        }
        return nil
    }

    /// The names in `scalars`, left to right, none overlapping.
    func matches(in scalars: [Unicode.Scalar]) -> [Match] {
        matches(in: scalars[...])
    }

    /// The names in `scalars`, left to right, none overlapping; ranges are indices of `scalars`.
    func matches(in scalars: ArraySlice<Unicode.Scalar>) -> [Match] {
        let text = Tokenizer.tokenize(scalars)
        let tokens = text.tokens
        let ids = tokens.map { id(of: $0, in: text) }
        let base = scalars.startIndex
        var matches: [Match] = []
        var start = 0
        while start < tokens.count {
            var node: Int32 = 0
            var best: (end: Int, entities: [EntityRef])?
            var index = start
            while index < tokens.count {
                var next = edges.child(of: node, key: ids[index])
                // A hyphen in the text where the name has a space: `Ban Ki-moon` for `Ban Ki Moon`.
                if next == nil, node != 0, text.isKey(tokens[index], "-"), index + 1 < tokens.count {
                    next = edges.child(of: node, key: ids[index + 1])
                    if next != nil { index += 1 }
                }
                guard let next else { break }
                node = next
                index += 1
                let entities = accepted(at: node, text: scalars[(base + tokens[start].range.lowerBound)..<(base + tokens[index - 1].range.upperBound)])
                if !entities.isEmpty { best = (index, entities) }
            }
            guard let found = best else {
                start += 1
                continue
            }
            let end = endIncludingApostropheSuffix(found.end, text)
            matches.append(Match(range: (base + tokens[start].range.lowerBound)..<(base + tokens[end - 1].range.upperBound),
                                 entities: found.entities))
            start = end
        }
        return matches
    }

    /// The number of a token's key in the trie; -1 when no name has it.
    private func id(of token: Token, in text: TokenizedText) -> Int32 {
        let found = text.folded.withUnsafeBufferPointer { folded in
            asciiKeys.id(of: UnsafeBufferPointer(rebasing: folded[token.folded]))
        }
        switch found {
        case .some(let id): return id
        case .none: return -1
        case .notASCII: return keyIDs[text.key(token)] ?? -1
        }
    }

    /// Extends a match over `'s` or a Turkish case ending written after an apostrophe.
    private func endIncludingApostropheSuffix(_ end: Int, _ text: TokenizedText) -> Int {
        let tokens = text.tokens
        guard end + 1 < tokens.count, text.isKey(tokens[end], "'"),
              tokens[end - 1].range.upperBound == tokens[end].range.lowerBound,
              tokens[end].range.upperBound == tokens[end + 1].range.lowerBound,
              text.isWord(tokens[end + 1]) else { return end }
        switch rules.apostropheSuffixes {
        case .none: return end
        case .only(let allowed): return allowed.contains(text.key(tokens[end + 1])) ? end + 2 : end
        case .anyUpTo(let length): return tokens[end + 1].folded.count <= length ? end + 2 : end
        }
    }

    /// The entities whose forms end at this node and fit the text's case; registered forms
    /// win over variants.
    private func accepted(at node: Int32, text: ArraySlice<Unicode.Scalar>) -> [EntityRef] {
        let acceptance = acceptances[Int(node)]
        return acceptance.dependsOnCase && Self.isCapitalsOrTitleCase(text) ? acceptance.inCapitals : acceptance.otherwise
    }

    /// At least two letters, all of them capitals.
    static func isCapitals<S: Sequence<Unicode.Scalar>>(_ text: S) -> Bool {
        var letters = 0
        for scalar in text where scalar.isAlphabetic {
            guard scalar.isUppercase else { return false }
            letters += 1
        }
        return letters >= 2
    }

    /// Capitals, or at least three letters of which only the first is a capital.
    private static func isCapitalsOrTitleCase(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        if isCapitals(text) { return true }
        var letters = 0
        for scalar in text where scalar.isAlphabetic {
            guard letters == 0 ? scalar.isUppercase : scalar.isLowercase else { return false }
            letters += 1
        }
        return letters >= 3
    }
}
