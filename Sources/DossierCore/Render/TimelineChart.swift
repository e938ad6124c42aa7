/// A bar chart of mentions per month as inline SVG, drawn at build time (no script, nothing
/// fetched): one bar a month from the first mention to the last, a label at each January.
enum TimelineChart {
    static let height = 120.0
    static let barWidth = 8.0
    static let gap = 2.0

    /// `months` maps `YYYY-MM` to the mentions in that month; nil when there is nothing dated.
    static func svg(_ months: [String: Int], language: String, label: String) -> String? {
        guard let first = months.keys.min(), let last = months.keys.max(),
              let start = monthNumber(first), let end = monthNumber(last) else { return nil }
        let peak = Double(months.values.max() ?? 1)
        let plot = height - 22
        let width = Double(end - start + 1) * (barWidth + gap) + gap
        var svg = """
            <svg class="timeline" viewBox="0 0 \(Int(width.rounded(.up))) \(Int(height))" width="\(Int(width.rounded(.up)))" \
            height="\(Int(height))" role="img" aria-label="\(HTML.escape(label))" preserveAspectRatio="xMinYMax meet">
            <line x1="0" y1="\(plot)" x2="\(width)" y2="\(plot)" class="axis"/>

            """
        for number in start...end {
            let month = monthKey(number)
            let x = gap + Double(number - start) * (barWidth + gap)
            let count = months[month] ?? 0
            if count > 0 {
                let barHeight = max(2, Double(count) / peak * (plot - 6))
                let name = ArticleDate(month + "-01").map { DateDisplay.month($0, language: language) } ?? month
                svg += "<rect x=\"\(x)\" y=\(quoted(plot - barHeight)) width=\"\(barWidth)\" height=\(quoted(barHeight))>"
                    + "<title>\(HTML.escape(name)): \(count)</title></rect>\n"
            }
            if number % 12 == 0 || number == start {
                svg += "<text x=\"\(x)\" y=\"\(height - 6)\">\(number / 12)</text>\n"
            }
        }
        return svg + "</svg>"
    }

    private static func quoted(_ value: Double) -> String {
        "\"" + String((value * 10).rounded() / 10) + "\""
    }

    /// Months since year 0: `2018-03` -> 2018 * 12 + 2.
    private static func monthNumber(_ key: String) -> Int? {
        let parts = key.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (1...12).contains(parts[1]) else { return nil }
        return parts[0] * 12 + parts[1] - 1
    }

    private static func monthKey(_ number: Int) -> String {
        let month = number % 12 + 1
        return "\(number / 12)-" + (month < 10 ? "0\(month)" : "\(month)")
    }
}
