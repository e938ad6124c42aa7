import Foundation

/// The relations of the last build's archive (`Relations`: related articles, companions, and
/// the table of entities per article they were counted from), kept in the site's
/// `.dossier-cache/relations.bin` so that the next build counts them again only where an edit
/// changed an article's entities. Safe to delete: the next build counts them all. Taken only
/// from a file this very tool wrote, and only for an archive of the same layout.
///
/// One file: the layout's digest, then each table as its lists' lengths and their numbers.
enum RelationCache {
    private static let header = "dossier relations 1\n"

    static func file(site: URL) -> URL {
        site.appendingPathComponent(BuildCache.folder).appendingPathComponent("relations.bin")
    }

    /// Starts reading the cache on a thread of its own, while the build loads the site.
    static func startReading(site: URL) -> Background<Relations?> {
        Background { read(site: site) }
    }

    static func read(site: URL) -> Relations? {
        guard let data = try? Data(contentsOf: file(site: site)) else { return nil }
        return data.withUnsafeBytes { bytes in
            var reader = CacheReader(bytes: bytes.bindMemory(to: UInt8.self))
            guard reader.raw(header), reader.string() == BuildCache.toolIdentity, let layout = reader.fixed(),
                  let entitiesOfArticle = reader.numberLists(), let relating = reader.blob(),
                  let related = reader.relationLists(), let companions = reader.relationLists(), reader.isAtEnd,
                  related.count == entitiesOfArticle.count, relating.allSatisfy({ $0 <= 1 }),
                  entitiesOfArticle.joined().allSatisfy({ $0 >= 0 && Int($0) < relating.count }),
                  related.joined().allSatisfy({ $0.other >= 0 && $0.other < related.count }),
                  companions.joined().allSatisfy({ $0.other >= 0 && $0.other < relating.count })
            else { return nil }
            return Relations(layout: layout, entitiesOfArticle: entitiesOfArticle, relating: relating.map { $0 == 1 },
                             related: related, companions: companions)
        }
    }

    /// Keeps `relations` for the next build; a site folder that cannot take them only means the
    /// next build counts them all.
    static func save(_ relations: Relations, site: URL) {
        var writer = CacheWriter()
        writer.raw(header)
        writer.string(BuildCache.toolIdentity)
        writer.fixed(relations.layout)
        writer.lists(relations.entitiesOfArticle)
        writer.blob(relations.relating.map { $0 ? 1 : 0 })
        writer.relationLists(relations.related)
        writer.relationLists(relations.companions)
        let url = file(site: site)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(writer.bytes).write(to: url, options: .atomic)
    }
}

extension CacheWriter {
    /// Lists of numbers: their lengths, then all their numbers.
    fileprivate mutating func lists(_ lists: [[Int32]]) {
        numbers(lists.map { Int32($0.count) })
        numbers(Array(lists.joined()))
    }

    fileprivate mutating func relationLists(_ relations: [[Relations.Relation]]) {
        lists(relations.map { $0.map { Int32($0.other) } })
        numbers(relations.flatMap { $0.map { Int32($0.shared) } })
    }
}

extension CacheReader {
    fileprivate mutating func numberLists() -> [[Int32]]? {
        guard let lengths = numbers(), let all = numbers(), lengths.allSatisfy({ $0 >= 0 }),
              lengths.reduce(0, { $0 + Int($1) }) == all.count else { return nil }
        var lists: [[Int32]] = []
        lists.reserveCapacity(lengths.count)
        var start = 0
        for length in lengths {
            lists.append(Array(all[start..<(start + Int(length))]))
            start += Int(length)
        }
        return lists
    }

    fileprivate mutating func relationLists() -> [[Relations.Relation]]? {
        guard let others = numberLists(), let shared = numbers(), shared.count == others.reduce(0, { $0 + $1.count }) else {
            return nil
        }
        var position = 0
        return others.map { list in
            list.map { other in
                defer { position += 1 }
                return Relations.Relation(other: Int(other), shared: Int(shared[position]))
            }
        }
    }
}
