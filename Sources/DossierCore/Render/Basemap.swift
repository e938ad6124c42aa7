import Foundation

/// A box of longitudes and latitudes, in degrees.
struct GeoBox: Sendable {
    var west: Double
    var south: Double
    var east: Double
    var north: Double

    /// The smallest box around `points`; nil when there are none.
    init?(around points: some Sequence<Coordinate>) {
        var iterator = points.makeIterator()
        guard let first = iterator.next() else { return nil }
        self.init(west: first.longitude, south: first.latitude, east: first.longitude, north: first.latitude)
        while let point = iterator.next() {
            west = min(west, point.longitude)
            east = max(east, point.longitude)
            south = min(south, point.latitude)
            north = max(north, point.latitude)
        }
    }

    init(west: Double, south: Double, east: Double, north: Double) {
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }

    /// The smallest box around both.
    func union(_ box: GeoBox) -> GeoBox {
        GeoBox(west: min(west, box.west), south: min(south, box.south), east: max(east, box.east), north: max(north, box.north))
    }

    func contains(_ point: Coordinate) -> Bool {
        (west...east).contains(point.longitude) && (south...north).contains(point.latitude)
    }

    func contains(_ box: GeoBox) -> Bool {
        box.west >= west && box.east <= east && box.south >= south && box.north <= north
    }

    func intersects(_ box: GeoBox) -> Bool {
        box.west <= east && box.east >= west && box.south <= north && box.north >= south
    }
}

/// The country outlines and rivers that maps are drawn from: Natural Earth data shipped with
/// Dossier (`Sources/DossierCore/Basemap`), in detail (1:50m) for the region most archives are
/// about and coarser (1:110m, no rivers) for the whole world.
public struct Basemap: Sendable {
    /// One polygon: its outer ring, then its holes, with the box around it for culling.
    struct Outline: Sendable {
        let rings: [[Coordinate]]
        let bounds: GeoBox
    }

    struct Country: Sendable {
        let name: String
        /// The name folded as names are matched (`TextFolding`).
        let key: String
        let outlines: [Outline]
        let bounds: GeoBox
    }

    /// One part of a river (or of a lake's centre line), with the box around it.
    struct Line: Sendable {
        let points: [Coordinate]
        let bounds: GeoBox
    }

    /// What a map at one level of detail is drawn from.
    struct Layer: Sendable {
        let countries: [Country]
        let rivers: [Line]
    }

    /// Where the detailed layer has data.
    static let regionBox = GeoBox(west: -25, south: 5, east: 75, north: 72)

    let region: Layer
    let world: Layer

    /// The basemap shipped with Dossier, read on first use (once per process: builds without
    /// coordinates never read it); nil when the installation lacks it or it cannot be read.
    public static let builtIn: Basemap? = PackageResources.folder("Basemap", holding: "world-110m-countries.geojson")
        .flatMap { try? Basemap(folder: $0) }

    init(region: Layer, world: Layer) {
        self.region = region
        self.world = world
    }

    /// Reads the three GeoJSON files of a basemap folder.
    init(folder: URL) throws {
        func features(_ file: String) throws -> [GeoJSON.Feature] {
            try JSONDecoder().decode(GeoJSON.FeatureCollection.self,
                                     from: Data(contentsOf: folder.appendingPathComponent(file))).features
        }
        self.init(region: Layer(countries: try features("region-50m-countries.geojson").compactMap(Country.init),
                                rivers: try features("region-50m-rivers.geojson").flatMap(\.lines)),
                  world: Layer(countries: try features("world-110m-countries.geojson").compactMap(Country.init), rivers: []))
    }

    /// The detailed layer for a frame inside the region box, else the world layer.
    func layer(for frame: GeoBox) -> Layer {
        Self.regionBox.contains(frame) ? region : world
    }

    /// The country one of `names` names (compared folded: case and diacritics aside) in
    /// which `point` lies, roughly: a place that is a country is framed by its outline.
    func country(namedAnyOf names: [String], around point: Coordinate) -> Country? {
        let folded = Set(names.map(TextFolding.fold))
        return (region.countries + world.countries).first { country in
            folded.contains(country.key) && country.outlines.contains { $0.bounds.contains(point) }
        }
    }
}

extension Basemap.Country {
    fileprivate init?(_ feature: GeoJSON.Feature) {
        let outlines = feature.geometry.polygons.compactMap { rings in
            GeoBox(around: rings.first ?? []).map { Basemap.Outline(rings: rings, bounds: $0) }
        }
        guard let name = feature.properties.name, let first = outlines.first else { return nil }
        self.init(name: name, key: TextFolding.fold(name), outlines: outlines,
                  bounds: outlines.dropFirst().reduce(first.bounds) { $0.union($1.bounds) })
    }

    /// The box around the country's largest polygon: its main land, without far islands.
    var mainBounds: GeoBox {
        outlines.map(\.bounds).max { area($0) < area($1) } ?? bounds
    }

    private func area(_ box: GeoBox) -> Double {
        (box.east - box.west) * (box.north - box.south)
    }
}

/// The parts of GeoJSON (RFC 7946) that the basemap files use.
private enum GeoJSON {
    struct FeatureCollection: Decodable {
        let features: [Feature]
    }

    struct Feature: Decodable {
        let properties: Properties
        let geometry: Geometry

        var lines: [Basemap.Line] {
            geometry.lines.compactMap { points in GeoBox(around: points).map { Basemap.Line(points: points, bounds: $0) } }
        }
    }

    struct Properties: Decodable {
        let name: String?
    }

    /// Polygon, MultiPolygon, LineString or MultiLineString; other types are read as nothing.
    struct Geometry: Decodable {
        let polygons: [[[Coordinate]]]
        let lines: [[Coordinate]]

        private enum CodingKeys: String, CodingKey {
            case type, coordinates
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func decode<T: Decodable>(_: T.Type) throws -> T { try container.decode(T.self, forKey: .coordinates) }
            func coordinates(_ positions: [Position]) -> [Coordinate] { positions.map(\.coordinate) }
            switch try container.decode(String.self, forKey: .type) {
            case "Polygon": (polygons, lines) = ([try decode([[Position]].self).map(coordinates)], [])
            case "MultiPolygon": (polygons, lines) = (try decode([[[Position]]].self).map { $0.map(coordinates) }, [])
            case "LineString": (polygons, lines) = ([], [coordinates(try decode([Position].self))])
            case "MultiLineString": (polygons, lines) = ([], try decode([[Position]].self).map(coordinates))
            default: (polygons, lines) = ([], [])
            }
        }
    }

    /// `[longitude, latitude]`, read without an array per position.
    struct Position: Decodable {
        let coordinate: Coordinate

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            let longitude = try container.decode(Double.self)
            coordinate = Coordinate(latitude: try container.decode(Double.self), longitude: longitude)
        }
    }
}
