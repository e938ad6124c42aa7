/// A map of places among their neighbours as inline SVG, drawn at build time from the basemap
/// (nothing fetched, no script): sea, countries and their borders, rivers, country names where
/// there is room for them, a scale bar, and the places, each a dot with its name, or, for a
/// place that is a country, its name inside the country.
struct PlaceMap {
    /// A place to mark.
    struct Mark: Sendable {
        let name: String
        let coordinate: Coordinate
        /// The basemap country the place is, if it is one.
        let country: String?
    }

    let frame: MapFrame
    let basemap: Basemap

    static let countryTextSize = 12.0
    static let placeTextSize = 12.0
    static let hereTextSize = 14.0
    static let scaleTextSize = 10.5
    static let placeRadius = 3.5
    static let hereRadius = 5.0
    /// The spacing of the points tried for a name inside a country.
    private static let gridStep = 10.0

    /// A country as it shows on the canvas.
    private struct VisibleCountry {
        let name: String
        /// Thinned rings, cut just outside the canvas so that no cut edge shows.
        let rings: [[MapPoint]]
        /// The points of a grid over the canvas that lie inside the country.
        let inside: [MapPoint]
    }

    /// The map with `here` (if any) standing out and those of `others` that lie in the frame
    /// drawn smaller. Names are placed in that order, each where it overlaps nothing placed
    /// before it (the name of `here` always), then the names of the other countries where
    /// there is room. `label` says what the map shows, for screen readers.
    func svg(here: Mark?, others: [Mark], label: String) -> String {
        let layer = basemap.layer(for: frame.bounds)
        let countries = visibleCountries(layer)
        let indexByName = Dictionary(countries.indices.map { (countries[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        // A place that is a country on this map is named inside it; any other is a dot.
        func country(of mark: Mark) -> Int? { mark.country.flatMap { indexByName[$0] } }
        let hereDot = here.flatMap { country(of: $0) == nil ? frame.project($0.coordinate) : nil }
        let dots = others.filter { country(of: $0) == nil }.map { ($0, frame.project($0.coordinate)) }
            .filter { MapRect.canvas.contains($0.1) }
        let namedCountries = others.compactMap { mark in country(of: mark).map { (mark, $0) } }
        let home = here.flatMap(country(of:)) ?? hereDot.flatMap { point in countries.firstIndex { MapGeometry.contains($0.rings, point) } }

        var layout = LabelLayout()
        for (_, point) in dots {
            layout.reserve(Self.dot(point, radius: Self.placeRadius))
        }
        if let hereDot {
            layout.reserve(Self.dot(hereDot, radius: Self.hereRadius))
        }
        let scale = scaleBar(&layout)
        var placeNames = ""
        if let here {
            let attributes = " class=\"\(hereDot == nil ? "map-country-place " : "")map-here\" font-size=\"\(MapGeometry.number(Self.hereTextSize))\""
            if let hereDot {
                placeNames += layout.placeName(here.name, at: hereDot, radius: Self.hereRadius, size: Self.hereTextSize,
                                               required: true, attributes: attributes) ?? ""
            } else if let home {
                let spot = name(here.name, inside: countries[home], size: Self.hereTextSize, &layout) ?? frame.project(here.coordinate)
                placeNames += Self.text(here.name, at: spot, size: Self.hereTextSize, attributes: attributes)
            }
        }
        for (mark, point) in dots {
            placeNames += layout.placeName(mark.name, at: point, radius: Self.placeRadius, size: Self.placeTextSize,
                                           required: false, attributes: "") ?? ""
        }
        for (mark, index) in namedCountries {
            guard let spot = name(mark.name, inside: countries[index], size: Self.placeTextSize, &layout) else { continue }
            placeNames += Self.text(mark.name, at: spot, size: Self.placeTextSize, attributes: " class=\"map-country-place\"")
        }
        let named = Set(namedCountries.map(\.1) + (hereDot == nil ? [home] : []).compactMap { $0 })
        let countryNames = self.countryNames(countries, except: named, first: home, &layout)

        let width = Int(MapFrame.width), height = Int(MapFrame.height)
        var svg = """
            <svg class="map" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            role="img" aria-label="\(HTML.escape(label))">
            <rect class="map-sea" width="\(width)" height="\(height)"/>

            """
        let land = countries.indices.filter { $0 != home }.flatMap { countries[$0].rings }
        svg += "<path class=\"map-land\" d=\"\(MapGeometry.pathData(land, closed: true))\"/>\n"
        if let home {
            svg += "<path class=\"map-land map-home\" d=\"\(MapGeometry.pathData(countries[home].rings, closed: true))\"/>\n"
        }
        let rivers = visibleRivers(layer)
        if !rivers.isEmpty {
            svg += "<path class=\"map-river\" d=\"\(MapGeometry.pathData(rivers, closed: false))\"/>\n"
        }
        svg += "<g class=\"map-countries\" font-size=\"\(MapGeometry.number(Self.countryTextSize))\">\n\(countryNames)</g>\n" + scale
            + "<g class=\"map-places\" font-size=\"\(MapGeometry.number(Self.placeTextSize))\">\n"
        for (mark, point) in dots {
            svg += Self.circle(mark, at: point, radius: Self.placeRadius, className: "map-place")
        }
        if let here, let hereDot {
            svg += Self.circle(here, at: hereDot, radius: Self.hereRadius, className: "map-place map-here")
        }
        return svg + placeNames + "</g>\n</svg>"
    }

    // MARK: - Shapes

    private func visibleCountries(_ layer: Basemap.Layer) -> [VisibleCountry] {
        let view = frame.bounds
        let clip = MapRect.canvas.insetBy(-2)
        return layer.countries.filter { $0.bounds.intersects(view) }.compactMap { country in
            let rings = country.outlines.filter { $0.bounds.intersects(view) }.flatMap(\.rings).map { ring in
                var points = MapGeometry.thinned(MapGeometry.clip(ring: ring.map(frame.project), to: clip))
                if points.count > 1, points.first == points.last { points.removeLast() }
                return points
            }.filter { $0.count >= 3 }
            guard !rings.isEmpty else { return nil }
            return VisibleCountry(name: country.name, rings: rings,
                                  inside: MapGeometry.gridPoints(inside: rings, step: Self.gridStep))
        }
    }

    private func visibleRivers(_ layer: Basemap.Layer) -> [[MapPoint]] {
        let view = frame.bounds
        let clip = MapRect.canvas.insetBy(-2)
        return layer.rivers.filter { $0.bounds.intersects(view) }
            .flatMap { MapGeometry.clip(line: $0.points.map(frame.project), to: clip) }
            .map(MapGeometry.thinned).filter { $0.count >= 2 }
    }

    // MARK: - Labels

    /// Where `name` fits inside the visible part of `country` and overlaps nothing placed
    /// before: the free spot nearest the middle of that part, claimed; nil when there is none.
    private func name(_ name: String, inside country: VisibleCountry, size: Double, _ layout: inout LabelLayout) -> MapPoint? {
        let width = LabelLayout.textWidth(name, size: size)
        let inside = country.inside
        guard Double(inside.count) * Self.gridStep * Self.gridStep >= width * size * 2 else { return nil }
        let middle = MapPoint(x: inside.map(\.x).reduce(0, +) / Double(inside.count),
                              y: inside.map(\.y).reduce(0, +) / Double(inside.count))
        for point in inside.sorted(by: { distance($0, middle) < distance($1, middle) }) {
            let box = MapRect(minX: point.x - width / 2, minY: point.y - size * 0.6, maxX: point.x + width / 2, maxY: point.y + size * 0.6)
            let samples = [box.minX, point.x, box.maxX].flatMap { x in [box.minY, point.y, box.maxY].map { MapPoint(x: x, y: $0) } }
            if samples.allSatisfy({ MapGeometry.contains(country.rings, $0) }), layout.claim(box) { return point }
        }
        return nil
    }

    private static func text(_ name: String, at point: MapPoint, size: Double, attributes: String) -> String {
        "<text\(attributes) x=\"\(MapGeometry.number(point.x))\" y=\"\(MapGeometry.number(point.y + size * 0.35))\" "
            + "text-anchor=\"middle\">\(HTML.escape(name))</text>\n"
    }

    /// The names of the countries, but for those places stand for: the country `first`, then
    /// the larger ones, each where there is room.
    private func countryNames(_ countries: [VisibleCountry], except named: Set<Int>, first: Int?, _ layout: inout LabelLayout) -> String {
        countries.indices.filter { !named.contains($0) }
            .sorted { ($0 == first ? 1 : 0, countries[$0].inside.count) > ($1 == first ? 1 : 0, countries[$1].inside.count) }
            .compactMap { index in
                name(countries[index].name, inside: countries[index], size: Self.countryTextSize, &layout)
                    .map { Self.text(countries[index].name, at: $0, size: Self.countryTextSize, attributes: "") }
            }.joined()
    }

    private func distance(_ a: MapPoint, _ b: MapPoint) -> Double {
        (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)
    }

    /// A bar of a round length in the lower left corner.
    private func scaleBar(_ layout: inout LabelLayout) -> String {
        let lengths: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
        let kilometres = lengths.last { $0 / frame.kmPerUnit <= 90 } ?? lengths[0]
        let length = kilometres / frame.kmPerUnit
        let left = 12.0, bottom = MapFrame.height - 10
        let text = "\(Int(kilometres)) km"
        layout.reserve(MapRect(minX: left - 2, minY: bottom - 18, maxX: left + max(length, LabelLayout.textWidth(text, size: Self.scaleTextSize)) + 2,
                               maxY: bottom + 2))
        return """
            <g class="map-scale" font-size="\(MapGeometry.number(Self.scaleTextSize))"><path d="M\(MapGeometry.number(left)) \(MapGeometry.number(bottom - 5))v5.0h\(MapGeometry.number(length))v-5.0"/>\
            <text x="\(MapGeometry.number(left))" y="\(MapGeometry.number(bottom - 8))">\(text)</text></g>

            """
    }

    private static func dot(_ point: MapPoint, radius: Double) -> MapRect {
        MapRect(minX: point.x - radius - 1, minY: point.y - radius - 1, maxX: point.x + radius + 1, maxY: point.y + radius + 1)
    }

    private static func circle(_ mark: Mark, at point: MapPoint, radius: Double, className: String) -> String {
        "<circle class=\"\(className)\" cx=\"\(MapGeometry.number(point.x))\" cy=\"\(MapGeometry.number(point.y))\" "
            + "r=\"\(MapGeometry.number(radius))\"><title>\(HTML.escape(mark.name))</title></circle>\n"
    }
}

/// The boxes that the names on a map take, so that no name covers another or a dot.
struct LabelLayout {
    private var taken: [MapRect] = []

    /// A name's width, estimated from its length: wide enough for common sans-serif fonts.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.6
    }

    /// Takes `box`, wherever it lies.
    mutating func reserve(_ box: MapRect) {
        taken.append(box)
    }

    /// Takes `box` if it lies on the canvas and overlaps nothing taken (or, `evenIfTaken`,
    /// only if it lies on the canvas).
    mutating func claim(_ box: MapRect, evenIfTaken: Bool = false) -> Bool {
        guard MapRect.canvas.insetBy(2).contains(box), evenIfTaken || !taken.contains(where: { $0.intersects(box) }) else { return false }
        taken.append(box)
        return true
    }

    /// A place's name beside its dot, on whichever side is free first;
    /// when none is and the name is `required`, the first that lies on the canvas.
    mutating func placeName(_ name: String, at point: MapPoint, radius: Double, size: Double, required: Bool,
                            attributes: String) -> String? {
        let width = Self.textWidth(name, size: size)
        let gap = radius + 3
        let half = size * 0.6
        // Right, left, above, below, then the four corners.
        let directions: [(x: Double, y: Double)] = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1)]
        let options = directions.map { direction -> (anchor: String?, x: Double, baseline: Double, box: MapRect) in
            let offset = direction.x != 0 && direction.y != 0 ? gap * 0.75 : gap
            let x = point.x + direction.x * offset
            let middle = point.y + direction.y * (offset + half)
            let left = direction.x > 0 ? x : direction.x < 0 ? x - width : x - width / 2
            return (direction.x > 0 ? nil : direction.x < 0 ? "end" : "middle", x, middle + size * 0.35,
                    MapRect(minX: left, minY: middle - half, maxX: left + width, maxY: middle + half))
        }
        guard let chosen = options.first(where: { claim($0.box) })
            ?? (required ? options.first(where: { claim($0.box, evenIfTaken: true) }) : nil) else { return nil }
        let anchor = chosen.anchor.map { " text-anchor=\"\($0)\"" } ?? ""
        return "<text\(attributes) x=\"\(MapGeometry.number(chosen.x))\" y=\"\(MapGeometry.number(chosen.baseline))\"\(anchor)>"
            + HTML.escape(name) + "</text>\n"
    }
}
