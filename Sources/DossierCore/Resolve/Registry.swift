/// The `resolve` stage's result: every actor and place by id, and every name and alias by its
/// folded form, so that explicit links can name an entity either way.
public struct Registry: Sendable {
    /// Actors and places, sorted by kind, then name.
    public let entities: [Entity]
    /// Each entity's position in `entities`.
    private let byRef: [EntityRef: Int]
    private let byFoldedName: [String: [EntityRef]]

    public init(entities: [Entity]) {
        self.entities = entities.map { (key: TextFolding.fold($0.name), entity: $0) }
            .sorted { ($0.entity.ref.kind, $0.key, $0.entity.ref.id) < ($1.entity.ref.kind, $1.key, $1.entity.ref.id) }
            .map(\.entity)
        byRef = Dictionary(self.entities.enumerated().map { ($1.ref, $0) }, uniquingKeysWith: { first, _ in first })
        var names: [String: [EntityRef]] = [:]
        for entity in self.entities {
            for form in [entity.name] + entity.aliases {
                let key = TextFolding.fold(form)
                if names[key]?.contains(entity.ref) != true { names[key, default: []].append(entity.ref) }
            }
        }
        byFoldedName = names
    }

    public subscript(ref: EntityRef) -> Entity? { byRef[ref].map { entities[$0] } }

    /// What `part` takes from the entity `ref`, if there is one. Where the compiler inlines a
    /// `part` that reads only fields (the name, for the thousands of lists that name it), only
    /// those are read; else the entity is copied for the call, as the subscript copies it (a
    /// profile still shows that copy under `StructuredData.article`).
    public func entity<Part>(_ ref: EntityRef, _ part: (Entity) -> Part) -> Part? { byRef[ref].map { part(entities[$0]) } }

    /// The entities whose id is `id`: one of each kind at most.
    public func entities(withID id: String) -> [EntityRef] {
        EntityKind.allCases.map { EntityRef($0, id) }.filter { byRef[$0] != nil }
    }

    /// The entities that have `name` as their name or an alias, compared folded.
    public func entities(named name: String) -> [EntityRef] {
        byFoldedName[TextFolding.fold(name)] ?? []
    }

    /// Checks what the entities refer to: every `within` must name a place. Reports every form
    /// that two entities share: it is not linked automatically.
    public func validate() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var reported: Set<String> = []
        for entity in entities {
            for form in [entity.name] + entity.aliases {
                let owners = entities(named: form)
                guard owners.count > 1, owners.last == entity.ref, reported.insert(TextFolding.fold(form)).inserted else { continue }
                diagnostics.append(.warning(.resolve, at: entity.file.location(line: 1),
                                            "ambiguous name '\(form)': \(owners.map(\.description).joined(separator: " and ")) both have it, "
                                            + "so it is never linked automatically; link it explicitly, e.g. [[\(owners[0].description)|\(form)]]"))
            }
        }
        for entity in entities {
            if let within = entity.within, byRef[EntityRef(.place, within)] == nil {
                diagnostics.append(.error(.resolve, at: entity.withinLocation ?? entity.file.location(line: 1),
                                          "'within: \(within)' names no place: no content/places/\(within).md"))
            }
        }
        return diagnostics
    }
}
