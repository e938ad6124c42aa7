import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The elements of an SVG image, read with Foundation's XML parser: reading it at all proves
/// the markup well-formed.
struct SVGElements {
    struct Element {
        let name: String
        let attributes: [String: String]
        /// The index of the enclosing element in `all`.
        let parent: Int?
        var text = ""

        func number(_ attribute: String) -> Double? {
            attributes[attribute].flatMap(Double.init)
        }

        var classes: Set<String> {
            Set((attributes["class"] ?? "").split(separator: " ").map(String.init))
        }
    }

    struct Malformed: Error {
        let description: String
    }

    let all: [Element]

    init(_ svg: String) throws {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { throw Malformed(description: "\(parser.parserError.map { "\($0)" } ?? "not well-formed")") }
        all = collector.elements
    }

    /// The map in a page of the site, if it has one.
    init?(mapIn page: String) throws {
        guard let match = page.firstMatch(of: /<svg class="map".*?<\/svg>/.dotMatchesNewlines()) else { return nil }
        try self.init(String(match.output))
    }

    func named(_ name: String) -> [Element] {
        all.filter { $0.name == name }
    }

    /// The circle with a `title` of `name`.
    func circle(titled name: String) -> Element? {
        named("title").first { $0.text == name }.flatMap { $0.parent.map { all[$0] } }.flatMap { $0.name == "circle" ? $0 : nil }
    }

    /// The texts of the `text` elements of a class.
    func texts(ofClass className: String) -> [String] {
        named("text").filter { $0.classes.contains(className) }.map(\.text)
    }

    /// The texts of the `text` elements in the group of a class.
    func texts(inGroup className: String) -> [String] {
        named("text").filter { $0.parent.map { all[$0].classes.contains(className) } ?? false }.map(\.text)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        private var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(Element(name: name, attributes: attributes, parent: open.last))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = open.last { elements[index].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
    }
}
