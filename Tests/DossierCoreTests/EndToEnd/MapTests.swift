import Foundation
import Testing
@testable import DossierCore

/// Maps of the places with coordinates, on their pages and on the places index.
@Suite struct MapTests {
    @Test func aPlacePageShowsThePlaceAmongItsNeighbours() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        #expect(site.build().errors == 0)
        let page = try site.read("public/places/dera-zor/index.html")
        let map = try #require(try SVGElements(mapIn: page))
        let here = try #require(map.named("circle").first { $0.classes.contains("map-here") })
        #expect(try PlaceMapTests.position(of: here).isNear(MapFrame(around: Coordinate(latitude: 35.33, longitude: 40.14))
            .project(Coordinate(latitude: 35.33, longitude: 40.14))))
        #expect(map.texts(ofClass: "map-here") == ["Dêra Zor"])
        let countries = map.texts(inGroup: "map-countries")
        #expect(countries.contains("Syria") && countries.contains("Iraq"), "\(countries)")
        #expect(map.circle(titled: "Efrîn") != nil, "Efrîn lies in the frame")
        #expect(map.named("svg").first?.attributes["aria-label"] == "Karte: Lage von Dêra Zor")
        #expect(page.contains("<figcaption>Kartendaten: Natural Earth</figcaption>"))
        #expect(page.contains("35.33° N, 40.14° E"), "the coordinates are still given")
    }

    @Test func aPlaceThatIsACountryIsNamedInsideItOnEveryMap() throws {
        let site = try TestSite(fixtureWith: ["content/places/syrien.md": "---\nname: Syrien\naliases: [Syria]\nlat: 35.0\nlon: 38.5\n---\n"])
        defer { site.delete() }
        _ = site.build()
        let own = try #require(try SVGElements(mapIn: try site.read("public/places/syrien/index.html")))
        #expect(own.texts(ofClass: "map-here") == ["Syrien"])
        #expect(own.named("circle").allSatisfy { !$0.classes.contains("map-here") })
        #expect(own.circle(titled: "Dêra Zor") != nil && own.circle(titled: "Efrîn") != nil, "the whole country is in its frame")
        let city = try #require(try SVGElements(mapIn: try site.read("public/places/dera-zor/index.html")))
        #expect(city.texts(ofClass: "map-country-place") == ["Syrien"])
        #expect(!city.texts(inGroup: "map-countries").contains("Syria") && city.texts(inGroup: "map-countries").contains("Iraq"))
    }

    @Test func aPlaceWithoutCoordinatesHasNoMap() throws {
        let site = try TestSite(Fixture.files)
        defer { site.delete() }
        _ = site.build()
        #expect(try SVGElements(mapIn: try site.read("public/places/damaskus/index.html")) == nil)
        #expect(try SVGElements(mapIn: try site.read("public/actors/qsd/index.html")) == nil)
    }

    @Test func thePlacesIndexMapMarksEveryPlaceWithCoordinates() throws {
        let site = try TestSite(fixtureWith: ["content/places/berlin.md": "---\nname: Berlin\nlat: 52.52\nlon: 13.40\n---\n"])
        defer { site.delete() }
        _ = site.build()
        let map = try #require(try SVGElements(mapIn: try site.read("public/places/index.html")))
        let marked = Set(map.named("title").map(\.text))
        #expect(marked == ["Dêra Zor", "Efrîn", "Berlin"], "Damaskus has no coordinates")
        for circle in map.named("circle") {
            #expect(MapRect.canvas.contains(try PlaceMapTests.position(of: circle)))
        }
        #expect(try SVGElements(mapIn: try site.read("public/actors/index.html")) == nil)
    }

    @Test func withoutCoordinatesThereAreNoMaps() throws {
        var files = Fixture.files
        files["content/places/dera-zor.md"] = "---\nname: Dêra Zor\naliases: [Deir ez-Zor]\n---\n"
        files["content/places/efrin.md"] = "---\nname: Efrîn\n---\n"
        let site = try TestSite(files)
        defer { site.delete() }
        _ = site.build()
        #expect(try SVGElements(mapIn: try site.read("public/places/index.html")) == nil)
        #expect(!(try site.read("public/places/index.html")).contains("map-figure"))
    }

    @Test func aPlaceNameWithMarkupIsEscaped() throws {
        let site = try TestSite(fixtureWith: [
            "content/places/boese.md": "---\nname: \"<script>alert(1)</script>\"\nlat: 35.5\nlon: 40.5\n---\n",
        ])
        defer { site.delete() }
        _ = site.build()
        for path in ["public/places/boese/index.html", "public/places/dera-zor/index.html", "public/places/index.html"] {
            let page = try site.read(path)
            #expect(!page.contains("<script>alert"), "\(path)")
            let map = try #require(try SVGElements(mapIn: page))
            #expect(map.circle(titled: "<script>alert(1)</script>") != nil, "\(path)")
        }
    }

    @Test func anEnglishSiteLabelsItsMapsInEnglish() throws {
        let site = try TestSite(fixtureWith: ["content/site.yml": "title: Archive\nlanguage: en\n"])
        defer { site.delete() }
        _ = site.build()
        let map = try #require(try SVGElements(mapIn: try site.read("public/places/efrin/index.html")))
        #expect(map.named("svg").first?.attributes["aria-label"] == "Map: where Efrîn lies")
        #expect(try site.read("public/places/index.html").contains("<figcaption>Map data: Natural Earth</figcaption>"))
    }
}
