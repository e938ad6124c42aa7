import Foundation

/// The part of the earth a map shows and where it lies on the map's canvas: an equirectangular
/// projection with longitudes shortened by the cosine of the middle latitude, so that shapes
/// near the middle keep their proportions.
struct MapFrame: Sendable {
    /// The canvas, in SVG user units.
    static let width = 420.0
    static let height = 280.0
    /// Half the height of a map around one place, in km: enough to show its neighbours.
    static let placeRadius = 300.0
    static let kmPerDegree = 111.32

    let center: Coordinate
    /// Canvas units per degree of latitude.
    let scale: Double
    /// Canvas units per degree of longitude, over `scale`.
    private let shrink: Double

    init(center: Coordinate, halfHeight: Double) {
        let latitude = min(max(center.latitude, -80), 80)
        self.center = Coordinate(latitude: latitude, longitude: center.longitude)
        scale = Self.height / 2 / halfHeight
        shrink = max(cos(latitude * .pi / 180), 0.2)
    }

    /// A place among its neighbours.
    init(around place: Coordinate) {
        self.init(center: place, halfHeight: Self.placeRadius / Self.kmPerDegree)
    }

    /// `box` with a margin, and no smaller than a map around one place.
    init(enclosing box: GeoBox) {
        let center = Coordinate(latitude: (box.south + box.north) / 2, longitude: (box.west + box.east) / 2)
        let shrink = max(cos(min(abs(center.latitude), 80) * .pi / 180), 0.2)
        let needed = max(box.north - box.south, (box.east - box.west) * shrink * Self.height / Self.width) / 2
        self.init(center: center, halfHeight: max(needed * 1.25, Self.placeRadius / Self.kmPerDegree))
    }

    /// What the canvas shows.
    var bounds: GeoBox {
        let halfWidth = Self.width / 2 / (scale * shrink)
        let halfHeight = Self.height / 2 / scale
        return GeoBox(west: center.longitude - halfWidth, south: center.latitude - halfHeight,
                      east: center.longitude + halfWidth, north: center.latitude + halfHeight)
    }

    var kmPerUnit: Double {
        Self.kmPerDegree / scale
    }

    func project(_ point: Coordinate) -> MapPoint {
        MapPoint(x: Self.width / 2 + (point.longitude - center.longitude) * scale * shrink,
                 y: Self.height / 2 - (point.latitude - center.latitude) * scale)
    }
}

/// A point on a map's canvas.
struct MapPoint: Sendable, Equatable {
    var x: Double
    var y: Double
}

/// A rectangle on a map's canvas.
struct MapRect: Sendable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    static let canvas = MapRect(minX: 0, minY: 0, maxX: MapFrame.width, maxY: MapFrame.height)

    func insetBy(_ distance: Double) -> MapRect {
        MapRect(minX: minX + distance, minY: minY + distance, maxX: maxX - distance, maxY: maxY - distance)
    }

    func contains(_ point: MapPoint) -> Bool {
        (minX...maxX).contains(point.x) && (minY...maxY).contains(point.y)
    }

    func contains(_ rect: MapRect) -> Bool {
        rect.minX >= minX && rect.maxX <= maxX && rect.minY >= minY && rect.maxY <= maxY
    }

    func intersects(_ rect: MapRect) -> Bool {
        rect.minX < maxX && rect.maxX > minX && rect.minY < maxY && rect.maxY > minY
    }
}

/// Cutting shapes to the canvas, thinning them, and writing them as SVG path data.
enum MapGeometry {
    /// The part of a closed ring inside `rect` (Sutherland–Hodgman). Where the ring leaves the
    /// rectangle the result runs along its edge, so `rect` should lie just outside the canvas.
    static func clip(ring: [MapPoint], to rect: MapRect) -> [MapPoint] {
        typealias Edge = (inside: (MapPoint) -> Bool, cut: (MapPoint, MapPoint) -> MapPoint)
        func atX(_ x: Double) -> (MapPoint, MapPoint) -> MapPoint {
            { a, b in MapPoint(x: x, y: a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)) }
        }
        func atY(_ y: Double) -> (MapPoint, MapPoint) -> MapPoint {
            { a, b in MapPoint(x: a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y: y) }
        }
        let edges: [Edge] = [({ $0.x >= rect.minX }, atX(rect.minX)), ({ $0.x <= rect.maxX }, atX(rect.maxX)),
                             ({ $0.y >= rect.minY }, atY(rect.minY)), ({ $0.y <= rect.maxY }, atY(rect.maxY))]
        var points = ring
        for edge in edges {
            guard let last = points.last else { break }
            var kept: [MapPoint] = []
            kept.reserveCapacity(points.count)
            var previous = last
            for point in points {
                switch (edge.inside(previous), edge.inside(point)) {
                case (true, true): kept.append(point)
                case (true, false): kept.append(edge.cut(previous, point))
                case (false, true): kept += [edge.cut(previous, point), point]
                case (false, false): break
                }
                previous = point
            }
            points = kept
        }
        return points
    }

    /// The pieces of a line inside `rect` (Liang–Barsky on each segment).
    static func clip(line: [MapPoint], to rect: MapRect) -> [[MapPoint]] {
        var pieces: [[MapPoint]] = []
        var current: [MapPoint] = []
        for (a, b) in zip(line, line.dropFirst()) {
            guard let (start, end) = clip(segmentFrom: a, to: b, in: rect) else {
                if current.count > 1 { pieces.append(current) }
                current = []
                continue
            }
            if current.last != start {
                if current.count > 1 { pieces.append(current) }
                current = [start]
            }
            current.append(end)
            if end != b {
                pieces.append(current)
                current = []
            }
        }
        if current.count > 1 { pieces.append(current) }
        return pieces
    }

    private static func clip(segmentFrom a: MapPoint, to b: MapPoint, in rect: MapRect) -> (MapPoint, MapPoint)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var enter = 0.0, leave = 1.0
        for (p, q) in [(-dx, a.x - rect.minX), (dx, rect.maxX - a.x), (-dy, a.y - rect.minY), (dy, rect.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else if p < 0 {
                enter = max(enter, q / p)
            } else {
                leave = min(leave, q / p)
            }
        }
        guard enter <= leave else { return nil }
        func at(_ t: Double) -> MapPoint { MapPoint(x: a.x + t * dx, y: a.y + t * dy) }
        return (enter == 0 ? a : at(enter), leave == 1 ? b : at(leave))
    }

    /// How far, in canvas units, thinning may move a line.
    static let tolerance = 0.4

    /// The fewest points that keep the shape within `tolerance` of where it was
    /// (Douglas–Peucker), rounded to tenths of a unit: finer detail does not show and would
    /// only make the page larger.
    static func thinned(_ points: [MapPoint]) -> [MapPoint] {
        var keep = [Bool](repeating: false, count: points.count)
        var spans: [(first: Int, last: Int)] = []
        if let last = points.indices.last {
            (keep[0], keep[last]) = (true, true)
            if last > 1 { spans.append((0, last)) }
        }
        while let (first, last) = spans.popLast() {
            var farthest = first, greatest = tolerance * tolerance
            for index in first + 1 ..< last {
                let distance = squaredDistance(from: points[index], toSegmentFrom: points[first], to: points[last])
                if distance > greatest { (farthest, greatest) = (index, distance) }
            }
            if farthest != first {
                keep[farthest] = true
                spans += [(first, farthest), (farthest, last)]
            }
        }
        var kept: [MapPoint] = []
        for index in points.indices where keep[index] {
            let point = rounded(points[index])
            if kept.last != point { kept.append(point) }
        }
        return kept
    }

    private static func rounded(_ point: MapPoint) -> MapPoint {
        MapPoint(x: (point.x * 10).rounded() / 10, y: (point.y * 10).rounded() / 10)
    }

    private static func squaredDistance(from point: MapPoint, toSegmentFrom a: MapPoint, to b: MapPoint) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = dx * dx + dy * dy
        let t = length == 0 ? 0 : min(max(((point.x - a.x) * dx + (point.y - a.y) * dy) / length, 0), 1)
        let x = a.x + t * dx - point.x, y = a.y + t * dy - point.y
        return x * x + y * y
    }

    /// Whether `point` is inside the shape the rings make, by the even-odd rule (so holes are
    /// outside, whichever way the rings run).
    static func contains(_ rings: [[MapPoint]], _ point: MapPoint) -> Bool {
        var inside = false
        for ring in rings {
            guard var previous = ring.last else { continue }
            for current in ring {
                if (current.y > point.y) != (previous.y > point.y),
                   point.x < (previous.x - current.x) * (point.y - current.y) / (previous.y - current.y) + current.x {
                    inside.toggle()
                }
                previous = current
            }
        }
        return inside
    }

    /// The points of a grid over the canvas (`step` apart, from half a step in) inside the
    /// shape the rings make, by the even-odd rule: row by row, between pairs of crossings.
    static func gridPoints(inside rings: [[MapPoint]], step: Double) -> [MapPoint] {
        var points: [MapPoint] = []
        for y in stride(from: step / 2, to: MapFrame.height, by: step) {
            var crossings: [Double] = []
            for ring in rings {
                guard var previous = ring.last else { continue }
                for current in ring {
                    if (current.y > y) != (previous.y > y) {
                        crossings.append((previous.x - current.x) * (y - current.y) / (previous.y - current.y) + current.x)
                    }
                    previous = current
                }
            }
            crossings.sort()
            for pair in stride(from: 0, to: crossings.count - 1, by: 2) {
                let first = ((crossings[pair] - step / 2) / step).rounded(.up) * step + step / 2
                for x in stride(from: max(first, step / 2), through: min(crossings[pair + 1], MapFrame.width), by: step) {
                    points.append(MapPoint(x: x, y: y))
                }
            }
        }
        return points
    }

    /// SVG path data for thinned shapes: an absolute move to each, then relative lines.
    static func pathData(_ shapes: [[MapPoint]], closed: Bool) -> String {
        var data = ""
        for shape in shapes {
            guard let first = shape.first else { continue }
            data += "M" + number(first.x) + " " + number(first.y) + "l"
            var previous = tenths(first)
            for (index, point) in shape.dropFirst().enumerated() {
                let current = tenths(point)
                let dx = current.x - previous.x, dy = current.y - previous.y
                data += (index == 0 || dx < 0 ? "" : " ") + number(tenths: dx) + (dy < 0 ? "" : " ") + number(tenths: dy)
                previous = current
            }
            if closed { data += "z" }
        }
        return data
    }

    /// A coordinate with one decimal, whatever the locale: `12.5`, `-0.3`.
    static func number(_ value: Double) -> String {
        number(tenths: Int((value * 10).rounded()))
    }

    private static func number(tenths: Int) -> String {
        (tenths < 0 ? "-" : "") + String(abs(tenths) / 10) + "." + String(abs(tenths) % 10)
    }

    private static func tenths(_ point: MapPoint) -> (x: Int, y: Int) {
        (Int((point.x * 10).rounded()), Int((point.y * 10).rounded()))
    }
}
