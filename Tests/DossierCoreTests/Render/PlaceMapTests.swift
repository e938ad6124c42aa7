import Foundation
import Testing
@testable import DossierCore

@Suite struct PlaceMapTests {
    static let deirEzZor = PlaceMap.Mark(name: "Dêra Zor", coordinate: Coordinate(latitude: 35.33, longitude: 40.14), country: nil)
    static let efrin = PlaceMap.Mark(name: "Efrîn", coordinate: Coordinate(latitude: 36.51, longitude: 36.87), country: nil)
    static let berlin = PlaceMap.Mark(name: "Berlin", coordinate: Coordinate(latitude: 52.52, longitude: 13.4), country: nil)

    static func position(of circle: SVGElements.Element) throws -> MapPoint {
        MapPoint(x: try #require(circle.number("cx")), y: try #require(circle.number("cy")))
    }

    private func basemap() throws -> Basemap {
        try #require(Basemap.builtIn, "the basemap resource is installed")
    }

    @Test func aPlaceIsMarkedWhereItLiesAmongItsNeighbours() throws {
        let frame = MapFrame(around: Self.deirEzZor.coordinate)
        let svg = PlaceMap(frame: frame, basemap: try basemap()).svg(here: Self.deirEzZor, others: [], label: "Karte")
        let map = try SVGElements(svg)
        let here = try #require(map.named("circle").first { $0.classes.contains("map-here") })
        let projected = frame.project(Self.deirEzZor.coordinate)
        #expect(try Self.position(of: here).isNear(projected))
        #expect(projected == MapPoint(x: MapFrame.width / 2, y: MapFrame.height / 2), "a place's own map is centred on it")
        #expect(map.texts(ofClass: "map-here") == ["Dêra Zor"])
        let countries = map.texts(inGroup: "map-countries")
        #expect(countries.contains("Syria") && countries.contains("Iraq"), "\(countries)")
        #expect(!countries.contains("Germany"))
        #expect(!map.named("path").filter { $0.classes.contains("map-river") }.isEmpty, "the detailed region data has the Euphrates")
        #expect(map.named("path").filter { $0.classes.contains("map-home") }.count == 1, "Syria, where it lies, stands out")
        #expect(map.named("svg").first?.attributes["role"] == "img" && map.named("svg").first?.attributes["aria-label"] == "Karte")
    }

    @Test func aPlaceMapStaysSmallAndItsNumbersHaveOneDecimal() throws {
        let svg = PlaceMap(frame: MapFrame(around: Self.deirEzZor.coordinate), basemap: try basemap())
            .svg(here: Self.deirEzZor, others: [], label: "Karte")
        #expect(svg.utf8.count < 40_000, "\(svg.utf8.count) bytes")
        let map = try SVGElements(svg)
        for path in map.named("path") {
            let numbers = try #require(path.attributes["d"]).matches(of: /-?[0-9.]+/).map { String($0.output) }
            #expect(numbers.allSatisfy { $0.wholeMatch(of: /-?[0-9]+\.[0-9]/) != nil })
        }
    }

    @Test func otherPlacesInTheFrameAreMarkedSmallerAndThoseOutsideLeftOut() throws {
        let frame = MapFrame(around: Self.deirEzZor.coordinate)
        let map = try SVGElements(PlaceMap(frame: frame, basemap: try basemap())
            .svg(here: Self.deirEzZor, others: [Self.efrin, Self.berlin], label: "Karte"))
        let efrin = try #require(map.circle(titled: "Efrîn"))
        let projected = frame.project(Self.efrin.coordinate)
        #expect(try Self.position(of: efrin).isNear(projected))
        let here = try Self.position(of: try #require(map.circle(titled: "Dêra Zor")))
        #expect(projected.x < here.x && projected.y < here.y, "Efrîn lies north-west of Dêra Zor")
        #expect(try #require(efrin.number("r")) < (try #require(map.circle(titled: "Dêra Zor")?.number("r"))))
        #expect(map.circle(titled: "Berlin") == nil)
        #expect(map.texts(inGroup: "map-places").contains("Efrîn"))
    }

    @Test func distancesOnTheMapAreTrueToScale() {
        let frame = MapFrame(around: Self.deirEzZor.coordinate)
        let (a, b) = (frame.project(Self.deirEzZor.coordinate), frame.project(Self.efrin.coordinate))
        let onMap = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() * frame.kmPerUnit
        // Great-circle distance (haversine) on a sphere of the mean Earth radius.
        func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
        let (from, to) = (Self.deirEzZor.coordinate, Self.efrin.coordinate)
        let h = pow(sin(radians(to.latitude - from.latitude) / 2), 2)
            + cos(radians(from.latitude)) * cos(radians(to.latitude)) * pow(sin(radians(to.longitude - from.longitude) / 2), 2)
        let onEarth = 2 * 6371.0 * asin(h.squareRoot())
        #expect(abs(onMap - onEarth) / onEarth < 0.03, "\(onMap) km on the map, \(onEarth) km on Earth")
    }

    @Test func aFrameAroundSeveralPlacesHoldsThemAll() throws {
        let places = [Self.deirEzZor, Self.efrin, Self.berlin]
        let frame = MapFrame(enclosing: try #require(GeoBox(around: places.map(\.coordinate))))
        let map = try SVGElements(PlaceMap(frame: frame, basemap: try basemap()).svg(here: nil, others: places, label: "Orte"))
        for place in places {
            let point = frame.project(place.coordinate)
            #expect(MapRect.canvas.insetBy(10).contains(point), "\(place.name) at \(point)")
            #expect(map.circle(titled: place.name) != nil)
        }
        #expect(map.named("circle").allSatisfy { !$0.classes.contains("map-here") })
    }

    @Test func namesAreEscaped() throws {
        let name = "<script>alert(\"x\")</script> & 'Co'"
        let place = PlaceMap.Mark(name: name, coordinate: Self.deirEzZor.coordinate, country: nil)
        let svg = PlaceMap(frame: MapFrame(around: place.coordinate), basemap: try basemap())
            .svg(here: place, others: [], label: "Karte: \(name)")
        #expect(!svg.contains("<script>"))
        let map = try SVGElements(svg)
        #expect(map.texts(ofClass: "map-here") == [name])
        #expect(map.named("svg").first?.attributes["aria-label"] == "Karte: \(name)")
    }

    @Test func aFrameOutsideTheRegionIsDrawnFromTheWorldData() throws {
        let basemap = try basemap()
        let buenosAires = PlaceMap.Mark(name: "Buenos Aires", coordinate: Coordinate(latitude: -34.6, longitude: -58.38), country: nil)
        let frame = MapFrame(around: buenosAires.coordinate)
        #expect(!Basemap.regionBox.contains(frame.bounds))
        let map = try SVGElements(PlaceMap(frame: frame, basemap: basemap).svg(here: buenosAires, others: [], label: "Karte"))
        // The region files have nothing of South America: any land here is from the world file.
        #expect(map.texts(inGroup: "map-countries").contains("Uruguay") || map.texts(inGroup: "map-countries").contains("Argentina"))
        #expect(map.named("path").contains { $0.classes.contains("map-land") && $0.attributes["d"]?.isEmpty == false })
        #expect(!map.named("path").contains { $0.classes.contains("map-river") }, "the world data has no rivers")
        // Reykjavík's frame reaches west of the region box: all of it from the world data too.
        let reykjavik = MapFrame(around: Coordinate(latitude: 64.15, longitude: -21.94))
        #expect(!Basemap.regionBox.contains(reykjavik.bounds))
        #expect(basemap.layer(for: reykjavik.bounds).countries.count == basemap.world.countries.count)
        #expect(basemap.layer(for: MapFrame(around: Self.deirEzZor.coordinate).bounds).countries.count == basemap.region.countries.count)
    }

    @Test func aPlaceThatIsACountryIsShownWholeAndNamedInsideIt() throws {
        let basemap = try basemap()
        let point = Coordinate(latitude: 35.0, longitude: 38.5)
        let syria = try #require(basemap.country(namedAnyOf: ["Syrien", "Syria"], around: point))
        #expect(basemap.country(namedAnyOf: ["Georgia"], around: Coordinate(latitude: 33.75, longitude: -84.39)) == nil,
                "the US state is not the country")
        let frame = MapFrame(enclosing: syria.mainBounds)
        #expect(frame.bounds.contains(syria.mainBounds))
        let here = PlaceMap.Mark(name: "Syrien", coordinate: point, country: syria.name)
        let map = try SVGElements(PlaceMap(frame: frame, basemap: basemap).svg(here: here, others: [Self.deirEzZor], label: "Karte"))
        #expect(map.texts(ofClass: "map-here") == ["Syrien"])
        #expect(!map.texts(inGroup: "map-countries").contains("Syria"), "the place's name stands for the country's")
        #expect(map.texts(inGroup: "map-countries").contains("Turkey"))
        #expect(map.named("circle").allSatisfy { !$0.classes.contains("map-here") }, "a country is not a dot")
        #expect(map.circle(titled: "Dêra Zor") != nil)
    }
}

extension MapPoint {
    /// Within the rounding of SVG coordinates to one decimal.
    func isNear(_ point: MapPoint) -> Bool {
        abs(x - point.x) <= 0.05 && abs(y - point.y) <= 0.05
    }
}

@Suite struct MapGeometryTests {
    let square = MapRect(minX: 0, minY: 0, maxX: 10, maxY: 10)

    @Test func aRingIsCutToTheRectangle() {
        let ring = [MapPoint(x: -2, y: 5), MapPoint(x: 5, y: -2), MapPoint(x: 12, y: 5), MapPoint(x: 5, y: 12)]
        let clipped = MapGeometry.clip(ring: ring, to: square)
        #expect(clipped.count == 8)
        #expect(clipped.allSatisfy { square.contains($0) })
        #expect(MapGeometry.contains([clipped], MapPoint(x: 5, y: 5)) && !MapGeometry.contains([clipped], MapPoint(x: 0.5, y: 0.5)))
    }

    @Test func aLineIsCutIntoThePiecesInsideTheRectangle() {
        let line = [MapPoint(x: -5, y: 5), MapPoint(x: 5, y: 5), MapPoint(x: 5, y: 15), MapPoint(x: 8, y: 15), MapPoint(x: 8, y: 5)]
        let pieces = MapGeometry.clip(line: line, to: square)
        #expect(pieces == [[MapPoint(x: 0, y: 5), MapPoint(x: 5, y: 5), MapPoint(x: 5, y: 10)],
                           [MapPoint(x: 8, y: 10), MapPoint(x: 8, y: 5)]])
    }

    @Test func thinningKeepsTheShapeWithinTheToleranceAndRoundsToTenths() {
        let line = [MapPoint(x: 0, y: 0), MapPoint(x: 1, y: 0.2), MapPoint(x: 2, y: -0.1), MapPoint(x: 3, y: 0.02),
                    MapPoint(x: 4, y: 3), MapPoint(x: 5.04, y: 6)]
        #expect(MapGeometry.thinned(line) == [MapPoint(x: 0, y: 0), MapPoint(x: 3, y: 0), MapPoint(x: 5, y: 6)],
                "wiggles under \(MapGeometry.tolerance) go, the corner stays")
        #expect(MapGeometry.thinned([MapPoint(x: 1.04, y: 2), MapPoint(x: 1.01, y: 2)]) == [MapPoint(x: 1, y: 2)])
    }

    @Test func pathDataIsRelativeWithOneDecimal() {
        let data = MapGeometry.pathData([[MapPoint(x: 1, y: 2), MapPoint(x: 3.25, y: 1), MapPoint(x: 2, y: 1.5)]], closed: true)
        #expect(data == "M1.0 2.0l2.3-1.0-1.3 0.5z")
    }

    @Test func gridPointsAreThoseInsideTheRings() {
        let outer = [MapPoint(x: 0, y: 0), MapPoint(x: 40, y: 0), MapPoint(x: 40, y: 40), MapPoint(x: 0, y: 40)]
        let hole = [MapPoint(x: 10, y: 10), MapPoint(x: 30, y: 10), MapPoint(x: 30, y: 30), MapPoint(x: 10, y: 30)]
        let points = MapGeometry.gridPoints(inside: [outer, hole], step: 10)
        let expected = stride(from: 5.0, to: 40, by: 10).flatMap { y in stride(from: 5.0, to: 40, by: 10).map { MapPoint(x: $0, y: y) } }
            .filter { !(10...30).contains($0.x) || !(10...30).contains($0.y) }
        #expect(points == expected)
    }
}
