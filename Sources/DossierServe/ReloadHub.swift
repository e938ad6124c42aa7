import Foundation

/// What the open pages hear: a new build to reload, or the problems of a failed build to show
/// over the last good page. Each page listens with server-sent events (`EventSource`).
actor ReloadHub {
    enum Event: Sendable, Equatable {
        /// The pages (by path below the output folder) to reload.
        case reload(version: Int, scope: Scope)
        case problems([String])
    }

    enum Scope: Sendable, Equatable {
        case only([String])
        case allBut([String])
    }

    private var listeners: [UUID: AsyncStream<[UInt8]>.Continuation] = [:]
    /// The problems of the last build, sent to every page that connects while they stand.
    private var problems: [String] = []

    /// A new listener's stream of events, in the `text/event-stream` format.
    func listen() -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let id = UUID()
        listeners[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        continuation.yield(Array(": connected\n\n".utf8))
        if !problems.isEmpty { continuation.yield(Self.encode(.problems(problems))) }
        return stream
    }

    private func remove(_ id: UUID) {
        listeners[id] = nil
    }

    func send(_ event: Event) {
        if case .problems(let lines) = event { problems = lines } else { problems = [] }
        let bytes = Self.encode(event)
        for listener in listeners.values { listener.yield(bytes) }
    }

    static func encode(_ event: Event) -> [UInt8] {
        switch event {
        case .reload(let version, let scope):
            let message = switch scope {
            case .only(let pages): ReloadMessage(version: version, only: pages, except: nil)
            case .allBut(let pages): ReloadMessage(version: version, only: nil, except: pages)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let json = (try? encoder.encode(message)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return Array("event: reload\ndata: \(json)\n\n".utf8)
        case .problems(let lines):
            return Array(("event: problems\n" + lines.map { "data: \($0)\n" }.joined() + "\n").utf8)
        }
    }
}

/// A reload event's data: the pages to reload (`only`), or those not to (`except`), by path
/// below the output folder, as the page's script compares them with its own.
private struct ReloadMessage: Encodable {
    let version: Int
    let only: [String]?
    let except: [String]?
}
